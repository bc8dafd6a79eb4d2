import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { AnyMessageDefinition } from '@shanhai/contracts';
import { readFileSync } from 'node:fs';
import { decide, start, WorkingDays, type ApprovalDefinition, type InstanceCommand, type InstanceEvent, type InstanceState, type WorkingCalendar } from '@shanhai/domain';
import { aSubmissionSummary } from '@shanhai/platform/testing';
import { fold } from './instance-columns.js';
import { followClocks, type ClockRow } from '../deadlines/deadline-clock.js';
import { project, type DeadlineLedger, type PartyEntry, type Projection, type TaskLedger } from './instance-projector.js';
import type { Task } from './task.entity.js';

const definition: ApprovalDefinition = {
  key: 'zone_plan',
  version: 3,
  name: '开发区创建方案审批',
  committedLimitBusinessDays: 20,
  steps: [
    { key: 'city_pre_review', name: '市商务局初审', mode: 'single', reviewer: { kind: 'city_commerce_bureau' }, timeLimitBusinessDays: 3, maxExtensionBusinessDays: 2 },
    { key: 'joint_review', name: '省级部门会审', mode: 'all_of', reviewers: [{ kind: 'organisation', code: 'zj-nr' }, { kind: 'organisation', code: 'zj-eco' }] },
  ],
};
const chain = [
  { mode: 'single' as const, parties: ['lishui-commerce'] },
  { mode: 'all_of' as const, parties: ['zj-nr', 'zj-eco'] },
];
const names: Record<string, string> = { 'lishui-commerce': '丽水市商务局', 'zj-nr': '浙江省自然资源厅', 'zj-eco': '浙江省生态环境厅', 'zj-gov-office': '浙江省人民政府办公厅' };
const now = new Date('2026-03-02T02:00:00Z');

/** The tasks in memory, changed as TaskBook changes their rows. */
class MemoryLedger implements TaskLedger {
  readonly tasks: Task[] = [];
  async open(instance: { id: string; revision: number }, step: { key: string; name: string }, at: { step: number; round: number; party: number }, o: PartyEntry): Promise<Task> {
    const task = {
      id: randomUUID(), instanceId: instance.id, stepIndex: at.step, round: at.round, party: at.party, revision: instance.revision, stepKey: step.key, stepName: step.name,
      organisationCode: o.code, organisationName: o.name, organisationEmail: o.email, status: 'pending', decidedBy: null, opinion: null, decidedAt: null,
      assigneeId: null, assigneeName: null, delegatedBy: null, actingFor: null, deficiencies: null,
    } as unknown as Task;
    this.tasks.push(task);
    return task;
  }
  private at(a: { step: number; round: number; party: number }): Task {
    const task = this.tasks.find((t) => t.stepIndex === a.step && t.round === a.round && t.party === a.party);
    if (!task) throw new Error(`no task at ${JSON.stringify(a)}`);
    return task;
  }
  async update(a: { step: number; round: number; party: number }, change: Partial<Task>): Promise<Task> {
    return Object.assign(this.at(a), change);
  }
  async decide(e: { step: number; round: number; party: number; actor: string; actingFor?: string; at: Date }, change: Partial<Task>): Promise<Task> {
    return this.update(e, { ...change, decidedBy: e.actor, actingFor: e.actingFor ?? null, decidedAt: e.at });
  }
  async closePending(step: number, round: number | undefined, status: 'closed' | 'withdrawn', at: Date, by: string | null = null, opinion: string | null = null): Promise<Task[]> {
    const pending = this.tasks.filter((t) => t.stepIndex === step && t.status === 'pending' && (round === undefined || t.round === round));
    return pending.map((t) => Object.assign(t, { status, decidedAt: at, decidedBy: by, opinion }));
  }
  async lastApproved(step: number): Promise<Task> {
    return this.tasks.filter((t) => t.stepIndex === step && t.status === 'approved').at(-1)!;
  }
  async lastReturned(step: number): Promise<Task> {
    return this.tasks.filter((t) => t.stepIndex === step && t.status === 'returned').at(-1)!;
  }
  async find(a: { step: number; round: number; party: number }): Promise<Task> {
    return this.at(a);
  }
}

/** The clocks in memory, changed as DeadlineBook changes their rows. */
class MemoryDeadlines implements DeadlineLedger {
  readonly rows: (ClockRow & { closedAt?: Date })[] = [];
  private row(e: { step: number; round: number }) {
    return this.rows.find((r) => r.step === e.step && r.round === e.round);
  }
  async dueOn(step: number, round: number): Promise<{ dueOn?: string }> {
    const due = this.row({ step, round })?.dueOn;
    return due ? { dueOn: due } : {};
  }
  async start(e: Parameters<DeadlineLedger['start']>[0]): Promise<void> {
    this.rows.push({ clock: e.clock, step: e.step, round: e.round, status: 'running', startedOn: e.startedOn, budgetDays: e.limitDays, extendedDays: 0, dueOn: e.dueOn, pausedOn: null, remainingDays: null, resumedFromRound: null });
  }
  async pause(e: Parameters<DeadlineLedger['pause']>[0]): Promise<void> {
    Object.assign(this.row(e)!, { status: 'paused', pausedOn: e.pausedOn, remainingDays: e.remainingDays });
  }
  async resume(e: Parameters<DeadlineLedger['resume']>[0]): Promise<void> {
    const running = { status: 'running' as const, startedOn: e.resumedOn, budgetDays: e.remainingDays, extendedDays: 0, dueOn: e.dueOn, pausedOn: null, remainingDays: null };
    if (e.clock === 'committed') return void Object.assign(this.row(e)!, running);
    this.row({ step: e.step, round: e.fromRound })!.status = 'resumed';
    this.rows.push({ clock: 'step', step: e.step, round: e.round, ...running, resumedFromRound: e.fromRound });
  }
  async extend(e: Parameters<DeadlineLedger['extend']>[0]): Promise<void> {
    const row = this.row(e)!;
    Object.assign(row, { extendedDays: row.extendedDays + e.days, dueOn: e.dueOn ?? null });
  }
  async recompute(e: Parameters<DeadlineLedger['recompute']>[0]): Promise<void> {
    Object.assign(this.row(e)!, { dueOn: e.dueOn });
  }
  async close(which: Parameters<DeadlineLedger['close']>[0], status: 'done' | 'closed', at: Date): Promise<void> {
    for (const r of this.rows) if ((r.status === 'running' || r.status === 'paused') && (which === 'all' || (r.step === which.step && r.round === which.round))) Object.assign(r, { status, closedAt: at });
  }
}

const calendar2026 = JSON.parse(readFileSync(new URL('../../../../infra/calendars/2026.json', import.meta.url), 'utf8')) as WorkingCalendar;
const days = new WorkingDays([calendar2026]);

/** One instance run through the projector: every message it would publish, in order. */
function harness(at = now) {
  const ledger = new MemoryLedger();
  const clocks = new MemoryDeadlines();
  const sent: { name: string; payload: Record<string, unknown> }[] = [];
  const instance = { id: randomUUID(), submission: aSubmissionSummary(), revision: 1, stepCount: chain.length };
  let state: InstanceState | undefined;
  const projection = (account: Projection['account'] = null): Projection => ({
    instance,
    definition,
    tasks: ledger,
    deadlines: clocks,
    publish: async (message: AnyMessageDefinition, payload, _at) => void sent.push({ name: message.name, payload: payload }),
    party: async (code) => ({ code, name: names[code] ?? code, email: `${code}@shanhai.example` }),
    account,
  });
  // As InstanceStore does: the decided events, followed by what they do to the clocks.
  const run = async (decided: readonly InstanceEvent[], account: Projection['account'] = null) => {
    const { events } = followClocks(decided, definition, days, clocks.rows.filter((r) => r.status === 'running' || r.status === 'paused'));
    await project(events, projection(account));
    state = fold(state, events);
    return events;
  };
  const command = async (cmd: InstanceCommand, account: Projection['account'] = null, when = at) => {
    const decision = decide(state!, cmd, when);
    if (!decision.ok) throw new Error(decision.code);
    return run(decision.events, account);
  };
  return { ledger, clocks, sent, run, command, names: () => sent.map((m) => m.name) };
}

const opened = (at = now) => {
  const d = start(chain, 1, at);
  if (!d.ok) throw new Error(d.code);
  return d.events;
};

describe('project: an instance\'s events become tasks and messages', () => {
  it('opens the first step: approval.started, then one task and one task_assigned naming every party', async () => {
    const h = harness();
    await h.run(opened());
    expect(h.names()).toEqual(['approval.started', 'approval.task_assigned']);
    expect(h.ledger.tasks).toMatchObject([{ stepKey: 'city_pre_review', organisationCode: 'lishui-commerce', organisationName: '丽水市商务局', status: 'pending', round: 1 }]);
    expect(h.sent[1]!.payload).toMatchObject({ party: 0, parties: [{ code: 'lishui-commerce', name: '丽水市商务局' }], step: { key: 'city_pre_review' }, stepCount: 2 });
  });

  it('opens a task per party of a countersigned step, and approves the instance only on the last approval, naming the account that decided', async () => {
    const h = harness();
    await h.run(opened());
    const account = { userId: randomUUID(), name: '陈审核', organisation: { code: 'lishui-commerce', name: '丽水市商务局' } };
    await h.command({ type: 'approve', step: 0, round: 1, party: 0, actor: '陈审核', actorId: account.userId, opinion: '同意上报。' }, account);
    expect(h.names().slice(2)).toEqual(['approval.step_approved', 'approval.task_assigned', 'approval.task_assigned']);
    expect(h.sent[2]!.payload).toMatchObject({ decidedBy: '陈审核', opinion: '同意上报。', decider: account });
    expect(h.ledger.tasks.filter((t) => t.stepIndex === 1).map((t) => t.organisationCode)).toEqual(['zj-nr', 'zj-eco']);
    await h.command({ type: 'approve', step: 1, round: 2, party: 0, actor: '自然资源厅 审核员' });
    expect(h.names().at(-1)).toBe('approval.step_approved');
    await h.command({ type: 'approve', step: 1, round: 2, party: 1, actor: '生态环境厅 审核员' });
    expect(h.names().slice(-2)).toEqual(['approval.step_approved', 'approval.approved']);
    expect(h.sent.at(-1)!.payload).toMatchObject({ decidedBy: '生态环境厅 审核员', step: { key: 'joint_review', organisation: { code: 'zj-eco' } } });
  });

  it('returns with the notice, closes the other parties, and on resubmission tells intake the step (with the applicant\'s reason)', async () => {
    const h = harness();
    await h.run(opened());
    await h.command({ type: 'approve', step: 0, round: 1, party: 0, actor: '陈' });
    const deficiencies = [{ target: 'field' as const, ref: 'content.blocks.0.areaKm2', note: '面积不一致。' }];
    await h.command({ type: 'return', step: 1, round: 2, party: 1, actor: '生态环境厅 审核员', deficiencies });
    expect(h.names().at(-1)).toBe('approval.returned');
    expect(h.sent.at(-1)!.payload).toMatchObject({ deficiencies, step: { organisation: { code: 'zj-eco' } } });
    expect(h.ledger.tasks.filter((t) => t.stepIndex === 1).map((t) => t.status)).toEqual(['closed', 'returned']);
    await h.command({ type: 'resubmit', actor: '庆元县 经办人', revision: 2, reason: '面积经复核无误。' });
    expect(h.names().slice(-3)).toEqual(['approval.resubmitted', 'approval.task_assigned', 'approval.task_assigned']);
    expect(h.sent.at(-3)!.payload).toMatchObject({ revision: 2, resubmittedBy: '庆元县 经办人', reason: '面积经复核无误。', step: { key: 'joint_review' } });
  });

  it('tells the step that returned a submission when the applicant withdraws it instead of correcting it', async () => {
    const h = harness();
    await h.run(opened());
    await h.command({ type: 'return', step: 0, round: 1, party: 0, actor: '陈', deficiencies: [{ target: 'attachment', ref: 'land_use_plan', note: '未盖章。' }] });
    await h.command({ type: 'withdraw', actor: '庆元县 经办人' });
    const returning = h.ledger.tasks[0]!;
    expect(returning.status).toBe('returned');
    expect(h.sent.at(-1)).toMatchObject({ name: 'approval.withdrawn', payload: { steps: [{ taskId: returning.id, step: { key: 'city_pre_review', organisation: { code: 'lishui-commerce' } } }] } });
  });

  it('hands a delegated task to the delegate, moves a reassigned one to the new organisation, and closes what is pending on withdrawal', async () => {
    const h = harness();
    await h.run(opened());
    await h.command({ type: 'delegate', step: 0, round: 1, party: 0, actor: '陈', actorId: 'u-chen', to: { userId: 'u-li', name: '李' } });
    expect(h.ledger.tasks[0]).toMatchObject({ assigneeId: 'u-li', assigneeName: '李', delegatedBy: '陈' });
    expect(h.sent.at(-1)).toMatchObject({ name: 'approval.delegated', payload: { delegatedBy: '陈', delegate: { userId: 'u-li', name: '李' } } });
    await h.command({ type: 'reassign', step: 0, round: 1, party: 0, actor: 'admin', organisation: 'zj-gov-office' });
    expect(h.ledger.tasks[0]).toMatchObject({ organisationCode: 'zj-gov-office', organisationName: '浙江省人民政府办公厅', assigneeId: null });
    expect(h.sent.at(-1)).toMatchObject({ name: 'approval.task_assigned', payload: { reassigned: true, step: { organisation: { code: 'zj-gov-office' } } } });
    await h.command({ type: 'withdraw', actor: '庆元县 经办人', reason: '规划调整' });
    expect(h.ledger.tasks[0]).toMatchObject({ status: 'withdrawn', decidedBy: '庆元县 经办人', opinion: '规划调整' });
    expect(h.sent.at(-1)).toMatchObject({ name: 'approval.withdrawn', payload: { withdrawnBy: '庆元县 经办人', reason: '规划调整', steps: [{ taskId: h.ledger.tasks[0]!.id }] } });
  });

  it('names the account that acted on a delegation, a resubmission and a withdrawal, not only its display name', async () => {
    const h = harness();
    await h.run(opened());
    const reviewer = { userId: randomUUID(), name: '陈', organisation: { code: 'lishui-commerce', name: '丽水市商务局' } };
    const applicant = { userId: randomUUID(), name: '庆元县 经办人', county: { code: 'qingyuan', name: '庆元县' } };
    const delegate = { userId: randomUUID(), name: '李' };
    await h.command({ type: 'delegate', step: 0, round: 1, party: 0, actor: '陈', actorId: reviewer.userId, to: delegate }, reviewer);
    expect(h.sent.at(-1)).toMatchObject({ name: 'approval.delegated', payload: { delegatedBy: '陈', actor: reviewer } });
    await h.command({ type: 'return', step: 0, round: 1, party: 0, actor: '李', actorId: delegate.userId, deficiencies: [{ target: 'attachment', ref: 'land_use_plan', note: '未盖章。' }] });
    await h.command({ type: 'resubmit', actor: applicant.name, revision: 2 }, applicant);
    expect(h.sent.find((m) => m.name === 'approval.resubmitted')!.payload).toMatchObject({ resubmittedBy: applicant.name, actor: applicant });
    await h.command({ type: 'withdraw', actor: applicant.name }, applicant);
    expect(h.sent.at(-1)).toMatchObject({ name: 'approval.withdrawn', payload: { withdrawnBy: applicant.name, actor: applicant } });
  });

  it('names the applicant whose submission started the review and the admin who reassigned a task', async () => {
    const h = harness();
    const applicant = { userId: randomUUID(), name: '庆元县 经办人', county: { code: 'qingyuan', name: '庆元县' } };
    await h.run(opened(), applicant);
    expect(h.sent[0]).toMatchObject({ name: 'approval.started', payload: { actor: applicant } });
    expect(h.sent[1]!.payload).not.toHaveProperty('actor');
    const admin = { userId: randomUUID(), name: '系统管理员' };
    await h.command({ type: 'reassign', step: 0, round: 1, party: 0, actor: admin.name, organisation: 'zj-gov-office' }, admin);
    expect(h.sent.at(-1)).toMatchObject({ name: 'approval.task_assigned', payload: { reassigned: true, actor: admin } });
  });

  it('sends no account member when none is known (a message queued before accounts were carried)', async () => {
    const h = harness();
    await h.run(opened());
    await h.command({ type: 'withdraw', actor: '庆元县人民政府' });
    expect(h.sent.at(-1)!.payload).not.toHaveProperty('actor');
  });
});

describe('project: the clocks', () => {
  const sep30 = new Date('2026-09-30T02:00:00Z');

  it('starts the committed clock and the first step’s, and sends the due date with the assignment', async () => {
    const h = harness(sep30);
    const events = await h.run(opened(sep30));
    expect(events.map((e) => e.type)).toEqual(['started', 'deadline_set', 'step_assigned', 'deadline_set']);
    expect(h.clocks.rows).toMatchObject([
      { clock: 'committed', step: -1, round: 0, status: 'running', startedOn: '2026-09-30', dueOn: '2026-11-03' },
      { clock: 'step', step: 0, round: 1, status: 'running', dueOn: '2026-10-10' },
    ]);
    expect(h.sent[1]).toMatchObject({ name: 'approval.task_assigned', payload: { dueOn: '2026-10-10' } });
  });

  it('pauses both clocks on a return and resumes them with what was left when the correction arrives', async () => {
    const h = harness(sep30);
    await h.run(opened(sep30));
    const deficiencies = [{ target: 'field' as const, ref: 'title', note: '名称有误。' }];
    const returned = await h.command({ type: 'return', step: 0, round: 1, party: 0, actor: '陈', deficiencies }, null, new Date('2026-10-08T03:00:00Z'));
    expect(returned.filter((e) => e.type === 'clock_paused')).toMatchObject([
      { clock: 'step', step: 0, round: 1, pausedOn: '2026-10-08', remainingDays: 2 },
      { clock: 'committed', pausedOn: '2026-10-08', remainingDays: 19 },
    ]);
    const resumed = await h.command({ type: 'resubmit', actor: '庆元县 经办人', revision: 2 }, null, new Date('2026-10-15T03:00:00Z'));
    expect(resumed.map((e) => e.type)).toEqual(['resubmitted', 'clock_resumed', 'step_assigned', 'clock_resumed']);
    expect(h.clocks.rows).toMatchObject([
      { clock: 'committed', status: 'running', startedOn: '2026-10-15', budgetDays: 19 },
      { step: 0, round: 1, status: 'resumed', remainingDays: 2 },
      { step: 0, round: 2, status: 'running', startedOn: '2026-10-15', budgetDays: 2, dueOn: '2026-10-19', resumedFromRound: 1 },
    ]);
    expect(h.sent.at(-1)).toMatchObject({ name: 'approval.task_assigned', payload: { dueOn: '2026-10-19' } });
  });

  it('extends the round’s due date and tells the applicant; a decision closes the step’s clock', async () => {
    const h = harness(sep30);
    await h.run(opened(sep30));
    const extended = await h.command({ type: 'extend', step: 0, round: 1, party: 0, actor: '陈', days: 2, reason: '需补充材料核实。', maxDays: 2 });
    expect(extended).toMatchObject([{ type: 'deadline_extended', days: 2, dueOn: '2026-10-13' }]);
    expect(h.sent.at(-1)).toMatchObject({ name: 'approval.deadline_extended', payload: { days: 2, reason: '需补充材料核实。', dueOn: '2026-10-13', extendedBy: '陈', step: { key: 'city_pre_review' } } });
    await h.command({ type: 'approve', step: 0, round: 1, party: 0, actor: '陈' });
    expect(h.clocks.rows.map((r) => [r.clock, r.step, r.status])).toEqual([['committed', -1, 'running'], ['step', 0, 'done']]);
    // The joint review has no limit: no clock, no due date in its assignments.
    expect(h.sent.at(-1)!.payload).not.toHaveProperty('dueOn');
  });

  it('tells the organisation a task is reassigned to when it is due', async () => {
    const h = harness(sep30);
    await h.run(opened(sep30));
    await h.command({ type: 'reassign', step: 0, round: 1, party: 0, actor: 'admin', organisation: 'zj-gov-office' });
    expect(h.sent.at(-1)).toMatchObject({ name: 'approval.task_assigned', payload: { reassigned: true, dueOn: '2026-10-10' } });
  });

  it('closes every clock when the applicant withdraws, paused ones included', async () => {
    const h = harness(sep30);
    await h.run(opened(sep30));
    await h.command({ type: 'return', step: 0, round: 1, party: 0, actor: '陈', deficiencies: [{ target: 'field', ref: 'title', note: '名称有误。' }] });
    await h.command({ type: 'withdraw', actor: '庆元县 经办人' });
    expect(h.clocks.rows.map((r) => r.status)).toEqual(['closed', 'closed']);
  });

  it('opens the step without a due date when its year has no calendar, and says why', async () => {
    const h = harness();
    const late = new Date('2026-12-29T02:00:00Z');
    const d = start(chain, 1, late);
    if (!d.ok) throw new Error(d.code);
    const events = await h.run(d.events);
    expect(events.find((e) => e.type === 'deadline_set' && e.clock === 'step')).toMatchObject({ dueOn: null, problem: expect.stringContaining('2027') });
    expect(h.ledger.tasks).toHaveLength(1);
    expect(h.sent[1]!.payload).not.toHaveProperty('dueOn');
  });
});
