import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { SERVICE_CONFIG, type ServiceConfig } from '../config/config.js';
import { listenTo, type PgListener } from '../database/pg-listener.js';
import { OUTBOX_CHANNEL } from './outbox.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { QueueRegistry } from './queue-registry.js';

const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * Moves committed outbox rows to BullMQ. Woken by NOTIFY on commit, with a polling fallback for
 * missed notifications. Rows are claimed with FOR UPDATE SKIP LOCKED, so replicas share the work;
 * a crash after the add but before the stamp re-adds the same job id, which BullMQ ignores.
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

  private relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager
        .createQueryBuilder(OutboxMessage, 'o')
        .where('o.dispatchedAt IS NULL')
        .orderBy('o.seq', 'ASC')
        .limit(this.config.outbox.batchSize)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      if (rows.length === 0) return 0;
      for (const [queue, jobs] of groupByQueue(rows)) {
        await withTimeout(
          this.queues.get(queue).addBulk(jobs.map((r) => ({ name: r.jobName, data: r.data, opts: { jobId: r.jobId } }))),
          ENQUEUE_TIMEOUT_MS,
          `adding ${jobs.length} job(s) to ${queue}`,
        );
      }
      await manager.update(OutboxMessage, { id: In(rows.map((r) => r.id)) }, { dispatchedAt: new Date() });
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

function groupByQueue(rows: readonly OutboxMessage[]): Map<string, OutboxMessage[]> {
  const groups = new Map<string, OutboxMessage[]>();
  for (const row of rows) groups.set(row.queue, [...(groups.get(row.queue) ?? []), row]);
  return groups;
}
