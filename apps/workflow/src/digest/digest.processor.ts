import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DailyDigestJob, QueueName } from '@shanhai/contracts';
import { parseInternalJob, QueueRegistry } from '@shanhai/platform';
import type { Job } from 'bullmq';
import { digestTimeOf, WORKFLOW_CONFIG, type WorkflowConfig } from '../config.js';
import { DigestService, type DigestRun } from './digest.service.js';

/** The scheduler's fixed id: every replica upserts the same one, so there is one tick a day however many run. */
export const DIGEST_SCHEDULER_ID = 'daily-digest';

/** `HH:MM` as a cron pattern for that minute every day. */
export const cronOf = (time: string): string => {
  const [hours, minutes] = time.split(':').map(Number);
  return `${minutes} ${hours} * * *`;
};

/**
 * `workflow.digest`: a BullMQ job scheduler ticks daily at DIGEST_TIME (Asia/Shanghai); the tick
 * runs the digest, which decides from the clock and the calendar whether today is a working day.
 * Upserting the scheduler at boot is idempotent, and a changed DIGEST_TIME replaces the pattern.
 */
@Processor(QueueName.WorkflowDigest)
export class DigestProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(DigestProcessor.name);

  constructor(
    private readonly digest: DigestService,
    private readonly queues: QueueRegistry,
    @Inject(WORKFLOW_CONFIG) private readonly config: WorkflowConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    const time = digestTimeOf(this.config);
    const queue = this.queues.get(QueueName.WorkflowDigest);
    await queue.waitUntilReady();
    await queue.upsertJobScheduler(DIGEST_SCHEDULER_ID, { pattern: cronOf(time), tz: 'Asia/Shanghai' }, { name: DailyDigestJob.key, data: {} });
    this.logger.log(`daily digest scheduled at ${time} Asia/Shanghai`);
  }

  async process(job: Job): Promise<DigestRun> {
    parseInternalJob(DailyDigestJob, job);
    return this.digest.run();
  }
}
