import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { createJob, createMessage, routes, type AnyMessage, type AnyMessageDefinition, type SomeJobDefinition } from '@shanhai/contracts';
import type { z } from 'zod';
import type { EntityManager } from 'typeorm';
import { currentCorrelation } from './correlation.js';
import { OutboxMessage } from './outbox-message.entity.js';

export const OUTBOX_CHANNEL = 'shanhai_outbox';

/**
 * Writes outgoing messages into the caller's transaction. Nothing reaches Redis until the
 * transaction commits and the relay picks the rows up. The relay is woken by the database: a
 * statement trigger on `outbox` NOTIFYs on commit (OutboxNotify1764235000000), so writing a
 * message costs one INSERT and nothing more.
 */
@Injectable()
export class Outbox {
  /** Publishes a domain message to every queue its route names; returns the validated message. */
  async publish<D extends AnyMessageDefinition>(
    manager: EntityManager,
    definition: D,
    payload: z.input<D['payload']>,
    at: Date = new Date(),
  ): Promise<AnyMessage> {
    const message = createMessage(definition, payload, { id: randomUUID(), occurredAt: at, ...currentCorrelation() });
    const rows = routes[message.name].map((queue) => ({ id: randomUUID(), queue, jobName: message.name, jobId: message.id, data: message }));
    await manager.insert(OutboxMessage, rows);
    return message;
  }

  /**
   * Enqueues a service-internal job (e.g. one email delivery) on its definition's queue, validated
   * against its schema. The job id is deterministic (the caller's), so adding it twice is a no-op.
   */
  enqueueJob<D extends SomeJobDefinition>(manager: EntityManager, definition: D, payload: z.input<D['payload']>, jobId: string): Promise<void> {
    return this.enqueueJobs(manager, definition, [{ payload, jobId }]);
  }

  /** Enqueues several jobs of one definition in one INSERT (each validated, each with its caller's id). */
  async enqueueJobs<D extends SomeJobDefinition>(manager: EntityManager, definition: D, jobs: readonly { payload: z.input<D['payload']>; jobId: string }[]): Promise<void> {
    if (!jobs.length) return;
    const rows = jobs.map(({ payload, jobId }) => {
      const job = createJob(definition, payload, jobId);
      return { id: randomUUID(), queue: job.queue, jobName: job.name, jobId: job.jobId, data: job.data };
    });
    await manager.insert(OutboxMessage, rows);
  }
}
