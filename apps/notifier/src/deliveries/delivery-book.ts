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
 * Writes a planned email as a queued delivery and its delivery job, in the caller's (inbox)
 * transaction; a delivery of the same key written before (a redelivered event) is left as it is.
 * Its Message-ID derives from the key, so even a resend reads to mail clients as the same email.
 */
export async function queueDelivery(m: EntityManager, outbox: Outbox, messageIdDomain: string, d: PlannedDelivery): Promise<boolean> {
  const key = deliveryKey(d);
  const inserted = await m
    .createQueryBuilder()
    .insert()
    .into(Delivery)
    .values({
      ...d,
      id: randomUUID(),
      recipient: d.recipient.toLowerCase(),
      messageId: `<${createHash('sha256').update(key).digest('hex').slice(0, 40)}@${messageIdDomain}>`,
      status: 'queued',
      attempts: 0,
      lastError: null,
      sentAt: null,
    })
    .orIgnore()
    .returning(['id'])
    .execute();
  const row = (inserted.raw as { id: string }[])[0];
  if (row) await outbox.enqueueJob(m, DeliveryJob, { deliveryId: row.id }, row.id);
  return !!row;
}
