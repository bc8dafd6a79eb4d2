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
 * transaction commits and the relay picks the rows up.
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
    await this.wake(manager);
    return message;
  }

  /**
   * Enqueues a service-internal job (e.g. one email delivery) on its definition's queue, validated
   * against its schema. The job id is deterministic (the caller's), so adding it twice is a no-op.
   */
  async enqueueJob<D extends SomeJobDefinition>(manager: EntityManager, definition: D, payload: z.input<D['payload']>, jobId: string): Promise<void> {
    const job = createJob(definition, payload, jobId);
    await manager.insert(OutboxMessage, { id: randomUUID(), queue: job.queue, jobName: job.name, jobId: job.jobId, data: job.data });
    await this.wake(manager);
  }

  /** NOTIFY is delivered on commit, so the relay wakes exactly when the rows become visible. */
  private async wake(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, '']);
  }
}
