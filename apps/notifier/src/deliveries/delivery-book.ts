import { createHash, randomUUID } from 'node:crypto';
import { DeliveryJob } from '@shanhai/contracts';
import type { Outbox } from '@shanhai/platform';
import type { EntityManager } from 'typeorm';
import { Delivery } from './delivery.entity.js';

// What the other features may know of a delivery's life: its statuses.
export { DELIVERY_STATUSES, type DeliveryStatus } from './delivery.entity.js';

/** One email as the notifications feature hands it over: which event, to whom, under which template, and its text. */
export interface PlannedDelivery {
  readonly eventId: string;
  readonly eventName: string;
  readonly submissionId: string;
  readonly recipient: string;
  readonly recipientName: string;
  readonly template: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** The key that makes an email once-only: one per event, recipient (lower case) and template. */
export const deliveryKey = (d: Pick<PlannedDelivery, 'eventId' | 'recipient' | 'template'>): string => `${d.eventId}|${d.recipient.toLowerCase()}|${d.template}`;

/**
 * Writes planned emails as queued deliveries and one delivery job each, in the caller's (inbox)
 * transaction, in two statements however many there are; a delivery of a key written before (a
 * redelivered event) is left as it is and gets no second job. Each Message-ID derives from the
 * key, so even a resend reads to mail clients as the same email. Returns how many were new.
 */
export async function queueDeliveries(m: EntityManager, outbox: Outbox, messageIdDomain: string, planned: readonly PlannedDelivery[]): Promise<number> {
  // One row per key, the first planned (as inserting them one by one left it).
  const byKey = new Map<string, PlannedDelivery>();
  for (const d of planned) if (!byKey.has(deliveryKey(d))) byKey.set(deliveryKey(d), d);
  const unique = [...byKey.values()];
  if (!unique.length) return 0;
  const inserted = await m
    .createQueryBuilder()
    .insert()
    .into(Delivery)
    .values(
      unique.map((d) => ({
        ...d,
        id: randomUUID(),
        recipient: d.recipient.toLowerCase(),
        messageId: `<${createHash('sha256').update(deliveryKey(d)).digest('hex').slice(0, 40)}@${messageIdDomain}>`,
        status: 'queued' as const,
        attempts: 0,
        lastError: null,
        sentAt: null,
      })),
    )
    .orIgnore()
    .returning(['id'])
    .execute();
  const rows = inserted.raw as { id: string }[];
  await outbox.enqueueJobs(m, DeliveryJob, rows.map((row) => ({ payload: { deliveryId: row.id }, jobId: row.id })));
  return rows.length;
}
