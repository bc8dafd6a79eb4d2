import { Inject, Injectable, Logger } from '@nestjs/common';
import { DeadlineTimerJob } from '@shanhai/contracts';
import type { ApprovalDefinition, InstanceEvent } from '@shanhai/domain';
import { MetricsService, Outbox } from '@shanhai/platform';
import { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { CalendarsService } from '../calendars/calendars.service.js';
import { timerSettingsOf, WORKFLOW_CONFIG, type TimerSettings, type WorkflowConfig } from '../config.js';
import type { ClockRow } from './deadline-clock.js';
import { followClocks } from './deadline-clock.js';
import { retimed, timersOf } from './deadline-timers.js';

/** The events that may start, stop or move a clock; any other batch leaves the calendar unread. */
const moving = new Set<InstanceEvent['type']>(['started', 'step_assigned', 'returned', 'resubmitted', 'deadline_extended']);

/**
 * Adds what a batch of decided events does to the instance's clocks, counted on the calendars as
 * the caller's transaction sees them. A due date that needs a year without a calendar is left
 * unset and the admins are told (an error in the log, `shanhai_calendar_missing_total`): the step
 * opens all the same, and loading the year computes it (DeadlineRecompute).
 */
@Injectable()
export class DeadlineClocks {
  private readonly logger = new Logger(DeadlineClocks.name);
  private readonly missing: Counter<'year'>;
  private readonly timers: TimerSettings;

  constructor(
    private readonly calendars: CalendarsService,
    private readonly outbox: Outbox,
    metrics: MetricsService,
    @Inject(WORKFLOW_CONFIG) config: WorkflowConfig,
  ) {
    this.timers = timerSettingsOf(config);
    this.missing = new Counter({
      name: 'shanhai_calendar_missing_total',
      help: 'Due dates that could not be computed because a year has no working-day calendar, by year',
      labelNames: ['year'] as const,
      registers: [metrics.registry],
    });
  }

  async follow(manager: EntityManager, book: { open(): Promise<ClockRow[]> }, definition: ApprovalDefinition, events: readonly InstanceEvent[], instanceId: string): Promise<readonly InstanceEvent[]> {
    if (!events.some((e) => moving.has(e.type))) return events;
    const open = await book.open();
    const followed = followClocks(events, definition, await this.calendars.workingDays(manager), open);
    this.alert(followed.missingYears, `instance ${instanceId}`);
    await this.arm(manager, definition, instanceId, followed.events, open);
    return followed.events;
  }

  /**
   * Arms the timers of every step clock the batch gave a due date (ADR 0015), through the outbox in
   * the caller's transaction: a new due date is a new set of job ids; the old jobs find the row due
   * on another day and do nothing.
   */
  async arm(manager: EntityManager, definition: ApprovalDefinition, instanceId: string, events: readonly InstanceEvent[], rows: readonly ClockRow[]): Promise<void> {
    const started = new Map(rows.map((r) => [`${r.step}/${r.round}`, r.startedOn]));
    const clocks = retimed(events, instanceId, (step, round) => started.get(`${step}/${round}`));
    if (!clocks.length) return;
    const days = await this.calendars.workingDays(manager);
    const remindBefore = this.remindBeforeOf(definition);
    const jobs = clocks.flatMap((clock) =>
      timersOf(clock, remindBefore, days).map((t) => ({
        jobId: t.jobId,
        payload: { instanceId, step: clock.step, round: clock.round, kind: t.kind, dueOn: clock.dueOn, fireAt: t.fireAt.toISOString() },
      })),
    );
    await this.outbox.enqueueJobs(manager, DeadlineTimerJob, jobs);
  }

  /** Working days before the due day of the early reminder: the definition's, else the setting's. */
  remindBeforeOf(definition: ApprovalDefinition): number {
    return definition.remindBeforeBusinessDays ?? this.timers.remindBeforeDays;
  }

  /** Tells admins a due date is missing for want of a year's calendar. */
  alert(years: readonly number[], what: string): void {
    for (const year of years) {
      this.missing.inc({ year: String(year) });
      this.logger.error(`CALENDAR_MISSING: a due date of ${what} falls in ${year}, which has no working-day calendar: load it (PUT /calendars/${year}); the deadline stays unset until then`);
    }
  }
}
