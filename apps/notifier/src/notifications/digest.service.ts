import { Inject, Injectable } from '@nestjs/common';
import type { Contact, MessageByName } from '@shanhai/contracts';
import { DirectoryReplica, Outbox } from '@shanhai/platform';
import type { EntityManager } from 'typeorm';
import { NOTIFIER_CONFIG, type NotifierConfig } from '../config.js';
import { queueDeliveries, type PlannedDelivery } from '../deliveries/delivery-book.js';
import { PreferencesService } from '../preferences/preferences.service.js';
import { planDigest } from './digest-notices.js';

/**
 * A digest concerns no one submission: its deliveries carry the nil UUID as their submission, so
 * they are listed by recipient, never under a submission.
 */
export const NO_SUBMISSION = '00000000-0000-0000-0000-000000000000';

/** Turns a daily digest into one delivery per recipient, in the inbox transaction. */
@Injectable()
export class DigestNotifications {
  constructor(
    private readonly outbox: Outbox,
    private readonly preferences: PreferencesService,
    private readonly directory: DirectoryReplica,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
  ) {}

  async plan(manager: EntityManager, message: MessageByName<'approval.digest'>): Promise<void> {
    const members = (await this.directory.members(manager, message.payload.organisation.code)).map((u) => ({ name: u.name, email: u.email }));
    const delegates: Contact[] = [];
    for (const id of new Set(message.payload.tasks.flatMap((t) => (t.assignee ? [t.assignee] : [])))) {
      const account = await this.directory.account(manager, id);
      if (account?.active) delegates.push({ name: account.name, email: account.email });
    }
    const planned = planDigest(message, members, delegates);
    const settings = await this.preferences.settingsOf(manager, planned.map((n) => n.to.email));
    const notices = planned.filter((n) => n.statutory || !settings(n.to.email).muted.has(n.template)).map((n) => n.render(settings(n.to.email).locale));
    const deliveries: PlannedDelivery[] = notices.map((n) => ({ eventId: message.id, eventName: message.name, submissionId: NO_SUBMISSION, recipient: n.to.email, recipientName: n.to.name, template: n.template, subject: n.subject, text: n.text, html: n.html }));
    await queueDeliveries(manager, this.outbox, this.config.messageIdDomain, deliveries);
  }
}
