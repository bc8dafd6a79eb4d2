import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { calendarProblems, WorkingDays, type WorkingCalendar } from '@shanhai/domain';
import { Clock, DomainError, RequestValidationError } from '@shanhai/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { WorkingCalendarRow } from './working-calendar.entity.js';

/** Runs in the transaction that changed a year's calendar: what depends on it is brought up to date with it. */
export type CalendarChanged = (manager: EntityManager, year: number, by: string, now: Date) => Promise<void>;

/**
 * The working-day calendars, one row per year. Read whole on every use (a few rows): a year one
 * replica's admin loaded counts on every replica at once, with no cache to go stale.
 */
@Injectable()
export class CalendarsService {
  private readonly listeners: CalendarChanged[] = [];
  /**
   * The calendars a transaction read, keyed by its manager and gone with it: `dataSource.transaction`
   * makes a manager per transaction (a query runner's own manager, reused across its transactions,
   * would keep the first one's; the services use none).
   */
  private readonly perTransaction = new WeakMap<EntityManager, Promise<WorkingDays>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Called, in order, inside every change's transaction (the open deadlines it affects are computed again). */
  onChange(listener: CalendarChanged): void {
    this.listeners.push(listener);
  }

  list(): Promise<WorkingCalendarRow[]> {
    return this.dataSource.manager.find(WorkingCalendarRow, { order: { year: 'ASC' } });
  }

  async get(year: number): Promise<WorkingCalendarRow> {
    const row = await this.dataSource.manager.findOneBy(WorkingCalendarRow, { year });
    if (!row) throw new DomainError('NOT_FOUND', `no working-day calendar is loaded for ${year}`);
    return row;
  }

  /**
   * Working-day arithmetic over every loaded year, as the caller's transaction sees them: read once
   * per transaction (a decision's clocks and timers ask more than once), afresh outside one.
   */
  workingDays(manager: EntityManager = this.dataSource.manager): Promise<WorkingDays> {
    const inTransaction = manager.queryRunner?.isTransactionActive === true;
    const cached = inTransaction ? this.perTransaction.get(manager) : undefined;
    if (cached) return cached;
    const read = manager.find(WorkingCalendarRow).then((rows) => new WorkingDays(rows.map(({ year, holidays, makeUpWorkdays }) => ({ year, holidays, makeUpWorkdays }))));
    if (inTransaction) this.perTransaction.set(manager, read);
    // A failed read is not kept: the next ask reads again.
    read.catch(() => this.perTransaction.delete(manager));
    return read;
  }

  /** Loads (or replaces) a year's calendar, or refuses it with every problem named; nothing is stored then. */
  async put(calendar: WorkingCalendar, by: string, now = this.clock.now()): Promise<{ row: WorkingCalendarRow; created: boolean }> {
    const problems = calendarProblems(calendar);
    if (problems.length) throw new RequestValidationError(problems);
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query<{ version: number }[]>(
        `INSERT INTO working_calendars (year, holidays, make_up_workdays, source, version, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, 1, $5, $6)
         ON CONFLICT (year) DO UPDATE SET holidays = excluded.holidays, make_up_workdays = excluded.make_up_workdays, source = excluded.source,
           version = working_calendars.version + 1, updated_at = excluded.updated_at, updated_by = excluded.updated_by
         RETURNING version`,
        [calendar.year, JSON.stringify([...calendar.holidays].sort()), JSON.stringify([...calendar.makeUpWorkdays].sort()), calendar.source ?? null, now, by],
      );
      // What the listeners count with is the calendar just written.
      this.perTransaction.delete(m);
      for (const listener of this.listeners) await listener(m, calendar.year, by, now);
      return { row: await m.findOneByOrFail(WorkingCalendarRow, { year: calendar.year }), created: row!.version === 1 };
    });
  }
}
