import type { StepRef } from '@shanhai/contracts';
import { evolve, type InstanceEvent, type InstanceState } from '@shanhai/domain';
import type { Instance } from './instance.entity.js';
import type { Task } from './task.entity.js';

/** How an instance row and the domain's state map onto each other, and how tasks read in messages. */
export const stateOf = (i: Instance): InstanceState => ({
  status: i.status,
  revision: i.revision,
  currentStep: i.currentStep,
  round: i.round,
  chain: i.chain,
  parties: i.parties,
  ...(i.extendedSteps.length ? { extendedSteps: i.extendedSteps } : {}),
});

export const columnsOf = (s: InstanceState) => ({
  status: s.status,
  revision: s.revision,
  currentStep: s.currentStep,
  stepCount: s.chain.length,
  round: s.round,
  chain: [...s.chain],
  parties: [...s.parties],
  extendedSteps: [...(s.extendedSteps ?? [])],
});

export const fold = (state: InstanceState | undefined, events: readonly InstanceEvent[]): InstanceState => {
  const next = events.reduce(evolve, state);
  if (!next) throw new Error('no events to fold');
  return next;
};

export const stepRef = (t: Task): StepRef => ({
  index: t.stepIndex,
  key: t.stepKey,
  name: t.stepName,
  organisation: { code: t.organisationCode, name: t.organisationName, email: t.organisationEmail },
});

/** What every approval message says of the instance it is about. */
export interface InstanceRef {
  readonly instanceId: string;
  readonly submission: Instance['submission'];
  readonly definition: { key: string; version: number };
}

export const decisionOf = (ref: InstanceRef, task: Task) => ({
  ...ref,
  taskId: task.id,
  step: stepRef(task),
  decidedBy: task.decidedBy ?? '',
  ...(task.opinion && task.status !== 'rejected' ? { opinion: task.opinion } : {}),
  ...(task.actingFor ? { actingFor: task.actingFor } : {}),
});
