import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DeliveryJob } from '@shanhai/contracts';
import { DomainError, MetricsService, Outbox } from '@shanhai/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { deliverySettingsOf, NOTIFIER_CONFIG, type NotifierConfig } from '../config.js';
import { Delivery, type DeliveryStatus } from './delivery.entity.js';
import { CircuitsOpenError, Mailer, PermanentSmtpError, TemporarySmtpError } from './mailer.js';

/** `dead`: the row is a dead letter; nothing is sent until it is re-driven. */
export type DeliveryOutcome = 'sent' | 'already_sent' | 'dead';

/** Thrown when another worker holds a live claim: retried later, never sent twice at once. */
export class DeliveryBusyError extends Error {}

/** The delivery became a dead letter on this attempt: BullMQ must not retry it. */
export class DeadLetterError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DeadLetterError';
  }
}

export interface DeliveryFilter {
  readonly submissionId?: string;
  readonly recipient?: string;
  readonly status?: DeliveryStatus;
  readonly template?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export const MAX_PAGE = 500;

/**
 * Puts dead (and, when `id` names one, failed) deliveries back in the queue: the same row and
 * Message-ID, attempts counting on, with a fresh job id through the outbox in the same
 * transaction, so a re-drive is never lost nor half-done. Returns the re-driven rows.
 */
export async function requeueDeliveries(
  manager: EntityManager,
  outbox: Outbox,
  which: { readonly id: string } | { readonly template?: string },
): Promise<{ id: string; redrives: number }[]> {
  const query = manager
    .createQueryBuilder()
    .update(Delivery)
    .set({ status: 'queued', deadReason: null, redrives: () => 'redrives + 1' })
    .returning(['id', 'redrives']);
  if ('id' in which) query.where('id = :id', { id: which.id }).andWhere(`status IN ('dead', 'failed')`);
  else {
    query.where(`status = 'dead'`);
    if (which.template) query.andWhere('template = :template', { template: which.template });
  }
  const rows = (await query.execute()).raw as { id: string; redrives: number }[];
  await outbox.enqueueJobs(manager, DeliveryJob, rows.map((row) => ({ payload: { deliveryId: row.id }, jobId: `${row.id}:redrive:${row.redrives}` })));
  return rows;
}

@Injectable()
export class DeliveriesService {
  private readonly logger = new Logger(DeliveriesService.name);

  private readonly leaseSeconds: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly metrics: MetricsService,
    private readonly outbox: Outbox,
    @Inject(NOTIFIER_CONFIG) config: NotifierConfig,
  ) {
    this.leaseSeconds = deliverySettingsOf(config).claimLeaseSeconds;
  }

  /**
   * Claims the delivery, sends it, and records the outcome. A delivery already sent is never
   * sent again; one whose sender died mid-send is retried after its lease runs out, under the
   * same Message-ID. A 5xx makes it dead at once (DeadLetterError), and so does a temporary
   * failure on the job's `lastAttempt`; any other temporary failure leaves it `failed` and rethrows.
   * A send no trusted transport took (every circuit open, or only failed half-open trials) is no
   * attempt: the claim's is given back and CircuitsOpenError rethrown for the processor to delay.
   */
  async deliver(id: string, options: { lastAttempt: boolean }): Promise<DeliveryOutcome> {
    const claimed = await this.claim(id);
    if (!claimed) {
      const row = await this.dataSource.manager.findOneBy(Delivery, { id });
      if (!row) throw new DomainError('NOT_FOUND', `no delivery ${id}`);
      if (row.status === 'sent') return 'already_sent';
      if (row.status === 'dead') return 'dead';
      throw new DeliveryBusyError(`delivery ${id} is being sent by another worker`);
    }
    let transport: string | null;
    try {
      transport = (await this.mailer.send({
        to: { name: claimed.recipientName, address: claimed.recipient },
        subject: claimed.subject,
        text: claimed.text,
        html: claimed.html,
        messageId: claimed.messageId,
      })).transport;
    } catch (error) {
      if (error instanceof CircuitsOpenError) {
        // Not an attempt: give back the one the claim took, and leave it for the processor to delay.
        await this.dataSource.manager.update(Delivery, { id }, { status: claimed.attempts > 1 ? 'failed' : 'queued', attempts: claimed.attempts - 1, lastError: error.message });
        throw error;
      }
      const message = (error as Error).message.slice(0, 1000);
      const used = error instanceof PermanentSmtpError || error instanceof TemporarySmtpError ? error.transport : null;
      const deadReason =
        error instanceof PermanentSmtpError
          ? error.response.slice(0, 1000)
          : options.lastAttempt
            ? `gave up after attempt ${claimed.attempts}: ${message}`.slice(0, 1000)
            : null;
      const status: DeliveryStatus = deadReason === null ? 'failed' : 'dead';
      await this.dataSource.manager.update(Delivery, { id }, { status, lastError: message, deadReason, ...(used ? { transport: used } : {}) });
      this.metrics.emails.inc({ template: claimed.template, outcome: status });
      if (deadReason === null) {
        this.logger.warn(`delivery ${id} to ${claimed.recipient} failed (attempt ${claimed.attempts}), will retry: ${message}`);
        throw error;
      }
      this.logger.error(`delivery ${id} to ${claimed.recipient} is dead (attempt ${claimed.attempts}): ${deadReason}`);
      throw new DeadLetterError(deadReason);
    }
    await this.dataSource.manager.update(Delivery, { id }, { status: 'sent', sentAt: new Date(), lastError: null, deadReason: null, transport });
    this.metrics.emails.inc({ template: claimed.template, outcome: 'sent' });
    this.logger.log(`sent ${claimed.template} to ${claimed.recipient} ${claimed.messageId} through ${transport}`);
    return 'sent';
  }

  private async claim(id: string): Promise<Delivery | undefined> {
    const result = await this.dataSource.manager
      .createQueryBuilder()
      .update(Delivery)
      .set({ status: 'sending', attempts: () => 'attempts + 1' })
      .where('id = :id', { id })
      .andWhere(`(status IN ('queued', 'failed') OR (status = 'sending' AND updated_at < now() - make_interval(secs => :lease)))`, {
        lease: this.leaseSeconds,
      })
      .returning('*')
      .execute();
    const raw = (result.raw as Record<string, unknown>[])[0];
    return raw ? this.dataSource.manager.create(Delivery, fromRow(raw)) : undefined;
  }

  list(filter: DeliveryFilter): Promise<Delivery[]> {
    return this.dataSource.manager.find(Delivery, {
      where: {
        ...(filter.submissionId ? { submissionId: filter.submissionId } : {}),
        ...(filter.recipient ? { recipient: filter.recipient.toLowerCase() } : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.template ? { template: filter.template } : {}),
      },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: Math.min(filter.limit ?? MAX_PAGE, MAX_PAGE),
      skip: filter.offset ?? 0,
    });
  }

  /** Re-queues one dead or failed delivery; 404 when unknown, 409 when sent or already on its way. */
  async redrive(id: string): Promise<Delivery> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await requeueDeliveries(manager, this.outbox, { id });
      if (!row) {
        const current = await manager.findOneBy(Delivery, { id });
        if (!current) throw new DomainError('NOT_FOUND', `no delivery ${id}`);
        throw new DomainError(
          'NOT_REDRIVABLE',
          current.status === 'sent' ? `delivery ${id} was sent; it is not re-driven` : `delivery ${id} is ${current.status}, neither dead nor failed: it is on its way`,
          { deliveryStatus: current.status },
        );
      }
      this.logger.log(`delivery ${id} re-driven (re-drive ${row.redrives})`);
      return manager.findOneByOrFail(Delivery, { id });
    });
  }

  /** Re-queues every dead delivery (of one template, if given); returns how many. */
  async redriveDead(filter: { template?: string } = {}): Promise<number> {
    const rows = await this.dataSource.transaction((manager) => requeueDeliveries(manager, this.outbox, filter));
    if (rows.length) this.logger.log(`re-drove ${rows.length} dead deliveries${filter.template ? ` of ${filter.template}` : ''}`);
    return rows.length;
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
