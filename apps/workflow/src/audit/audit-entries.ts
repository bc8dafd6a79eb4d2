import type { ActorRef } from '@shanhai/contracts';
import { evolve, type InstanceEvent, type InstanceState } from '@shanhai/domain';
import type { AuditFields } from './audit-chain.js';

/** Who caused a batch of events, and on whose behalf. */
export interface AuditActor {
  /** The person: a reviewer's name as on the decision, or the applicant for a submission. */
  readonly actor: string;
  /** Whom the actor acted for: the reviewer who delegated the task to them (代办); null when acting for themselves. */
  readonly actingFor: string | null;
  /** The signed-in account that acted (user id, name, organisation or county); null only for messages from before intake sent it. */
  readonly account?: ActorRef | null;
}

export interface AuditSubject {
  readonly instanceId: string;
  readonly revision: number;
  readonly definitionKey: string;
  readonly definitionVersion: number;
}

/** A domain event as jsonb keeps it (dates as ISO text), so the hash is computed over what is read back. */
export const jsonForm = (event: InstanceEvent): Record<string, unknown> => JSON.parse(JSON.stringify(event)) as Record<string, unknown>;

function opinionOf(event: InstanceEvent): string | null {
  switch (event.type) {
    case 'step_approved':
      return event.opinion ?? null;
    case 'rejected':
      return event.reason;
    case 'returned':
      // The whole notice is in `data`; the opinion column reads as the notice does.
      return [event.opinion, ...event.deficiencies.map((d, i) => `${i + 1}. ${d.target === 'field' ? '字段' : '附件'} ${d.label?.zh ?? d.ref}：${d.note}`)].filter(Boolean).join('\n');
    case 'delegated':
    case 'reassigned':
    case 'withdrawn':
    case 'resubmitted':
      return event.reason ?? null;
    case 'urged':
      return event.note ?? null;
    default:
      return null;
  }
}

/**
 * One audit entry per event, numbered from `firstSeq`, each with the state before and after it
 * (`before` is the state ahead of the first event; undefined before the instance started).
 */
export function auditFields(subject: AuditSubject, by: AuditActor, before: InstanceState | undefined, events: readonly InstanceEvent[], firstSeq: number): AuditFields[] {
  let state = before;
  return events.map((event, i) => {
    const next = evolve(state, event);
    const fields: AuditFields = {
      ...subject,
      seq: firstSeq + i,
      actor: by.actor,
      actingFor: by.actingFor,
      account: by.account ?? null,
      action: event.type,
      opinion: opinionOf(event),
      fromStatus: state?.status ?? null,
      toStatus: next.status,
      fromStep: state?.currentStep ?? null,
      toStep: next.currentStep,
      at: event.at,
      data: jsonForm(event),
    };
    state = next;
    return fields;
  });
}
