import { accept, refuse, type Decision } from '../shared/result.js';
import type { ClockEvent } from './clock.events.js';
import type { StepMode } from './definition.js';

/**
 * An approval instance: one submission's run through a chain of steps, across its revisions.
 *
 * Steps are decided in order. A step is decided by its parties (reviewing organisations): one
 * party (`single`), every party (`all_of`, 会签: all must agree) or the first party to decide
 * (`any_of`, 或签). Approving the last step approves the instance; a rejection ends it; a return
 * for correction (补正) hands it back to the applicant, whose next revision re-enters at the step
 * that returned it, for a new round of that step's parties. The applicant may withdraw until the
 * final decision.
 */
export type InstanceStatus = 'in_review' | 'returned' | 'approved' | 'rejected' | 'withdrawn';

export const isClosed = (status: InstanceStatus): boolean => status === 'approved' || status === 'rejected' || status === 'withdrawn';

/** A step as an instance runs it: its mode and its parties' organisation codes, resolved at start. */
export interface ChainStep {
  readonly mode: StepMode;
  readonly parties: readonly string[];
}

/** A person a task is handed to, inside the party's organisation. */
export interface Assignee {
  readonly userId: string;
  readonly name: string;
}

export type PartyStatus = 'pending' | 'approved' | 'rejected' | 'returned' | 'closed';

/** One party of the current step in the current round. */
export interface PartyState {
  readonly organisation: string;
  readonly status: PartyStatus;
  /** Set when the task was delegated (转办): only this person may decide it, acting for `delegatedBy`. */
  readonly assignee: Assignee | null;
  readonly delegatedBy: string | null;
}

export interface InstanceState {
  readonly status: InstanceStatus;
  /** The submission revision under review (or, when returned, the one that was returned). */
  readonly revision: number;
  /** Index of the step awaiting a decision; after the end, the step that ended it. */
  readonly currentStep: number;
  /** How many times a step was entered: a task belongs to one round, so a stale task is told apart. */
  readonly round: number;
  readonly chain: readonly ChainStep[];
  /** The current step's parties in the current round. */
  readonly parties: readonly PartyState[];
  /** The steps whose time limit was extended (延期): once per step, whatever its rounds. Absent: none. */
  readonly extendedSteps?: readonly number[];
}

/** Which task a reviewer's command is about: step, round and party index within the step. */
export interface TaskRef {
  readonly step: number;
  readonly round: number;
  readonly party: number;
}

export interface DeficiencyNote {
  readonly target: 'field' | 'attachment';
  readonly ref: string;
  readonly note: string;
  /** How readers are told what `ref` is (see deficiencyLabel); set by the service when it records the notice. */
  readonly label?: { readonly zh: string; readonly en: string };
}

/**
 * A reviewer's command names the task and who gives it: `actor` as the audit shows them and
 * `actorId`, their account, against which a delegated task's assignee is checked.
 */
interface ReviewerCommand extends TaskRef {
  readonly actor: string;
  readonly actorId?: string;
  /** The organisation the reviewer acts for: the party must still be it when the command applies. */
  readonly actorOrganisation?: string;
}

export type InstanceCommand =
  | ({ readonly type: 'approve'; readonly opinion?: string } & ReviewerCommand)
  | ({ readonly type: 'reject'; readonly reason: string } & ReviewerCommand)
  | ({ readonly type: 'return'; readonly deficiencies: readonly DeficiencyNote[]; readonly opinion?: string } & ReviewerCommand)
  | ({ readonly type: 'delegate'; readonly to: Assignee; readonly reason?: string } & ReviewerCommand)
  | ({ readonly type: 'reassign'; readonly organisation: string; readonly reason?: string } & ReviewerCommand)
  /** 延期: `maxDays` is the step's bound from its definition (0: the step has no time limit). */
  | ({ readonly type: 'extend'; readonly days: number; readonly reason: string; readonly maxDays: number } & ReviewerCommand)
  | { readonly type: 'resubmit'; readonly actor: string; readonly revision: number; readonly reason?: string }
  /**
   * `revision`: the one the applicant withdrew (intake's latest when they asked). A later revision
   * submitted since supersedes the withdrawal; without it, whatever is under review is withdrawn.
   */
  | { readonly type: 'withdraw'; readonly actor: string; readonly revision?: number; readonly reason?: string };

/** Who decided, for whom: `actingFor` is the delegator when a delegate decides. */
interface Decided extends TaskRef {
  readonly actor: string;
  readonly actingFor?: string;
}

export type InstanceEvent =
  | { readonly type: 'started'; readonly revision: number; readonly chain: readonly ChainStep[]; readonly at: Date }
  | { readonly type: 'step_assigned'; readonly step: number; readonly round: number; readonly parties: readonly string[]; readonly at: Date }
  | ({ readonly type: 'step_approved'; readonly opinion?: string; readonly at: Date } & Decided)
  | { readonly type: 'step_completed'; readonly step: number; readonly round: number; readonly at: Date }
  | { readonly type: 'approved'; readonly step: number; readonly at: Date }
  | ({ readonly type: 'rejected'; readonly reason: string; readonly at: Date } & Decided)
  | ({ readonly type: 'returned'; readonly deficiencies: readonly DeficiencyNote[]; readonly opinion?: string; readonly at: Date } & Decided)
  | { readonly type: 'resubmitted'; readonly revision: number; readonly step: number; readonly actor: string; readonly reason?: string; readonly at: Date }
  | ({ readonly type: 'delegated'; readonly to: Assignee; readonly reason?: string; readonly at: Date } & Decided)
  | ({ readonly type: 'reassigned'; readonly from: string; readonly to: string; readonly reason?: string; readonly at: Date } & Decided)
  | { readonly type: 'withdrawn'; readonly step: number; readonly actor: string; readonly reason?: string; readonly at: Date }
  /** `dueOn`: the step's new due date, set by the service that holds the calendar (null when it cannot be computed). */
  | ({ readonly type: 'deadline_extended'; readonly days: number; readonly reason: string; readonly dueOn?: string | null; readonly at: Date } & Decided)
  | ClockEvent;

export type InstanceRefusal =
  | 'INVALID_CHAIN'
  | 'INSTANCE_CLOSED'
  | 'AWAITING_CORRECTION'
  | 'NOT_RETURNED'
  | 'STALE_REVISION'
  | 'STEP_NOT_CURRENT'
  | 'TASK_CLOSED'
  | 'REASON_REQUIRED'
  | 'DEFICIENCIES_REQUIRED'
  | 'NOT_A_PARTY'
  | 'NOT_ASSIGNEE'
  | 'SELF_DELEGATION'
  | 'TASK_REASSIGNED'
  | 'NO_TIME_LIMIT'
  | 'ALREADY_EXTENDED'
  | 'EXTENSION_TOO_LONG';

/** The events that open an instance for `revision` on `chain`, with its first step assigned. */
export function start(chain: readonly ChainStep[], revision: number, now: Date): Decision<InstanceEvent, InstanceRefusal> {
  const problem = chainProblem(chain);
  if (problem) return refuse('INVALID_CHAIN', problem);
  return accept([
    { type: 'started', revision, chain, at: now },
    { type: 'step_assigned', step: 0, round: 1, parties: chain[0]!.parties, at: now },
  ]);
}

function chainProblem(chain: readonly ChainStep[]): string | undefined {
  if (chain.length < 1) return 'a chain needs at least one step';
  const bad = chain.findIndex((s) => s.parties.length < 1 || (s.mode === 'single' && s.parties.length !== 1) || new Set(s.parties).size !== s.parties.length);
  return bad < 0 ? undefined : `step ${bad} needs one party (single) or distinct parties (all_of, any_of)`;
}

export function decide(state: InstanceState, cmd: InstanceCommand, now: Date): Decision<InstanceEvent, InstanceRefusal> {
  if (isClosed(state.status)) return refuse('INSTANCE_CLOSED', `the instance is ${state.status}`);
  switch (cmd.type) {
    case 'withdraw':
      // Asked of the returned revision, then overtaken by its correction (intake lets the applicant
      // resubmit while the withdrawal is on its way): the revision under review now is not the one
      // withdrawn. Refused, so of the two exactly one lands, whichever workflow takes first.
      if (cmd.revision !== undefined && cmd.revision < state.revision) {
        return refuse('STALE_REVISION', `revision ${cmd.revision} was withdrawn, but revision ${state.revision} was submitted since`);
      }
      // The applicant withdraws the whole instance, in review or back for correction.
      return accept([{ type: 'withdrawn', step: state.currentStep, actor: cmd.actor, ...optional('reason', cmd.reason), at: now }]);
    case 'resubmit':
      if (cmd.revision <= state.revision) return refuse('STALE_REVISION', `revision ${cmd.revision} is not newer than ${state.revision}`);
      if (state.status !== 'returned') return refuse('NOT_RETURNED', 'only a submission returned for correction is resubmitted');
      return accept([
        { type: 'resubmitted', revision: cmd.revision, step: state.currentStep, actor: cmd.actor, ...optional('reason', cmd.reason), at: now },
        assignment(state, state.currentStep, state.parties.map((p) => p.organisation), now),
      ]);
  }
  const refused = taskProblem(state, cmd);
  if (refused) return refused;
  const party = state.parties[cmd.party]!;
  // Checked on the state the command changes: an admin may have moved the task a moment earlier.
  if (cmd.type !== 'reassign' && cmd.actorOrganisation !== undefined && cmd.actorOrganisation !== party.organisation) {
    return refuse('TASK_REASSIGNED', `the task was reassigned to ${party.organisation}`);
  }
  // A delegated task is its assignee's alone; an admin's reassignment takes it back whoever holds it.
  if (party.assignee && cmd.type !== 'reassign' && cmd.actorId !== party.assignee.userId) {
    return refuse('NOT_ASSIGNEE', `the task was delegated to ${party.assignee.name}: only they decide it`);
  }
  if (cmd.type === 'delegate' && cmd.actorId !== undefined && cmd.to.userId === cmd.actorId) {
    return refuse('SELF_DELEGATION', 'a task is delegated to a colleague, not to oneself');
  }
  const by: Decided = {
    step: cmd.step,
    round: cmd.round,
    party: cmd.party,
    actor: cmd.actor,
    ...(party.delegatedBy && cmd.type !== 'reassign' ? { actingFor: party.delegatedBy } : {}),
  };
  switch (cmd.type) {
    case 'approve': {
      const approved: InstanceEvent = { type: 'step_approved', ...by, ...optional('opinion', cmd.opinion), at: now };
      const mode = state.chain[cmd.step]!.mode;
      const othersPending = state.parties.some((p, i) => i !== cmd.party && p.status === 'pending');
      if (mode === 'all_of' && othersPending) return accept([approved]);
      const completed: InstanceEvent = { type: 'step_completed', step: cmd.step, round: cmd.round, at: now };
      const isLast = cmd.step === state.chain.length - 1;
      const next: InstanceEvent = isLast ? { type: 'approved', step: cmd.step, at: now } : assignment(state, cmd.step + 1, state.chain[cmd.step + 1]!.parties, now);
      return accept([approved, completed, next]);
    }
    case 'reject':
      if (!cmd.reason.trim()) return refuse('REASON_REQUIRED', 'a rejection states its reason');
      return accept([{ type: 'rejected', ...by, reason: cmd.reason, at: now }]);
    case 'return': {
      if (cmd.deficiencies.length === 0 || cmd.deficiencies.some((d) => !d.ref.trim() || !d.note.trim())) {
        return refuse('DEFICIENCIES_REQUIRED', 'a correction notice lists every deficiency, each with its field or attachment and a note');
      }
      return accept([{ type: 'returned', ...by, deficiencies: cmd.deficiencies, ...optional('opinion', cmd.opinion), at: now }]);
    }
    case 'delegate':
      return accept([{ type: 'delegated', ...by, to: cmd.to, ...optional('reason', cmd.reason), at: now }]);
    case 'reassign':
      // To the organisation that holds it: only to take back a delegation (the colleague cannot act, say).
      if (cmd.organisation === party.organisation && !party.assignee) return refuse('NOT_A_PARTY', `the task is already ${cmd.organisation}'s`);
      if (state.parties.some((p, i) => i !== cmd.party && p.organisation === cmd.organisation)) return refuse('NOT_A_PARTY', `${cmd.organisation} is already a party of this step`);
      return accept([{ type: 'reassigned', ...by, from: party.organisation, to: cmd.organisation, ...optional('reason', cmd.reason), at: now }]);
    case 'extend':
      if (cmd.maxDays < 1) return refuse('NO_TIME_LIMIT', `step ${cmd.step} has no time limit to extend`);
      if (state.extendedSteps?.includes(cmd.step)) return refuse('ALREADY_EXTENDED', `step ${cmd.step} was extended once already`);
      if (!cmd.reason.trim()) return refuse('REASON_REQUIRED', 'an extension states its reason');
      if (!Number.isInteger(cmd.days) || cmd.days < 1 || cmd.days > cmd.maxDays) return refuse('EXTENSION_TOO_LONG', `an extension of step ${cmd.step} is 1 to ${cmd.maxDays} working days, not ${cmd.days}`);
      return accept([{ type: 'deadline_extended', ...by, days: cmd.days, reason: cmd.reason, at: now }]);
  }
}

/** Why a reviewer's command cannot act on its task now, if it cannot. */
function taskProblem(state: InstanceState, cmd: TaskRef): { ok: false; code: InstanceRefusal; detail?: string } | undefined {
  if (state.status === 'returned') return refuse('AWAITING_CORRECTION', 'the submission is back with the applicant for correction');
  if (cmd.step !== state.currentStep) return refuse('STEP_NOT_CURRENT', `step ${cmd.step} is not the current step ${state.currentStep}`);
  if (cmd.round !== state.round) return refuse('TASK_CLOSED', `the task belongs to round ${cmd.round}, not the current round ${state.round}`);
  const party = state.parties[cmd.party];
  if (!party) return refuse('NOT_A_PARTY', `step ${cmd.step} has no party ${cmd.party}`);
  if (party.status !== 'pending') return refuse('TASK_CLOSED', `the task is closed (${party.status})`);
  return undefined;
}

const assignment = (state: InstanceState, step: number, parties: readonly string[], now: Date): InstanceEvent => ({
  type: 'step_assigned',
  step,
  round: state.round + 1,
  parties,
  at: now,
});

const optional = <K extends string>(key: K, value: string | undefined): { [P in K]?: string } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };

const withParty = (state: InstanceState, index: number, change: Partial<PartyState>): readonly PartyState[] =>
  state.parties.map((p, i) => (i === index ? { ...p, ...change } : p));

/** Applies one recorded event; `undefined` state means "before the instance started". */
export function evolve(state: InstanceState | undefined, event: InstanceEvent): InstanceState {
  if (event.type === 'started') return { status: 'in_review', revision: event.revision, currentStep: 0, round: 0, chain: event.chain, parties: [] };
  if (!state) throw new Error(`event ${event.type} before the instance started`);
  switch (event.type) {
    case 'step_assigned':
      return {
        ...state,
        status: 'in_review',
        currentStep: event.step,
        round: event.round,
        parties: event.parties.map((organisation) => ({ organisation, status: 'pending', assignee: null, delegatedBy: null })),
      };
    case 'step_approved':
      return { ...state, parties: withParty(state, event.party, { status: 'approved' }) };
    case 'step_completed':
      // An any-of step is decided by its first approval: the other parties need not act.
      return { ...state, parties: state.parties.map((p) => (p.status === 'pending' ? { ...p, status: 'closed' } : p)) };
    case 'approved':
      return { ...state, status: 'approved' };
    case 'rejected':
      return { ...state, status: 'rejected', parties: closeOthers(withParty(state, event.party, { status: 'rejected' })) };
    case 'returned':
      return { ...state, status: 'returned', parties: closeOthers(withParty(state, event.party, { status: 'returned' })) };
    case 'resubmitted':
      return { ...state, revision: event.revision };
    case 'delegated':
      return { ...state, parties: withParty(state, event.party, { assignee: event.to, delegatedBy: event.actingFor ?? event.actor }) };
    case 'reassigned':
      return { ...state, parties: withParty(state, event.party, { organisation: event.to, assignee: null, delegatedBy: null }) };
    case 'withdrawn':
      return { ...state, status: 'withdrawn', parties: closeOthers(state.parties) };
    case 'deadline_extended':
      return { ...state, extendedSteps: [...(state.extendedSteps ?? []), event.step] };
    case 'deadline_set':
    case 'clock_paused':
    case 'clock_resumed':
    case 'deadline_recomputed':
    case 'reminded':
    case 'escalated':
    case 'urged':
      // The clocks' events (clock.events.ts): the rules do not decide on them.
      return state;
  }
}

const closeOthers = (parties: readonly PartyState[]): readonly PartyState[] => parties.map((p) => (p.status === 'pending' ? { ...p, status: 'closed' } : p));

/** Rebuilds an instance's state from its recorded events. */
export const replay = (events: readonly InstanceEvent[]): InstanceState | undefined => events.reduce<InstanceState | undefined>(evolve, undefined);

/**
 * What must hold of every reachable state; the property-based specs check it after any sequence
 * of commands. Returns the first violation, or undefined.
 */
export function invariantViolation(state: InstanceState): string | undefined {
  const step = state.chain[state.currentStep];
  if (!step) return `current step ${state.currentStep} outside the chain of ${state.chain.length}`;
  if (state.parties.length !== step.parties.length) return `step ${state.currentStep} has ${state.parties.length} parties, not ${step.parties.length}`;
  if (new Set(state.parties.map((p) => p.organisation)).size !== state.parties.length) return 'two parties of one step are the same organisation';
  const pending = state.parties.filter((p) => p.status === 'pending').length;
  if (state.status === 'in_review' && pending === 0) return 'in review with no party pending';
  if (state.status !== 'in_review' && pending > 0) return `${state.status} with a party still pending`;
  if (state.status === 'returned' && state.parties.filter((p) => p.status === 'returned').length !== 1) return 'returned without exactly one returning party';
  if (state.status === 'approved' && state.currentStep !== state.chain.length - 1) return 'approved before the last step';
  if (step.mode !== 'all_of' && state.parties.filter((p) => p.status === 'approved').length > 1) return `${step.mode} step approved by more than one party`;
  return undefined;
}
