import { Inject, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import {
  MessageContractError,
  parseMessage,
  routes,
  type AnyMessage,
  type MessageByName,
  type MessageName,
  type QueueName,
} from '@shanhai/contracts';
import { UnrecoverableError, type Job } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { SERVICE_CONFIG, type ServiceConfig } from '../config/config.js';
import { DomainError } from '../http/domain-error.js';
import { concurrencyOf } from './concurrency.js';
import { runWithCorrelation } from './correlation.js';
import type { Inbox, InboxOutcome } from './inbox.js';

/** A handler runs inside the inbox transaction: its writes and the inbox row commit together. */
export type MessageHandlers = {
  [N in MessageName]?: (message: MessageByName<N>, manager: EntityManager) => Promise<void>;
};

/**
 * The queue edge of a service: parse with the contract, then hand the message to one handler,
 * at most once. A malformed message is unrecoverable (kept in the failed set, never retried).
 *
 * The worker runs as many jobs at once as the service's config says for its queue
 * (`concurrencyOf`), set once the app is bootstrapped: `@Processor()`'s options are static. Each
 * job is one inbox transaction, so concurrent jobs are as safe as concurrent replicas: a
 * redelivery waits on the inbox row, and handlers lock the row they change.
 */
export abstract class MessageConsumer extends WorkerHost implements OnApplicationBootstrap {
  protected readonly logger = new Logger(this.constructor.name);

  // A property, so that the processors' constructors stay as thin as the queue edge is.
  @Optional()
  @Inject(SERVICE_CONFIG)
  private readonly serviceConfig?: ServiceConfig;

  protected constructor(
    private readonly queue: QueueName,
    private readonly inbox: Inbox,
    private readonly handlers: MessageHandlers,
  ) {
    super();
    assertEveryRouteHandled(queue, handlers);
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = concurrencyOf(this.serviceConfig, this.queue);
    this.logger.log(`consuming ${this.queue}, ${this.worker.concurrency} jobs at a time`);
  }

  async process(job: Job): Promise<InboxOutcome> {
    const message = parse(job.data);
    const handler = this.handlers[message.name] as ((m: AnyMessage, manager: EntityManager) => Promise<void>) | undefined;
    if (!handler) throw new UnrecoverableError(`${this.queue} has no handler for ${message.name}`);
    return runWithCorrelation({ correlationId: message.correlationId, causationId: message.id }, async () => {
      const outcome = await this.inbox
        .runOnce(message.id, `${this.queue}:${message.name}`, (manager) => handler(message, manager))
        .catch((error: unknown) => {
          // A domain refusal is deterministic: retrying cannot help, so keep the job in the failed set.
          throw error instanceof DomainError ? new UnrecoverableError(`${error.code}: ${error.message}`) : error;
        });
      const what = outcome === 'duplicate' ? 'ignored a redelivered' : 'handled';
      this.logger.log(`${what} ${message.name} ${message.id} (correlation ${message.correlationId})`);
      return outcome;
    });
  }
}

function parse(data: unknown): AnyMessage {
  try {
    return parseMessage(data);
  } catch (error) {
    if (error instanceof MessageContractError) throw new UnrecoverableError(error.message);
    throw error;
  }
}

/** Refuses to boot a consumer that would leave a routed message without a handler. */
export function assertEveryRouteHandled(queue: QueueName, handlers: MessageHandlers): void {
  const missing = (Object.keys(routes) as MessageName[]).filter((name) => routes[name].includes(queue) && !handlers[name]);
  if (missing.length) throw new Error(`the ${queue} queue receives ${missing.join(', ')} but has no handler for them`);
}
