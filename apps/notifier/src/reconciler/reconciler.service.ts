import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MetricsService } from '@shanhai/platform';
import { Gauge } from 'prom-client';
import type { DataSource, EntityManager } from 'typeorm';
import { NOTIFIER_CONFIG, reconcilerSettingsOf, type NotifierConfig, type ReconcilerSettings } from '../config.js';

/** The statuses a delivery ends in: nothing more will happen to it. */
export const FINAL_STATUSES = ['sent', 'dead'] as const;

export interface UnreconciledDelivery {
  readonly id: string;
  readonly recipient: string;
  readonly template: string;
  readonly status: string;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly updatedAt: Date;
}

export interface UnreconciledEvent {
  readonly eventId: string;
  readonly event: string;
  readonly submissionId: string;
  readonly receivedAt: Date;
  readonly planned: number;
  readonly deliveries: readonly UnreconciledDelivery[];
}

/** Ties the reconciler's runs together across replicas (advisory locks are per database). */
const LOCK_KEY = "hashtext('shanhai.notifier.reconcile')";
const LIST_LIMIT = 500;

/** Open events received before $1 with a delivery missing or not final. */
const OVERDUE = `
  FROM notified_events e LEFT JOIN deliveries d ON d.event_id = e.event_id
  WHERE e.reconciled_at IS NULL AND e.received_at < $1
  GROUP BY e.event_id
  HAVING count(d.id) < e.planned OR bool_or(d.status <> ALL ($2::text[]))`;

/**
 * Every event that requires notice must have each planned delivery `sent` or `dead` within
 * NOTIFIER_RECONCILE_AFTER_SECONDS. Checks every NOTIFIER_RECONCILE_EVERY_SECONDS (one replica at a
 * time, under a Postgres advisory lock), warns of each overdue event, and exposes the count as
 * `shanhai_notifier_unreconciled_events`.
 */
@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconcilerService.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  readonly settings: ReconcilerSettings;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(NOTIFIER_CONFIG) config: NotifierConfig,
    metrics: MetricsService,
  ) {
    this.settings = reconcilerSettingsOf(config);
    const count = (now: Date) => this.countOverdue(now);
    new Gauge({
      name: 'shanhai_notifier_unreconciled_events',
      help: 'Notifiable events with a delivery not sent or dead within NOTIFIER_RECONCILE_AFTER_SECONDS',
      registers: [metrics.registry],
      async collect() {
        this.set(await count(new Date()));
      },
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.check()
        .catch((error: unknown) => this.logger.error(`reconciliation failed: ${(error as Error).message}`))
        .finally(() => (this.running = undefined));
    }, this.settings.everySeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * One run: marks the events whose deliveries are all final as reconciled, then warns of each
   * overdue one (again once per NOTIFIER_RECONCILE_AFTER_SECONDS while it stays overdue).
   * Returns the overdue events, or undefined when another replica holds the lock.
   */
  async check(now: Date = new Date()): Promise<UnreconciledEvent[] | undefined> {
    return this.dataSource.transaction(async (m) => {
      const [lock] = await m.query<{ locked: boolean }[]>(`SELECT pg_try_advisory_xact_lock(${LOCK_KEY}) AS locked`);
      if (!lock?.locked) return undefined;
      await m.query(
        `UPDATE notified_events e SET reconciled_at = $1
         WHERE e.reconciled_at IS NULL
           AND (SELECT count(*) FROM deliveries d WHERE d.event_id = e.event_id) >= e.planned
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.event_id AND d.status <> ALL ($2::text[]))`,
        [now, FINAL_STATUSES],
      );
      const overdue = await this.overdue(now, m);
      const repeatBefore = new Date(now.getTime() - this.settings.afterSeconds * 1000);
      const due = await m.query<{ event_id: string }[]>(
        // As a SELECT: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
        `WITH due AS (
           UPDATE notified_events SET reported_at = $1 WHERE event_id = ANY ($2::uuid[]) AND (reported_at IS NULL OR reported_at < $3) RETURNING event_id
         ) SELECT event_id FROM due`,
        [now, overdue.map((e) => e.eventId), repeatBefore],
      );
      const warn = new Set(due.map((r) => r.event_id));
      for (const e of overdue.filter((o) => warn.has(o.eventId))) {
        const pending = e.deliveries.filter((d) => !(FINAL_STATUSES as readonly string[]).includes(d.status));
        this.logger.warn(
          `event ${e.eventId} (${e.event}, submission ${e.submissionId}) received ${e.receivedAt.toISOString()} is not reconciled after ${this.settings.afterSeconds}s: ` +
            `${e.deliveries.length} of ${e.planned} planned deliveries exist, ${pending.length} not sent or dead` +
            (pending.length ? ` (${pending.map((d) => `${d.template} to ${d.recipient}: ${d.status}`).join('; ')})` : ''),
        );
      }
      return overdue;
    });
  }

  /** The events overdue at `now`, oldest first (at most 500), with their deliveries' statuses. */
  async overdue(now: Date = new Date(), manager: EntityManager = this.dataSource.manager): Promise<UnreconciledEvent[]> {
    const rows = await manager.query<
      { event_id: string; event_name: string; submission_id: string; received_at: Date; planned: number; deliveries: (Omit<UnreconciledDelivery, 'updatedAt'> & { updatedAt: string })[] }[]
    >(
      `SELECT e.event_id, e.event_name, e.submission_id, e.received_at, e.planned,
              coalesce(json_agg(json_build_object('id', d.id, 'recipient', d.recipient, 'template', d.template, 'status', d.status,
                                                  'attempts', d.attempts, 'lastError', d.last_error, 'updatedAt', d.updated_at)
                                ORDER BY d.created_at, d.id) FILTER (WHERE d.id IS NOT NULL), '[]'::json) AS deliveries
       ${OVERDUE}
       ORDER BY e.received_at, e.event_id
       LIMIT ${LIST_LIMIT}`,
      [this.limit(now), FINAL_STATUSES],
    );
    return rows.map((r) => ({
      eventId: r.event_id,
      event: r.event_name,
      submissionId: r.submission_id,
      receivedAt: r.received_at,
      planned: r.planned,
      deliveries: r.deliveries.map((d) => ({ ...d, updatedAt: new Date(d.updatedAt) })),
    }));
  }

  async countOverdue(now: Date = new Date()): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM (SELECT e.event_id ${OVERDUE}) overdue`, [this.limit(now), FINAL_STATUSES]);
    return row?.n ?? 0;
  }

  private limit(now: Date): Date {
    return new Date(now.getTime() - this.settings.afterSeconds * 1000);
  }
}
