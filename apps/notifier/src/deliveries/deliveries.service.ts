import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, MetricsService } from '@shanhai/platform';
import type { DataSource } from 'typeorm';
import { Delivery } from './delivery.entity.js';
import { Mailer } from './mailer.js';

/** How long a claim on a delivery lasts: longer than any SMTP send may take. */
export const CLAIM_LEASE_SECONDS = 120;

export type DeliveryOutcome = 'sent' | 'already_sent';

/** Thrown when another worker holds a live claim: retried later, never sent twice at once. */
export class DeliveryBusyError extends Error {}

@Injectable()
export class DeliveriesService {
  private readonly logger = new Logger(DeliveriesService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Claims the delivery, sends it, and records the outcome. A delivery already sent is never
   * sent again; one whose sender died mid-send is retried after its lease runs out, under the
   * same Message-ID.
   */
  async deliver(id: string): Promise<DeliveryOutcome> {
    const claimed = await this.claim(id);
    if (!claimed) {
      const row = await this.dataSource.manager.findOneBy(Delivery, { id });
      if (!row) throw new DomainError('NOT_FOUND', `no delivery ${id}`);
      if (row.status === 'sent') return 'already_sent';
      throw new DeliveryBusyError(`delivery ${id} is being sent by another worker`);
    }
    try {
      await this.mailer.send({
        to: { name: claimed.recipientName, address: claimed.recipient },
        subject: claimed.subject,
        text: claimed.text,
        html: claimed.html,
        messageId: claimed.messageId,
      });
    } catch (error) {
      const message = (error as Error).message.slice(0, 1000);
      await this.dataSource.manager.update(Delivery, { id }, { status: 'failed', lastError: message });
      this.metrics.emails.inc({ template: claimed.template, outcome: 'failed' });
      this.logger.warn(`delivery ${id} to ${claimed.recipient} failed (attempt ${claimed.attempts}): ${message}`);
      throw error;
    }
    await this.dataSource.manager.update(Delivery, { id }, { status: 'sent', sentAt: new Date(), lastError: null });
    this.metrics.emails.inc({ template: claimed.template, outcome: 'sent' });
    this.logger.log(`sent ${claimed.template} to ${claimed.recipient} ${claimed.messageId}`);
    return 'sent';
  }

  private async claim(id: string): Promise<Delivery | undefined> {
    const result = await this.dataSource.manager
      .createQueryBuilder()
      .update(Delivery)
      .set({ status: 'sending', attempts: () => 'attempts + 1' })
      .where('id = :id', { id })
      .andWhere(`(status IN ('queued', 'failed') OR (status = 'sending' AND updated_at < now() - make_interval(secs => :lease)))`, {
        lease: CLAIM_LEASE_SECONDS,
      })
      .returning('*')
      .execute();
    const raw = (result.raw as Record<string, unknown>[])[0];
    return raw ? this.dataSource.manager.create(Delivery, fromRow(raw)) : undefined;
  }

  list(filter: { submissionId?: string; recipient?: string }): Promise<Delivery[]> {
    return this.dataSource.manager.find(Delivery, {
      where: { ...(filter.submissionId ? { submissionId: filter.submissionId } : {}), ...(filter.recipient ? { recipient: filter.recipient.toLowerCase() } : {}) },
      order: { createdAt: 'ASC' },
      take: 500,
    });
  }
}

/** RETURNING * gives column names; map the ones the sender needs. */
function fromRow(r: Record<string, unknown>): Partial<Delivery> {
  return {
    id: r.id as string,
    recipient: r.recipient as string,
    recipientName: r.recipient_name as string,
    template: r.template as string,
    subject: r.subject as string,
    text: r.text as string,
    html: r.html as string,
    messageId: r.message_id as string,
    attempts: r.attempts as number,
  };
}
