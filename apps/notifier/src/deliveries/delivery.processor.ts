import { Processor } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { QueueName } from '@shanhai/contracts';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { z } from 'zod';
import { CLAIM_LEASE_SECONDS, DeliveriesService, DeliveryBusyError, type DeliveryOutcome } from './deliveries.service.js';

const deliverJob = z.strictObject({ deliveryId: z.uuid() });

/** `notifier.deliveries`: one job per email, retried with backoff by BullMQ. */
@Processor(QueueName.NotifierDeliveries)
export class DeliveryProcessor extends WorkerHost {
  private readonly logger = new Logger(DeliveryProcessor.name);

  constructor(private readonly deliveries: DeliveriesService) {
    super();
  }

  async process(job: Job, token?: string): Promise<DeliveryOutcome> {
    const parsed = deliverJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`malformed delivery job ${job.id}: ${parsed.error.message}`);
    const outcome = await this.deliveries.deliver(parsed.data.deliveryId).catch(async (error: unknown) => {
      if (!(error instanceof DeliveryBusyError)) throw error;
      // Someone else holds the claim (or died holding it): look again when its lease may have run
      // out, without spending one of the job's attempts.
      await job.moveToDelayed(Date.now() + (CLAIM_LEASE_SECONDS * 1000) / 2, token);
      throw new DelayedError();
    });
    if (outcome === 'already_sent') this.logger.log(`delivery ${parsed.data.deliveryId} was already sent; not sending again`);
    return outcome;
  }
}
