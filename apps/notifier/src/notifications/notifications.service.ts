import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { QueueName } from '@shanhai/contracts';
import { Outbox } from '@shanhai/platform';
import type { EntityManager } from 'typeorm';
import { NOTIFIER_CONFIG, type NotifierConfig } from '../config.js';
import { Delivery } from '../deliveries/delivery.entity.js';
import { PreferencesService } from '../preferences/preferences.service.js';
import { NotifiedEvent } from '../reconciler/notified-event.entity.js';
import { planNotices, type NotifiableMessage } from './notices.js';

export const DELIVER_JOB = 'deliver';

/** Turns a workflow event into delivery rows and one delivery job each, in the inbox transaction. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly outbox: Outbox,
    private readonly preferences: PreferencesService,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
  ) {}

  /**
   * Plans the event's emails: to its parties and the submission's watchers, each in the recipient's
   * language, leaving out the non-statutory notices a recipient muted. Records first what the event
   * reveals of who may watch the submission (its county, reviewing organisations, stakeholders),
   * then tells only the watchers still allowed to. Records the event with the number of deliveries
   * planned, for the reconciler. Runs in the inbox transaction (`manager`).
   */
  async plan(manager: EntityManager, message: NotifiableMessage, receivedAt: Date = new Date()): Promise<void> {
    const submissionId = message.payload.submission.submissionId;
    await this.preferences.recordAudience(manager, message);
    const watchers = await this.preferences.watchersOf(manager, submissionId);
    // Decide who is told first, then write only what is sent, each in its recipient's language.
    const planned = planNotices(message, { watchers });
    const settings = await this.preferences.settingsOf(manager, planned.map((n) => n.to.email));
    const notices = planned.filter((n) => n.statutory || !settings(n.to.email).muted.has(n.template)).map((n) => n.render(settings(n.to.email).locale));

    const keys = new Set<string>();
    for (const notice of notices) {
      const recipient = notice.to.email.toLowerCase();
      const key = `${message.id}|${recipient}|${notice.template}`;
      keys.add(key);
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Delivery)
        .values({
          id: randomUUID(),
          eventId: message.id,
          eventName: message.name,
          submissionId,
          recipient,
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
    await manager
      .createQueryBuilder()
      .insert()
      .into(NotifiedEvent)
      .values({ eventId: message.id, eventName: message.name, submissionId, receivedAt, planned: keys.size, reconciledAt: null, reportedAt: null })
      .orIgnore()
      .execute();
  }
}
