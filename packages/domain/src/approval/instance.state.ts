import { accept, refuse, type Decision } from '../shared/result.js';

/**
 * An approval instance on a sequential chain. Steps are decided one at a time, in order;
 * approving the last step approves the instance; a rejection at any step ends it, and so does
 * the applicant withdrawing while it is in review.
 */
export type InstanceStatus = 'in_review' | 'approved' | 'rejected' | 'withdrawn';

export interface InstanceState {
  readonly status: InstanceStatus;
  /** Index of the step awaiting a decision; after the end, the step that ended it. */
  readonly currentStep: number;
  readonly stepCount: number;
}

export type InstanceCommand =
  | { readonly type: 'approve'; readonly step: number; readonly actor: string; readonly opinion?: string }
  | { readonly type: 'reject'; readonly step: number; readonly actor: string; readonly reason: string }
  | { readonly type: 'withdraw'; readonly actor: string; readonly reason?: string };

export type InstanceEvent =
  | { readonly type: 'started'; readonly stepCount: number; readonly at: Date }
  | { readonly type: 'step_assigned'; readonly step: number; readonly at: Date }
  | { readonly type: 'step_approved'; readonly step: number; readonly actor: string; readonly opinion?: string; readonly at: Date }
  | { readonly type: 'approved'; readonly step: number; readonly at: Date }
  | { readonly type: 'rejected'; readonly step: number; readonly actor: string; readonly reason: string; readonly at: Date }
  | { readonly type: 'withdrawn'; readonly step: number; readonly actor: string; readonly reason?: string; readonly at: Date };

export type InstanceRefusal = 'INSTANCE_CLOSED' | 'STEP_NOT_CURRENT' | 'REASON_REQUIRED' | 'INVALID_CHAIN';

/** The events that open an instance on a chain of `stepCount` steps. */
export function start(stepCount: number, now: Date): Decision<InstanceEvent, InstanceRefusal> {
  if (!Number.isInteger(stepCount) || stepCount < 1) return refuse('INVALID_CHAIN', 'a chain needs at least one step');
  return accept([
    { type: 'started', stepCount, at: now },
    { type: 'step_assigned', step: 0, at: now },
  ]);
}

export function decide(state: InstanceState, cmd: InstanceCommand, now: Date): Decision<InstanceEvent, InstanceRefusal> {
  if (state.status !== 'in_review') return refuse('INSTANCE_CLOSED', `the instance is ${state.status}`);
  // The applicant withdraws the whole instance, whichever step is pending.
  if (cmd.type === 'withdraw') {
    return accept([{ type: 'withdrawn', step: state.currentStep, actor: cmd.actor, ...(cmd.reason === undefined ? {} : { reason: cmd.reason }), at: now }]);
  }
  if (cmd.step !== state.currentStep) {
    return refuse('STEP_NOT_CURRENT', `step ${cmd.step} is not the current step ${state.currentStep}`);
  }
  switch (cmd.type) {
    case 'approve': {
      const approved: InstanceEvent = {
        type: 'step_approved',
        step: cmd.step,
        actor: cmd.actor,
        ...(cmd.opinion === undefined ? {} : { opinion: cmd.opinion }),
        at: now,
      };
      const isLast = cmd.step === state.stepCount - 1;
      return accept([
        approved,
        isLast ? { type: 'approved', step: cmd.step, at: now } : { type: 'step_assigned', step: cmd.step + 1, at: now },
      ]);
    }
    case 'reject':
      if (!cmd.reason.trim()) return refuse('REASON_REQUIRED', 'a rejection states its reason');
      return accept([{ type: 'rejected', step: cmd.step, actor: cmd.actor, reason: cmd.reason, at: now }]);
  }
}

/** Applies one recorded event; `undefined` state means "before the instance started". */
export function evolve(state: InstanceState | undefined, event: InstanceEvent): InstanceState {
  if (event.type === 'started') return { status: 'in_review', currentStep: 0, stepCount: event.stepCount };
  if (!state) throw new Error(`event ${event.type} before the instance started`);
  switch (event.type) {
    case 'step_assigned':
      return { ...state, currentStep: event.step };
    case 'step_approved':
      return state;
    case 'approved':
      return { ...state, status: 'approved' };
    case 'rejected':
      return { ...state, status: 'rejected' };
    case 'withdrawn':
      return { ...state, status: 'withdrawn' };
  }
}

/** Rebuilds an instance's state from its recorded events. */
export const replay = (events: readonly InstanceEvent[]): InstanceState | undefined =>
  events.reduce<InstanceState | undefined>(evolve, undefined);
