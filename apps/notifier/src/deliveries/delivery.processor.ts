import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DeliveryJob, QueueName } from '@shanhai/contracts';
import { parseInternalJob } from '@shanhai/platform';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { deliverySettingsOf, NOTIFIER_CONFIG, type DeliverySettings, type NotifierConfig } from '../config.js';
import { DeadLetterError, DeliveriesService, DeliveryBusyError, type DeliveryOutcome } from './deliveries.service.js';
import { CircuitsOpenError, TemporarySmtpError } from './mailer.js';
import { DELIVERY_BACKOFF, deliveryBackoff } from './retry-policy.js';

/**
 * `notifier.deliveries`: one job per email (and one per re-drive), retried with backoff by BullMQ.
 *
 * The worker's limiter (the global send rate), concurrency and backoff strategy come from the configuration,
 * which `@Processor()`'s static options cannot see: the worker is created without running
 * (`autorun: false`), given them once the app is bootstrapped, then started.
 */
@Processor(QueueName.NotifierDeliveries, { autorun: false })
export class DeliveryProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(DeliveryProcessor.name);
  private readonly settings: DeliverySettings;

  constructor(
    private readonly deliveries: DeliveriesService,
    @Inject(NOTIFIER_CONFIG) config: NotifierConfig,
  ) {
    super();
    this.settings = deliverySettingsOf(config);
  }

  onApplicationBootstrap(): void {
    const settings = this.settings;
    const worker = this.worker;
    // BullMQ reads these on every fetch and every failure: set before the first.
    worker.opts.limiter = { max: settings.ratePerSecond, duration: 1000 };
    worker.concurrency = settings.concurrency;
    worker.opts.settings = {
      ...worker.opts.settings,
      // A transport failure that opened the last closed circuit: retry once one may half-open.
      backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) =>
        deliveryBackoff(settings, attemptsMade, Math.random, error instanceof TemporarySmtpError ? error.retryNotBeforeMs : 0),
    };
    this.logger.log(`delivering at most ${settings.ratePerSecond} emails/s, ${settings.concurrency} at a time, ${settings.maxAttempts} attempts each`);
    worker.run().catch((error: unknown) => this.logger.error(`delivery worker stopped: ${(error as Error).message}`));
  }

  async process(job: Job, token?: string): Promise<DeliveryOutcome> {
    // A job that breaks its contract is unrecoverable: failed at once, kept in the failed set.
    const { deliveryId } = parseInternalJob(DeliveryJob, job).payload;
    // Delivery jobs come through the platform's outbox relay with its default retry options; the
    // delivery worker's own policy (NOTIFIER_MAX_ATTEMPTS, jittered backoff) replaces them.
    job.opts.attempts = this.settings.maxAttempts;
    job.opts.backoff = { type: DELIVERY_BACKOFF, delay: this.settings.retryBaseMs };
    const lastAttempt = job.attemptsMade + 1 >= this.settings.maxAttempts;
    const outcome = await this.deliveries.deliver(deliveryId, { lastAttempt }).catch(async (error: unknown) => {
      // Dead letters are never retried: a 5xx, or the attempts ran out.
      if (error instanceof DeadLetterError) throw new UnrecoverableError(error.reason);
      // Every SMTP circuit open: wait until one may half-open, without spending an attempt.
      if (error instanceof CircuitsOpenError) {
        await job.moveToDelayed(Date.now() + error.retryInMs, token);
        throw new DelayedError();
      }
      if (!(error instanceof DeliveryBusyError)) throw error;
      // Someone else holds the claim (or died holding it): look again when its lease may have run
      // out, without spending one of the job's attempts.
      await job.moveToDelayed(Date.now() + (this.settings.claimLeaseSeconds * 1000) / 2, token);
      throw new DelayedError();
    });
    if (outcome === 'already_sent') this.logger.log(`delivery ${deliveryId} was already sent; not sending again`);
    if (outcome === 'dead') this.logger.warn(`delivery ${deliveryId} is dead; re-drive it to send it`);
    return outcome;
  }
}
