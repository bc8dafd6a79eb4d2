import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { SERVICE_CONFIG, type ServiceConfig } from '../config/config.js';

/**
 * Retries back off exponentially from 1 s with jitter: 12 attempts span about an hour, enough to
 * ride out a database or SMTP restart. Finished jobs are kept long enough to inspect.
 */
export const defaultJobOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
} as const;

/** One BullMQ producer per queue name, created on first use, all under the service's prefix. */
@Injectable()
export class QueueRegistry implements OnApplicationShutdown {
  private readonly queues = new Map<string, Queue>();

  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  get(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: { url: this.config.redisUrl, maxRetriesPerRequest: 3, enableOfflineQueue: false },
        prefix: this.config.queuePrefix,
        defaultJobOptions,
      });
      // Connection errors surface through the calls that fail; the listener keeps them from crashing the process.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
  }
}
