import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { QueueName } from '@shanhai/contracts';
import { Outbox } from '@shanhai/platform';
import type { EntityManager } from 'typeorm';
import { NOTIFIER_CONFIG, type NotifierConfig } from '../config.js';
import { Delivery } from '../deliveries/delivery.entity.js';
import { noticesFor, type NotifiableMessage } from './notices.js';

export const DELIVER_JOB = 'deliver';

/** Turns a workflow event into delivery rows and one delivery job each, in the inbox transaction. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly outbox: Outbox,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
  ) {}

  async plan(manager: EntityManager, message: NotifiableMessage): Promise<void> {
    for (const notice of noticesFor(message)) {
      const key = `${message.id}|${notice.to.email.toLowerCase()}|${notice.template}`;
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Delivery)
        .values({
          id: randomUUID(),
          eventId: message.id,
          eventName: message.name,
          submissionId: message.payload.submission.submissionId,
          recipient: notice.to.email.toLowerCase(),
          recipientName: notice.to.name,
          template: notice.template,
          subject: notice.subject,
          text: notice.text,
          html: notice.html,
          messageId: `<${createHash('sha256').update(key).digest('hex').slice(0, 40)}@${this.config.messageIdDomain}>`,
          status: 'queued',
          attempts: 0,
          lastError: null,
          sentAt: null,
        })
        .orIgnore()
        .returning(['id'])
        .execute();
      const row = (inserted.raw as { id: string }[])[0];
      if (row) await this.outbox.enqueue(manager, QueueName.NotifierDeliveries, DELIVER_JOB, row.id, { deliveryId: row.id });
    }
  }
}
