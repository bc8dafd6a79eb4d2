import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  decide,
  evolve,
  invariantViolation,
  isClosed,
  replay,
  start,
  type Assignee,
  type ChainStep,
  type DeficiencyNote,
  type InstanceCommand,
  type InstanceEvent,
  type InstanceState,
  type InstanceStatus,
  type TaskRef,
} from './instance.state.js';

const now = new Date('2026-03-02T09:00:00+08:00');
const applicant = '遂昌县人民政府';

/** 初审 (single) → 会审 of three departments (all_of) → 或签 of two (any_of) → 审批 (single). */
const chain: readonly ChainStep[] = [
  { mode: 'single', parties: ['lishui-commerce'] },
  { mode: 'all_of', parties: ['zj-nr', 'zj-drc', 'zj-eco'] },
  { mode: 'any_of', parties: ['zj-commerce', 'zj-commerce-office'] },
  { mode: 'single', parties: ['zj-gov'] },
];

const task = (step: number, round: number, party: number): TaskRef => ({ step, round, party });
const deficiencies: readonly DeficiencyNote[] = [{ target: 'attachment', ref: 'land_use_plan', note: '土地利用规划未盖章' }];
const commands = {
  // The actor's name doubles as their account id here: a delegate named by id decides as that account.
  approve: (t: TaskRef, actor = 'reviewer'): InstanceCommand => ({ type: 'approve', actor, actorId: actor, opinion: '同意', ...t }),
  reject: (t: TaskRef, reason = '选址与国土空间规划不符', actor = 'reviewer'): InstanceCommand => ({ type: 'reject', actor, actorId: actor, reason, ...t }),
  return: (t: TaskRef, notes = deficiencies, actor = 'reviewer'): InstanceCommand => ({ type: 'return', actor, actorId: actor, deficiencies: notes, ...t }),
  delegate: (t: TaskRef, to: Assignee = { userId: 'u-li', name: '李科员' }, actor = '王处长'): InstanceCommand => ({ type: 'delegate', actor, actorId: actor, to, ...t }),
  reassign: (t: TaskRef, organisation = 'zj-gov-office'): InstanceCommand => ({ type: 'reassign', actor: 'admin', organisation, ...t }),
  resubmit: (revision: number): InstanceCommand => ({ type: 'resubmit', actor: applicant, revision }),
  withdraw: (): InstanceCommand => ({ type: 'withdraw', actor: applicant, reason: '规划调整' }),
};
const { approve, reject, delegate, reassign, resubmit, withdraw } = commands;
const returnFor = commands.return;

const outcome = (d: ReturnType<typeof decide>): string[] | string => (d.ok ? d.events.map((e) => e.type) : d.code);

/** An instance started on `steps` and run through `cmds`, every one of which must be accepted. */
function run(steps: readonly ChainStep[], cmds: readonly InstanceCommand[] = []): { state: InstanceState; events: InstanceEvent[] } {
  const opened = start(steps, 1, now);
  if (!opened.ok) throw new Error(`start refused: ${opened.code}`);
  const events = [...opened.events];
  let state = replay(events)!;
  for (const cmd of cmds) {
    const d = decide(state, cmd, now);
    if (!d.ok) throw new Error(`${JSON.stringify(cmd)} refused: ${d.code} ${d.detail ?? ''}`);
    events.push(...d.events);
    state = d.events.reduce(evolve, state);
    expect(invariantViolation(state)).toBeUndefined();
  }
  expect(replay(events)).toEqual(state);
  return { state, events };
}

/** The events `cmd` records against `state`, or the refusal. */
const accepted = (state: InstanceState, cmd: InstanceCommand): readonly InstanceEvent[] => {
  const d = decide(state, cmd, now);
  if (!d.ok) throw new Error(`refused: ${d.code} ${d.detail ?? ''}`);
  return d.events;
};
const after = (state: InstanceState, cmd: InstanceCommand): InstanceState => accepted(state, cmd).reduce(evolve, state);

// The joint review (step 1, round 2) in each status: the commands of the table address its first party.
const atJointReview = [approve(task(0, 1, 0))];
const instances: Record<InstanceStatus, InstanceState> = {
  in_review: run(chain, atJointReview).state,
  returned: run(chain, [...atJointReview, returnFor(task(1, 2, 0))]).state,
  approved: run(chain, [...atJointReview, approve(task(1, 2, 0)), approve(task(1, 2, 1)), approve(task(1, 2, 2)), approve(task(2, 3, 1)), approve(task(3, 4, 0))]).state,
  rejected: run(chain, [...atJointReview, reject(task(1, 2, 1))]).state,
  withdrawn: run(chain, [...atJointReview, withdraw()]).state,
};
const joint = task(1, 2, 0);

describe('approval instance transitions', () => {
  it('builds each status of the table as intended', () => {
    expect(Object.entries(instances).map(([status, s]) => [status, s.status, s.currentStep])).toEqual([
      ['in_review', 'in_review', 1],
      ['returned', 'returned', 1],
      ['approved', 'approved', 3],
      ['rejected', 'rejected', 1],
      ['withdrawn', 'withdrawn', 1],
    ]);
  });

  // Every status × every command type, addressed to the joint review's first party (or, for the
  // applicant's commands, to the instance).
  it.each<[InstanceStatus, string, InstanceCommand, string[] | string]>([
    ['in_review', 'approve', approve(joint), ['step_approved']],
    ['in_review', 'reject', reject(joint), ['rejected']],
    ['in_review', 'return', returnFor(joint), ['returned']],
    ['in_review', 'delegate', delegate(joint), ['delegated']],
    ['in_review', 'reassign', reassign(joint), ['reassigned']],
    ['in_review', 'resubmit', resubmit(2), 'NOT_RETURNED'],
    ['in_review', 'withdraw', withdraw(), ['withdrawn']],
    ['returned', 'approve', approve(joint), 'AWAITING_CORRECTION'],
    ['returned', 'reject', reject(joint), 'AWAITING_CORRECTION'],
    ['returned', 'return', returnFor(joint), 'AWAITING_CORRECTION'],
    ['returned', 'delegate', delegate(joint), 'AWAITING_CORRECTION'],
    ['returned', 'reassign', reassign(joint), 'AWAITING_CORRECTION'],
    ['returned', 'resubmit', resubmit(2), ['resubmitted', 'step_assigned']],
    ['returned', 'withdraw', withdraw(), ['withdrawn']],
    ...(['approved', 'rejected', 'withdrawn'] as const).flatMap((status) =>
      (Object.keys(commands) as (keyof typeof commands)[]).map((type): [InstanceStatus, string, InstanceCommand, string] => [
        status,
        type,
        type === 'resubmit' ? resubmit(2) : type === 'withdraw' ? withdraw() : commands[type](status === 'approved' ? task(3, 4, 0) : joint),
        'INSTANCE_CLOSED',
      ]),
    ),
  ])('%s × %s → %j', (status, _, cmd, expected) => {
    expect(outcome(decide(instances[status], cmd, now))).toEqual(expected);
  });

  it.each<[string, InstanceCommand, string]>([
    ['a task of another step', approve(task(0, 2, 0)), 'STEP_NOT_CURRENT'],
    ['a task of a later step', reject(task(2, 2, 0)), 'STEP_NOT_CURRENT'],
    ['a task of an older round', approve(task(1, 1, 0)), 'TASK_CLOSED'],
    ['a task of a future round', approve(task(1, 3, 0)), 'TASK_CLOSED'],
    ['a party the step does not have', approve(task(1, 2, 3)), 'NOT_A_PARTY'],
    ['a negative party', delegate(task(1, 2, -1)), 'NOT_A_PARTY'],
    ['a rejection without a reason', reject(joint, '  '), 'REASON_REQUIRED'],
    ['a return without deficiencies', returnFor(joint, []), 'DEFICIENCIES_REQUIRED'],
    ['a return with a deficiency without a note', returnFor(joint, [...deficiencies, { target: 'field', ref: 'title', note: ' ' }]), 'DEFICIENCIES_REQUIRED'],
    ['a return with a deficiency without a ref', returnFor(joint, [{ target: 'field', ref: '', note: '缺' }]), 'DEFICIENCIES_REQUIRED'],
    ['a reassignment to the same organisation, not delegated', reassign(joint, 'zj-nr'), 'NOT_A_PARTY'],
    ['a reassignment to another party of the step', reassign(joint, 'zj-eco'), 'NOT_A_PARTY'],
    ['a resubmission of an older revision while in review', resubmit(1), 'STALE_REVISION'],
  ])('in review, refuses %s', (_, cmd, code) => {
    expect(outcome(decide(instances.in_review, cmd, now))).toBe(code);
  });

  it.each<[string, number, number[]]>([
    ['the same revision', 1, []],
    ['an older revision', 0, []],
    ['a revision already resubmitted', 2, [2]],
  ])('refuses to resubmit %s: STALE_REVISION', (_, revision, earlier) => {
    let state = instances.returned;
    for (const r of earlier) {
      state = after(state, resubmit(r));
      state = after(state, returnFor(task(1, state.round, 1)));
    }
    expect(state.status).toBe('returned');
    expect(outcome(decide(state, resubmit(revision), now))).toBe('STALE_REVISION');
  });

  it('opens an instance with its first step assigned, in round 1', () => {
    const opened = start(chain, 3, now);
    expect(opened.ok && opened.events).toEqual([
      { type: 'started', revision: 3, chain, at: now },
      { type: 'step_assigned', step: 0, round: 1, parties: ['lishui-commerce'], at: now },
    ]);
    const state = opened.ok ? replay(opened.events) : undefined;
    expect(state).toEqual({
      status: 'in_review',
      revision: 3,
      currentStep: 0,
      round: 1,
      chain,
      parties: [{ organisation: 'lishui-commerce', status: 'pending', assignee: null, delegatedBy: null }],
    });
    expect(state && invariantViolation(state)).toBeUndefined();
  });

  it.each<[string, ChainStep[]]>([
    ['no steps', []],
    ['a step without parties', [{ mode: 'all_of', parties: [] }]],
    ['a single step with two parties', [chain[0]!, { mode: 'single', parties: ['zj-gov', 'zj-commerce'] }]],
    ['a single step without a party', [{ mode: 'single', parties: [] }]],
    ['an all_of step naming a party twice', [{ mode: 'all_of', parties: ['zj-nr', 'zj-drc', 'zj-nr'] }]],
    ['an any_of step naming a party twice', [chain[0]!, { mode: 'any_of', parties: ['zj-nr', 'zj-nr'] }]],
  ])('refuses to start on a chain with %s: INVALID_CHAIN', (_, steps) => {
    expect(outcome(start(steps, 1, now))).toBe('INVALID_CHAIN');
  });

  it('accepts countersign steps of a single party', () => {
    expect(outcome(start([{ mode: 'all_of', parties: ['zj-nr'] }, { mode: 'any_of', parties: ['zj-drc'] }], 1, now))).toEqual(['started', 'step_assigned']);
  });
});

describe('single steps', () => {
  it('completes a step on its one approval and assigns the next, in a new round', () => {
    const opened = run(chain).state;
    expect(accepted(opened, approve(task(0, 1, 0), '丽水市商务局 王审核'))).toEqual([
      { type: 'step_approved', step: 0, round: 1, party: 0, actor: '丽水市商务局 王审核', opinion: '同意', at: now },
      { type: 'step_completed', step: 0, round: 1, at: now },
      { type: 'step_assigned', step: 1, round: 2, parties: ['zj-nr', 'zj-drc', 'zj-eco'], at: now },
    ]);
  });

  it('approves the instance on the last step’s approval', () => {
    const { state, events } = run(chain, [approve(task(0, 1, 0)), approve(task(1, 2, 0)), approve(task(1, 2, 1)), approve(task(1, 2, 2)), approve(task(2, 3, 0))]);
    expect(accepted(state, approve(task(3, 4, 0)))).toEqual([
      expect.objectContaining({ type: 'step_approved', step: 3, round: 4, party: 0 }),
      { type: 'step_completed', step: 3, round: 4, at: now },
      { type: 'approved', step: 3, at: now },
    ]);
    expect(events.filter((e) => e.type === 'step_completed').map((e) => e.step)).toEqual([0, 1, 2]);
  });
});

describe('all_of steps (会签)', () => {
  const atJoint = () => run(chain, atJointReview).state;

  it('needs every party: partial approvals record only step_approved; the last completes the step and assigns the next', () => {
    let state = atJoint();
    expect(outcome(decide(state, approve(task(1, 2, 1)), now))).toEqual(['step_approved']);
    state = after(state, approve(task(1, 2, 1)));
    expect(state.parties.map((p) => p.status)).toEqual(['pending', 'approved', 'pending']);
    expect(outcome(decide(state, approve(task(1, 2, 0)), now))).toEqual(['step_approved']);
    state = after(state, approve(task(1, 2, 0)));
    expect(state.currentStep).toBe(1);
    expect(invariantViolation(state)).toBeUndefined();
    // The same party again is refused: its task is done.
    expect(outcome(decide(state, approve(task(1, 2, 0)), now))).toBe('TASK_CLOSED');
    expect(accepted(state, approve(task(1, 2, 2)))).toEqual([
      expect.objectContaining({ type: 'step_approved', step: 1, round: 2, party: 2 }),
      { type: 'step_completed', step: 1, round: 2, at: now },
      { type: 'step_assigned', step: 2, round: 3, parties: ['zj-commerce', 'zj-commerce-office'], at: now },
    ]);
    state = after(state, approve(task(1, 2, 2)));
    expect(state).toMatchObject({ status: 'in_review', currentStep: 2, round: 3 });
    expect(state.parties.map((p) => [p.organisation, p.status])).toEqual([
      ['zj-commerce', 'pending'],
      ['zj-commerce-office', 'pending'],
    ]);
  });

  it('is rejected by one party’s rejection, after others approved: the rest are closed', () => {
    const state = after(after(atJoint(), approve(task(1, 2, 0))), reject(task(1, 2, 2)));
    expect(state.status).toBe('rejected');
    expect(state.parties.map((p) => p.status)).toEqual(['approved', 'closed', 'rejected']);
    expect(invariantViolation(state)).toBeUndefined();
    expect(outcome(decide(state, approve(task(1, 2, 1)), now))).toBe('INSTANCE_CLOSED');
  });
});

describe('any_of steps (或签)', () => {
  it('is decided by the first approval: the other parties are closed', () => {
    const { state } = run(chain, [approve(task(0, 1, 0)), approve(task(1, 2, 0)), approve(task(1, 2, 1)), approve(task(1, 2, 2))]);
    expect(state.currentStep).toBe(2);
    const events = accepted(state, approve(task(2, 3, 1)));
    expect(events.map((e) => e.type)).toEqual(['step_approved', 'step_completed', 'step_assigned']);
    const completed = events.slice(0, 2).reduce(evolve, state);
    expect(completed.parties.map((p) => p.status)).toEqual(['closed', 'approved']);
    const next = events.reduce(evolve, state);
    expect(next).toMatchObject({ currentStep: 3, round: 4 });
    // The other party's task belongs to a step that is no longer current.
    expect(outcome(decide(next, approve(task(2, 3, 0)), now))).toBe('STEP_NOT_CURRENT');
  });

  it('is rejected by the first rejection', () => {
    const { state } = run(chain, [approve(task(0, 1, 0)), approve(task(1, 2, 0)), approve(task(1, 2, 1)), approve(task(1, 2, 2)), reject(task(2, 3, 0))]);
    expect(state.status).toBe('rejected');
    expect(state.parties.map((p) => p.status)).toEqual(['rejected', 'closed']);
  });
});

describe('return for correction (补正) and resubmission', () => {
  it('closes the other parties and keeps the step; resubmission re-enters the same step in a new round, every party pending', () => {
    let state = after(run(chain, atJointReview).state, approve(task(1, 2, 0)));
    const returned = accepted(state, { ...returnFor(task(1, 2, 1)), opinion: '请补正后重新报送' } as InstanceCommand);
    expect(returned).toEqual([
      { type: 'returned', step: 1, round: 2, party: 1, actor: 'reviewer', deficiencies, opinion: '请补正后重新报送', at: now },
    ]);
    state = returned.reduce(evolve, state);
    expect(state).toMatchObject({ status: 'returned', currentStep: 1, round: 2, revision: 1 });
    expect(state.parties.map((p) => p.status)).toEqual(['approved', 'returned', 'closed']);
    expect(invariantViolation(state)).toBeUndefined();

    const resubmitted = accepted(state, resubmit(2));
    expect(resubmitted).toEqual([
      { type: 'resubmitted', revision: 2, step: 1, actor: applicant, at: now },
      { type: 'step_assigned', step: 1, round: 3, parties: ['zj-nr', 'zj-drc', 'zj-eco'], at: now },
    ]);
    state = resubmitted.reduce(evolve, state);
    expect(state).toMatchObject({ status: 'in_review', currentStep: 1, round: 3, revision: 2 });
    expect(state.parties.map((p) => p.status)).toEqual(['pending', 'pending', 'pending']);
    expect(invariantViolation(state)).toBeUndefined();

    // A task of the old round is closed, whichever party it was; the new round's tasks are open.
    expect(outcome(decide(state, approve(task(1, 2, 2)), now))).toBe('TASK_CLOSED');
    expect(outcome(decide(state, approve(task(1, 2, 0)), now))).toBe('TASK_CLOSED');
    expect(outcome(decide(state, approve(task(1, 3, 0)), now))).toEqual(['step_approved']);
  });

  it('re-enters a later single step, not the first one', () => {
    const { state } = run(chain, [approve(task(0, 1, 0)), approve(task(1, 2, 0)), approve(task(1, 2, 1)), approve(task(1, 2, 2)), approve(task(2, 3, 0)), returnFor(task(3, 4, 0)), resubmit(5)]);
    expect(state).toMatchObject({ status: 'in_review', currentStep: 3, round: 5, revision: 5 });
    expect(outcome(decide(state, approve(task(3, 5, 0)), now))).toEqual(['step_approved', 'step_completed', 'approved']);
  });

  it('may be withdrawn while returned', () => {
    const state = instances.returned;
    expect(accepted(state, withdraw())).toEqual([{ type: 'withdrawn', step: 1, actor: applicant, reason: '规划调整', at: now }]);
    const withdrawn = after(state, withdraw());
    expect(withdrawn).toMatchObject({ status: 'withdrawn', currentStep: 1 });
    expect(invariantViolation(withdrawn)).toBeUndefined();
    expect(outcome(decide(withdrawn, resubmit(2), now))).toBe('INSTANCE_CLOSED');
  });
});

describe('delegation (转办) and reassignment', () => {
  it('sets the assignee; the delegate’s decision carries actingFor = the delegator', () => {
    let state = run(chain, atJointReview).state;
    const to = { userId: 'u-li', name: '李科员' };
    expect(accepted(state, delegate(task(1, 2, 1), to, '王处长'))).toEqual([{ type: 'delegated', step: 1, round: 2, party: 1, actor: '王处长', to, at: now }]);
    state = after(state, delegate(task(1, 2, 1), to, '王处长'));
    expect(state.parties[1]).toEqual({ organisation: 'zj-drc', status: 'pending', assignee: to, delegatedBy: '王处长' });
    expect(accepted(state, approve(task(1, 2, 1), 'u-li'))[0]).toEqual({
      type: 'step_approved',
      step: 1,
      round: 2,
      party: 1,
      actor: 'u-li',
      actingFor: '王处长',
      opinion: '同意',
      at: now,
    });
    // The other parties' decisions act for no one.
    expect(accepted(state, approve(task(1, 2, 0)))[0]).not.toHaveProperty('actingFor');
    // A rejection or return by the delegate acts for the delegator too.
    expect(accepted(state, reject(task(1, 2, 1), '不符合条件', 'u-li'))[0]).toMatchObject({ type: 'rejected', actingFor: '王处长' });
    expect(accepted(state, returnFor(task(1, 2, 1), deficiencies, 'u-li'))[0]).toMatchObject({ type: 'returned', actingFor: '王处长' });
  });

  it('refuses a reviewer whose organisation no longer holds the task (an admin reassigned it first)', () => {
    const state = after(run(chain, atJointReview).state, reassign(task(1, 2, 1), 'zj-gov-office'));
    const stale: InstanceCommand = { type: 'approve', actor: '发改委 审核员', actorOrganisation: 'zj-drc', ...task(1, 2, 1) };
    expect(outcome(decide(state, stale, now))).toBe('TASK_REASSIGNED');
    expect(outcome(decide(state, { ...stale, actorOrganisation: 'zj-gov-office' }, now))).toEqual(['step_approved']);
  });

  it('lets only the assignee decide a delegated task, and no one delegate to themselves', () => {
    const state = after(run(chain, atJointReview).state, delegate(task(1, 2, 1)));
    // The delegator, a colleague, and a command that names no account are all refused.
    for (const actor of ['王处长', 'u-zhang']) expect(outcome(decide(state, approve(task(1, 2, 1), actor), now))).toBe('NOT_ASSIGNEE');
    expect(outcome(decide(state, { type: 'approve', actor: '李科员', ...task(1, 2, 1) }, now))).toBe('NOT_ASSIGNEE');
    expect(outcome(decide(state, delegate(task(1, 2, 1), { userId: 'u-zhao', name: '赵科员' }, '王处长'), now))).toBe('NOT_ASSIGNEE');
    // An admin's reassignment takes a delegated task back whoever holds it.
    expect(outcome(decide(state, reassign(task(1, 2, 1), 'zj-gov-office'), now))).toEqual(['reassigned']);
    const fresh = run(chain, atJointReview).state;
    expect(outcome(decide(fresh, delegate(task(1, 2, 1), { userId: '王处长', name: '王处长' }, '王处长'), now))).toBe('SELF_DELEGATION');
  });

  it('keeps the first delegator when a delegate delegates again', () => {
    let state = after(run(chain, atJointReview).state, delegate(task(1, 2, 1), { userId: 'u-li', name: '李科员' }, '王处长'));
    const to = { userId: 'u-zhao', name: '赵科员' };
    expect(accepted(state, delegate(task(1, 2, 1), to, 'u-li'))[0]).toMatchObject({ actor: 'u-li', actingFor: '王处长', to });
    state = after(state, delegate(task(1, 2, 1), to, 'u-li'));
    expect(state.parties[1]).toMatchObject({ assignee: to, delegatedBy: '王处长' });
  });

  it('ends a delegation with the round: a resubmitted step is assigned afresh', () => {
    let state = after(run(chain, atJointReview).state, delegate(task(1, 2, 1)));
    state = after(after(state, returnFor(task(1, 2, 1), deficiencies, 'u-li')), resubmit(2));
    expect(state.parties.map((p) => [p.assignee, p.delegatedBy])).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
  });

  it('takes a delegation back when an admin reassigns the task to the organisation that holds it', () => {
    const state = after(run(chain, atJointReview).state, delegate(task(1, 2, 2)));
    const back = after(state, reassign(task(1, 2, 2), 'zj-eco'));
    expect(back.parties[2]).toEqual({ organisation: 'zj-eco', status: 'pending', assignee: null, delegatedBy: null });
    expect(invariantViolation(back)).toBeUndefined();
  });

  it('moves a party to another organisation, clearing its delegation; the party decides as before', () => {
    let state = after(run(chain, atJointReview).state, delegate(task(1, 2, 2)));
    expect(accepted(state, reassign(task(1, 2, 2), 'zj-gov-office'))).toEqual([
      { type: 'reassigned', step: 1, round: 2, party: 2, actor: 'admin', from: 'zj-eco', to: 'zj-gov-office', at: now },
    ]);
    state = after(state, reassign(task(1, 2, 2), 'zj-gov-office'));
    expect(state.parties[2]).toEqual({ organisation: 'zj-gov-office', status: 'pending', assignee: null, delegatedBy: null });
    expect(invariantViolation(state)).toBeUndefined();
    expect(accepted(state, approve(task(1, 2, 2)))[0]).not.toHaveProperty('actingFor');
    // After a return, the new round goes to the organisation the task was moved to.
    state = after(after(state, returnFor(task(1, 2, 0))), resubmit(2));
    expect(state.parties.map((p) => p.organisation)).toEqual(['zj-nr', 'zj-drc', 'zj-gov-office']);
  });

  it('refuses to delegate or reassign a decided task', () => {
    const state = after(run(chain, atJointReview).state, approve(task(1, 2, 0)));
    expect(outcome(decide(state, delegate(task(1, 2, 0)), now))).toBe('TASK_CLOSED');
    expect(outcome(decide(state, reassign(task(1, 2, 0)), now))).toBe('TASK_CLOSED');
  });
});

describe('extension of a step’s time limit (延期)', () => {
  const extend = (t: TaskRef, days: number, maxDays = 5, reason = '需补充征求意见', actor = 'reviewer'): InstanceCommand => ({ type: 'extend', actor, actorId: actor, days, reason, maxDays, ...t });

  it('extends once per step, across its rounds: a second extension is refused', () => {
    const state = instances.in_review;
    expect(accepted(state, extend(joint, 3))).toEqual([{ type: 'deadline_extended', step: 1, round: 2, party: 0, actor: 'reviewer', days: 3, reason: '需补充征求意见', at: now }]);
    const extended = after(state, extend(joint, 3));
    expect(extended.extendedSteps).toEqual([1]);
    expect(outcome(decide(extended, extend(task(1, 2, 1), 1), now))).toBe('ALREADY_EXTENDED');
    // Returned and resubmitted: the step's new round is still the same step, extended already.
    const again = after(after(after(extended, returnFor(joint)), resubmit(2)), approve(task(1, 3, 0)));
    expect(outcome(decide(again, extend(task(1, 3, 1), 1), now))).toBe('ALREADY_EXTENDED');
    expect(replay([...run(chain, atJointReview).events, ...accepted(state, extend(joint, 3))])).toEqual(extended);
  });

  it.each([
    ['0 days', extend(joint, 0), 'EXTENSION_TOO_LONG'],
    ['more days than the bound', extend(joint, 6), 'EXTENSION_TOO_LONG'],
    ['a fraction of a day', extend(joint, 1.5), 'EXTENSION_TOO_LONG'],
    ['no reason', extend(joint, 2, 5, '  '), 'REASON_REQUIRED'],
    ['a step without a time limit', extend(joint, 2, 0), 'NO_TIME_LIMIT'],
    ['a task of an earlier round', extend(task(0, 1, 0), 2), 'STEP_NOT_CURRENT'],
  ] as [string, InstanceCommand, string][])('refuses %s', (_, cmd, code) => {
    expect(outcome(decide(instances.in_review, cmd, now))).toBe(code);
  });

  it('refuses while the submission is back for correction, and on a closed instance', () => {
    expect(outcome(decide(instances.returned, extend(joint, 1), now))).toBe('AWAITING_CORRECTION');
    expect(outcome(decide(instances.approved, extend(joint, 1), now))).toBe('INSTANCE_CLOSED');
  });

  it('passes the clocks’ events by: they change no state', () => {
    const state = instances.in_review;
    const clock = { clock: 'step', step: 1, round: 2, at: now } as const;
    expect(evolve(state, { type: 'deadline_set', ...clock, limitDays: 5, startedOn: '2026-03-02', dueOn: '2026-03-09' })).toBe(state);
    expect(evolve(state, { type: 'clock_paused', ...clock, pausedOn: '2026-03-03', remainingDays: 4 })).toBe(state);
  });
});

describe('withdrawal', () => {
  it('ends the instance at its current step, closing the pending parties', () => {
    const state = after(after(run(chain, atJointReview).state, approve(task(1, 2, 0))), withdraw());
    expect(state).toMatchObject({ status: 'withdrawn', currentStep: 1 });
    expect(state.parties.map((p) => p.status)).toEqual(['approved', 'closed', 'closed']);
    expect(invariantViolation(state)).toBeUndefined();
  });

  it('records no reason when none is given', () => {
    expect(accepted(instances.in_review, { type: 'withdraw', actor: applicant })).toEqual([{ type: 'withdrawn', step: 1, actor: applicant, at: now }]);
  });

  it('refuses a withdrawal of a returned revision once its correction is under review, and takes one of the revision under review', () => {
    const corrected = after(instances.returned, resubmit(2));
    expect(outcome(decide(corrected, { type: 'withdraw', actor: applicant, revision: 1 }, now))).toBe('STALE_REVISION');
    expect(outcome(decide(corrected, { type: 'withdraw', actor: applicant, revision: 2 }, now))).toEqual(['withdrawn']);
    expect(outcome(decide(instances.returned, { type: 'withdraw', actor: applicant, revision: 1 }, now))).toEqual(['withdrawn']);
    // The correction racing it is refused in the other order: exactly one of the two lands.
    expect(outcome(decide(after(instances.returned, withdraw()), resubmit(2), now))).toBe('INSTANCE_CLOSED');
  });
});

describe('invariantViolation', () => {
  const base = instances.in_review;
  it.each<[string, InstanceState]>([
    ['a step outside the chain', { ...base, currentStep: 4 }],
    ['too few parties', { ...base, parties: base.parties.slice(1) }],
    ['the same organisation twice', { ...base, parties: [base.parties[0]!, base.parties[0]!, base.parties[2]!] }],
    ['in review with nobody pending', { ...base, parties: base.parties.map((p) => ({ ...p, status: 'approved' as const })) }],
    ['closed with a party pending', { ...base, status: 'rejected' }],
    ['returned without a returning party', { ...base, status: 'returned', parties: base.parties.map((p) => ({ ...p, status: 'closed' as const })) }],
    ['approved before the last step', { ...base, status: 'approved', parties: base.parties.map((p) => ({ ...p, status: 'approved' as const })) }],
    ['an any_of step approved twice', { ...base, status: 'in_review', currentStep: 2, parties: [{ ...base.parties[0]!, organisation: 'a', status: 'approved' }, { ...base.parties[1]!, organisation: 'b', status: 'approved' }] }],
  ])('reports %s', (_, state) => {
    expect(invariantViolation(state)).toEqual(expect.any(String));
  });

  it('holds of every status of the table', () => {
    expect(Object.values(instances).map(invariantViolation)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('any sequence of commands (property-based)', () => {
  const pool = ['o1', 'o2', 'o3', 'o4', 'o5'];
  const stepArb: fc.Arbitrary<ChainStep> = fc.oneof(
    fc.constantFrom(...pool).map((p): ChainStep => ({ mode: 'single', parties: [p] })),
    fc
      .record({
        mode: fc.constantFrom('all_of' as const, 'any_of' as const),
        // Mostly 2–3 parties, sometimes one.
        parties: fc.oneof({ weight: 1, arbitrary: fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 1 }) }, { weight: 4, arbitrary: fc.uniqueArray(fc.constantFrom(...pool), { minLength: 2, maxLength: 3 }) }),
      })
      .map((s): ChainStep => s),
  );
  const chainArb = fc.array(stepArb, { minLength: 1, maxLength: 5 });

  type Target = 'current' | 'wrong_step' | 'old_round' | 'future_round' | 'wrong_party' | 'decided_party';
  /** A command before it is aimed: most are aimed at an open task of the current step and round. */
  const intentArb = fc.record({
    type: fc.oneof(
      { weight: 20, arbitrary: fc.constant('approve' as const) },
      { weight: 5, arbitrary: fc.constant('return' as const) },
      { weight: 6, arbitrary: fc.constant('resubmit' as const) },
      { weight: 2, arbitrary: fc.constant('delegate' as const) },
      { weight: 2, arbitrary: fc.constant('reassign' as const) },
      { weight: 1, arbitrary: fc.constant('reject' as const) },
      { weight: 1, arbitrary: fc.constant('withdraw' as const) },
      { weight: 4, arbitrary: fc.constant('repeat' as const) },
    ),
    target: fc.oneof(
      { weight: 10, arbitrary: fc.constant<Target>('current') },
      { weight: 2, arbitrary: fc.constantFrom<Target>('wrong_step', 'old_round', 'future_round', 'wrong_party', 'decided_party') },
    ),
    pick: fc.nat({ max: 5 }),
    revisionDelta: fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: 3 }) }),
    blankText: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    organisation: fc.constantFrom(...pool, 'o6', 'o7'),
  });

  type Intent = typeof intentArb extends fc.Arbitrary<infer T> ? T : never;

  function aim(state: InstanceState, intent: Intent, previous: InstanceCommand | undefined): InstanceCommand {
    if (intent.type === 'repeat' && previous) return previous;
    const pending = state.parties.map((p, i) => [p, i] as const).filter(([p]) => p.status === 'pending');
    const decided = state.parties.map((p, i) => [p, i] as const).filter(([p]) => p.status !== 'pending');
    const open = pending.length ? pending[intent.pick % pending.length]![1] : intent.pick % Math.max(1, state.parties.length);
    const ref: TaskRef = {
      current: task(state.currentStep, state.round, open),
      wrong_step: task((state.currentStep + 1 + (intent.pick % state.chain.length)) % (state.chain.length + 1), state.round, open),
      old_round: task(state.currentStep, state.round - 1 - (intent.pick % 2), open),
      future_round: task(state.currentStep, state.round + 1, open),
      wrong_party: task(state.currentStep, state.round, state.parties.length + (intent.pick % 2)),
      decided_party: task(state.currentStep, state.round, decided.length ? decided[intent.pick % decided.length]![1] : open),
    }[intent.target];
    const party = state.parties[ref.party];
    const actor = party?.assignee?.userId ?? `reviewer-${ref.party}`;
    switch (intent.type) {
      case 'approve':
      case 'repeat':
        return { type: 'approve', actor, actorId: actor, ...ref };
      case 'reject':
        return { type: 'reject', actor, actorId: actor, reason: intent.blankText ? ' ' : '不符合条件', ...ref };
      case 'return':
        return { type: 'return', actor, actorId: actor, deficiencies: intent.blankText ? [] : deficiencies, ...ref };
      case 'delegate':
        return { type: 'delegate', actor, actorId: actor, to: { userId: `u-${intent.pick}`, name: `科员${intent.pick}` }, ...ref };
      case 'reassign':
        return { type: 'reassign', actor: 'admin', organisation: intent.organisation, ...ref };
      case 'resubmit':
        return { type: 'resubmit', actor: applicant, revision: state.revision + intent.revisionDelta };
      case 'withdraw':
        // Now and then a withdrawal of the revision before the one under review (overtaken by its correction).
        return { type: 'withdraw', actor: applicant, revision: intent.revisionDelta < 0 ? state.revision - 1 : state.revision };
    }
  }

  /** What the runs reached, to check the generator exercises the interesting paths. */
  const reached = { runs: 0, approved: 0, approvedAfterReturn: 0, returned: 0, resubmitted: 0, allOfPartial: 0, allOfCompleted: 0, anyOfCompleted: 0, delegateDecided: 0, reassigned: 0, rejected: 0, withdrawn: 0, staleRevision: 0, taskClosed: 0 };

  it('keeps the invariants, replays to the folded state, never reopens a closed instance, and approves only after every step', () => {
    fc.assert(
      fc.property(chainArb, fc.array(intentArb, { minLength: 30, maxLength: 60 }), fc.integer({ min: 1, max: 3 }), (steps, intents, firstRevision) => {
        const opened = start(steps, firstRevision, now);
        if (!opened.ok) throw new Error(`start refused a valid chain: ${opened.detail}`);
        const log: InstanceEvent[] = [...opened.events];
        let state = replay(log)!;
        expect(invariantViolation(state)).toBeUndefined();
        let previous: InstanceCommand | undefined;
        const seen = new Set<string>();
        for (const intent of intents) {
          const cmd = aim(state, intent, previous);
          previous = cmd;
          const d = decide(state, cmd, now);
          if (isClosed(state.status)) {
            // A closed instance never changes again.
            expect(d).toEqual(expect.objectContaining({ ok: false, code: 'INSTANCE_CLOSED' }));
            continue;
          }
          // A withdrawal of an older revision never lands: the correction that overtook it has.
          if (cmd.type === 'withdraw' && cmd.revision !== undefined && cmd.revision < state.revision) expect(d).toEqual(expect.objectContaining({ ok: false, code: 'STALE_REVISION' }));
          if (!d.ok) {
            if (d.code === 'STALE_REVISION') seen.add('staleRevision');
            if (d.code === 'TASK_CLOSED') seen.add('taskClosed');
            continue;
          }
          // A reviewer's command is accepted only on an open task of the current step and round.
          if ('step' in cmd) {
            expect(state.status).toBe('in_review');
            expect([cmd.step, cmd.round, state.parties[cmd.party]?.status]).toEqual([state.currentStep, state.round, 'pending']);
            const decidedBy = d.events.find((e) => 'party' in e && e.type !== 'reassigned') as { actingFor?: string } | undefined;
            const delegator = state.parties[cmd.party]!.delegatedBy;
            if (decidedBy && delegator) {
              expect(decidedBy.actingFor).toBe(delegator);
              if (cmd.type !== 'delegate') seen.add('delegateDecided');
            }
          }
          const mode = state.chain[state.currentStep]!.mode;
          const types = d.events.map((e) => e.type);
          if (mode === 'all_of' && state.parties.length > 1 && types.join() === 'step_approved') seen.add('allOfPartial');
          if (types.includes('step_completed') && state.parties.length > 1) seen.add(mode === 'all_of' ? 'allOfCompleted' : 'anyOfCompleted');
          if (types.includes('step_completed') && mode === 'all_of') expect(state.parties.filter((p) => p.status === 'approved')).toHaveLength(state.parties.length - 1);
          for (const t of types) if (t === 'returned' || t === 'resubmitted' || t === 'reassigned' || t === 'rejected' || t === 'withdrawn' || t === 'approved') seen.add(t);

          log.push(...d.events);
          state = d.events.reduce(evolve, state);
          expect(invariantViolation(state)).toBeUndefined();
          expect(replay(log)).toEqual(state);
          if (types.includes('resubmitted')) {
            expect(state.parties.every((p) => p.status === 'pending')).toBe(true);
          }
        }

        // Exactly one closing event, and only for a closed instance.
        const closing = log.filter((e) => e.type === 'approved' || e.type === 'rejected' || e.type === 'withdrawn');
        expect(closing.map((e) => e.type)).toEqual(isClosed(state.status) ? [state.status] : []);
        // Rounds only grow, one per assignment.
        expect(log.filter((e) => e.type === 'step_assigned').map((e) => (e.type === 'step_assigned' ? e.round : 0))).toEqual(
          Array.from({ length: log.filter((e) => e.type === 'step_assigned').length }, (_, i) => i + 1),
        );
        if (state.status === 'approved') {
          // Every step completed, in order, each in the last round it was assigned.
          const completed = log.flatMap((e) => (e.type === 'step_completed' ? [[e.step, e.round]] : []));
          const lastRound = new Map<number, number>();
          for (const e of log) if (e.type === 'step_assigned') lastRound.set(e.step, e.round);
          expect(completed).toEqual(steps.map((_, i) => [i, lastRound.get(i)]));
          expect(state.currentStep).toBe(steps.length - 1);
          if (seen.has('resubmitted')) seen.add('approvedAfterReturn');
        }

        reached.runs++;
        for (const key of seen) reached[key as keyof typeof reached]++;
      }),
      { numRuns: 400 },
    );

    // The generator must reach the paths that matter, in a fair share of runs: the share of runs
    // that reached each, against the least share accepted.
    expect(reached.runs).toBe(400);
    if (process.env['SHOW_REACHED']) console.log(reached);
    const minimum: Record<Exclude<keyof typeof reached, 'runs'>, number> = {
      approved: 0.3,
      approvedAfterReturn: 0.1,
      returned: 0.2,
      resubmitted: 0.15,
      allOfPartial: 0.2,
      allOfCompleted: 0.12,
      anyOfCompleted: 0.15,
      delegateDecided: 0.07,
      reassigned: 0.07,
      rejected: 0.05,
      withdrawn: 0.1,
      staleRevision: 0.06,
      taskClosed: 0.12,
    };
    const shares = Object.entries(minimum).map(([key, least]) => ({ path: key, share: reached[key as keyof typeof minimum] / reached.runs, least }));
    expect(shares.filter((s) => s.share < s.least)).toEqual([]);
  });
});
