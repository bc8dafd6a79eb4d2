import { Injectable, Logger } from '@nestjs/common';
import type { ApprovalDefinition, InstanceEvent } from '@shanhai/domain';
import { MetricsService } from '@shanhai/platform';
import { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { CalendarsService } from '../calendars/calendars.service.js';
import type { ClockRow } from './deadline-clock.js';
import { followClocks } from './deadline-clock.js';

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

  constructor(
    private readonly calendars: CalendarsService,
    metrics: MetricsService,
  ) {
    this.missing = new Counter({
      name: 'shanhai_calendar_missing_total',
      help: 'Due dates that could not be computed because a year has no working-day calendar, by year',
      labelNames: ['year'] as const,
      registers: [metrics.registry],
    });
  }

  async follow(manager: EntityManager, book: { open(): Promise<ClockRow[]> }, definition: ApprovalDefinition, events: readonly InstanceEvent[], instanceId: string): Promise<readonly InstanceEvent[]> {
    if (!events.some((e) => moving.has(e.type))) return events;
    const followed = followClocks(events, definition, await this.calendars.workingDays(manager), await book.open());
    this.alert(followed.missingYears, `instance ${instanceId}`);
    return followed.events;
  }

  /** Tells admins a due date is missing for want of a year's calendar. */
  alert(years: readonly number[], what: string): void {
    for (const year of years) {
      this.missing.inc({ year: String(year) });
      this.logger.error(`CALENDAR_MISSING: a due date of ${what} falls in ${year}, which has no working-day calendar: load it (PUT /calendars/${year}); the deadline stays unset until then`);
    }
  }
}
