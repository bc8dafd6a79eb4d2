import { Inject, Injectable } from '@nestjs/common';
import type { Contact } from '@shanhai/contracts';
import { DirectoryReplica, Outbox } from '@shanhai/platform';
import type { EntityManager } from 'typeorm';
import { NOTIFIER_CONFIG, type NotifierConfig } from '../config.js';
import { deliveryKey, queueDeliveries } from '../deliveries/delivery-book.js';
import { PreferencesService } from '../preferences/preferences.service.js';
import { recordPlannedEvent } from '../reconciler/planned-events.js';
import { planNotices, type NotifiableMessage } from './notices.js';

/** Turns a workflow event into delivery rows and one delivery job each, in the inbox transaction. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly outbox: Outbox,
    private readonly preferences: PreferencesService,
    private readonly directory: DirectoryReplica,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
  ) {}

  /**
   * Plans the event's emails: to its parties (each active account of a reviewing organisation,
   * from the directory replica, or its mailbox) and the submission's watchers, each in the
   * recipient's language, leaving out the non-statutory notices a recipient muted. Records first
   * what the event reveals of who may watch the submission (its county, reviewing organisations,
   * stakeholders), then tells only the watchers still allowed to. Records the event with the
   * number of deliveries planned, for the reconciler. Runs in the inbox transaction (`manager`).
   */
  async plan(manager: EntityManager, message: NotifiableMessage, receivedAt: Date = new Date()): Promise<void> {
    const submissionId = message.payload.submission.submissionId;
    await this.preferences.recordAudience(manager, message);
    const watchers = await this.preferences.watchersOf(manager, submissionId);
    const people = await this.peopleOf(manager, message);
    // Decide who is told first, then write only what is sent, each in its recipient's language.
    const planned = planNotices(message, {
      watchers,
      membersOf: (code) => people.members.get(code) ?? [],
      supervisorsOf: (code) => people.supervisors.get(code) ?? [],
      accountOf: (id) => people.accounts.get(id),
    });
    const settings = await this.preferences.settingsOf(manager, planned.map((n) => n.to.email));
    const notices = planned.filter((n) => n.statutory || !settings(n.to.email).muted.has(n.template)).map((n) => n.render(settings(n.to.email).locale));

    const deliveries = notices.map((notice) => ({
      eventId: message.id,
      eventName: message.name,
      submissionId,
      recipient: notice.to.email,
      recipientName: notice.to.name,
      template: notice.template,
      subject: notice.subject,
      text: notice.text,
      html: notice.html,
    }));
    const keys = new Set(deliveries.map(deliveryKey));
    await queueDeliveries(manager, this.outbox, this.config.messageIdDomain, deliveries);
    await recordPlannedEvent(manager, { eventId: message.id, eventName: message.name, submissionId, receivedAt, planned: keys.size });
  }

  /**
   * The active accounts of the organisations the event's steps name (and an escalation's target),
   * the target's supervisors, and the delegate's account.
   */
  private async peopleOf(manager: EntityManager, message: NotifiableMessage): Promise<{ members: Map<string, Contact[]>; supervisors: Map<string, Contact[]>; accounts: Map<string, Contact> }> {
    const p = message.payload;
    const codes = new Set<string>();
    if ('step' in p) codes.add(p.step.organisation.code);
    if ('steps' in p) for (const { step } of p.steps) codes.add(step.organisation.code);
    if ('escalatedTo' in p) codes.add(p.escalatedTo.code);
    const contact = (u: { name: string; email: string }): Contact => ({ name: u.name, email: u.email });
    const members = new Map<string, Contact[]>();
    for (const code of codes) members.set(code, (await this.directory.members(manager, code)).map(contact));
    const supervisors = new Map<string, Contact[]>();
    if (message.name === 'approval.escalated' && message.payload.supervisors) {
      const code = message.payload.escalatedTo.code;
      supervisors.set(code, (await this.directory.supervisors(manager, code)).map(contact));
    }
    const accounts = new Map<string, Contact>();
    if (message.name === 'approval.delegated') {
      const delegate = await this.directory.account(manager, message.payload.delegate.userId);
      if (delegate?.active) accounts.set(delegate.id, { name: delegate.name, email: delegate.email });
    }
    return { members, supervisors, accounts };
  }
}
