import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DeadlineSweepJob, DeadlineTimerJob, QueueName } from '@shanhai/contracts';
import { Clock, parseInternalJob, QueueRegistry } from '@shanhai/platform';
import { DelayedError, type Job } from 'bullmq';
import { timerSettingsOf, WORKFLOW_CONFIG, type WorkflowConfig } from '../config.js';
import { DeadlineTimers } from './deadline-timers.service.js';

/** The sweeper's job scheduler: one id, so every replica's upsert names the same schedule. */
export const DEADLINE_SWEEP_SCHEDULER = 'deadline-sweep';

/**
 * `workflow.timers`: a step clock's timer jobs (through the outbox, with deterministic ids) and the
 * sweeper's ticks (a BullMQ job scheduler). A timer job that arrives before its moment waits in
 * the delayed set (kept by Redis across restarts), without spending an attempt; once due, the
 * deadline row decides whether it fires (DeadlineTimers).
 */
@Processor(QueueName.WorkflowTimers)
export class DeadlineTimerProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(DeadlineTimerProcessor.name);

  constructor(
    private readonly timers: DeadlineTimers,
    private readonly clock: Clock,
    private readonly queues: QueueRegistry,
    @Inject(WORKFLOW_CONFIG) private readonly config: WorkflowConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    const every = timerSettingsOf(this.config).sweepMs;
    try {
      await this.queues.get(QueueName.WorkflowTimers).upsertJobScheduler(DEADLINE_SWEEP_SCHEDULER, { every }, { name: DeadlineSweepJob.key, data: {} });
    } catch (error) {
      // Redis down at boot: the timer jobs still run once it is back; the next boot schedules the sweeper.
      this.logger.error(`could not schedule the deadline sweeper: ${(error as Error).message}`);
    }
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const parsed = parseInternalJob([DeadlineTimerJob, DeadlineSweepJob], job);
    if (parsed.key === DeadlineSweepJob.key) return { fired: await this.timers.sweep() };
    const { fireAt, ...ref } = parsed.payload;
    const wait = new Date(fireAt).getTime() - this.clock.now().getTime();
    if (wait > 0) {
      await job.moveToDelayed(Date.now() + wait, token);
      throw new DelayedError();
    }
    return { fired: await this.timers.fire(ref) };
  }
}
