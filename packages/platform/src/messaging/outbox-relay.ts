import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SERVICE_CONFIG, type ServiceConfig } from '../config/config.js';
import { listenTo, type PgListener } from '../database/pg-listener.js';
import { OUTBOX_CHANNEL } from './outbox.js';
import type { OutboxMessage } from './outbox-message.entity.js';
import { QueueRegistry } from './queue-registry.js';

const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * Moves committed outbox rows to BullMQ. Woken by NOTIFY on commit, with a polling fallback for
 * missed notifications. Rows are claimed with FOR UPDATE SKIP LOCKED, so replicas share the work;
 * a crash after the add but before the stamp commits re-adds the same job id, which BullMQ ignores.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private listener: PgListener | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
    this.timer = setInterval(() => this.kick(), this.config.outbox.pollMs);
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    await this.listener?.close();
  }

  /** Starts a drain unless one runs; a kick during a drain makes it go round once more. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.warn(`outbox relay: ${(error as Error).message}; will retry`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Relays until the outbox is empty; resolves with how many jobs it enqueued. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = await this.relayBatch();
      total += moved;
      if (moved < this.config.outbox.batchSize || this.stopped) return total;
    }
  }

  /**
   * One transaction: claim and stamp a batch in one statement, add it to Redis, commit. Should the
   * add fail (or the process die before the commit), the stamp rolls back with the claim, and the
   * rows wait for the next drain.
   */
  private relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      // TypeORM answers an UPDATE with [rows, affected].
      const [claimed] = await manager.query<[RelayedRow[], number]>(
        `UPDATE outbox SET dispatched_at = now()
         WHERE id IN (SELECT id FROM outbox WHERE dispatched_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING seq, queue, job_name AS "jobName", job_id AS "jobId", data`,
        [this.config.outbox.batchSize],
      );
      if (claimed.length === 0) return 0;
      // RETURNING keeps no order: put the batch back in write order.
      const rows = claimed.sort((a, b) => Number(BigInt(a.seq) - BigInt(b.seq)));
      for (const [queue, jobs] of groupByQueue(rows)) {
        await withTimeout(
          this.queues.get(queue).addBulk(jobs.map((r) => ({ name: r.jobName, data: r.data, opts: { jobId: r.jobId } }))),
          ENQUEUE_TIMEOUT_MS,
          `adding ${jobs.length} job(s) to ${queue}`,
        );
      }
      return rows.length;
    });
  }

  private async listen(): Promise<void> {
    this.listener = await listenTo(this.config.databaseUrl, OUTBOX_CHANNEL, this.logger, { onNotify: () => this.kick(), onReconnect: () => this.kick() });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A claimed row, as the relay needs it (`seq` is a bigint, so a string). */
type RelayedRow = Pick<OutboxMessage, 'seq' | 'queue' | 'jobName' | 'jobId' | 'data'>;

function groupByQueue(rows: readonly RelayedRow[]): Map<string, RelayedRow[]> {
  const groups = new Map<string, RelayedRow[]>();
  for (const row of rows) groups.set(row.queue, [...(groups.get(row.queue) ?? []), row]);
  return groups;
}
