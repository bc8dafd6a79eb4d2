import type { EntityManager } from 'typeorm';
import { NotifiedEvent } from './notified-event.entity.js';

/** Records, once, that an event was planned with `planned` deliveries: what the reconciler later checks. */
export async function recordPlannedEvent(m: EntityManager, event: { eventId: string; eventName: string; submissionId: string; receivedAt: Date; planned: number }): Promise<void> {
  await m
    .createQueryBuilder()
    .insert()
    .into(NotifiedEvent)
    .values({ ...event, reconciledAt: null, reportedAt: null })
    .orIgnore()
    .execute();
}
