import type { WorkingDays } from './working-days.js';

/**
 * Deadline arithmetic over working days (办理时限, 承诺时限), in China dates (Asia/Shanghai, YYYY-MM-DD).
 *
 * A clock runs from the day it starts (`startedOn`, not counted: a limit runs from the day after
 * acceptance) for a budget of working days, plus the days of an extension (延期). A return for
 * correction stops it: the working days left after the day it stops are kept, and the clock runs
 * again from the day the correction arrives with what was left, not from the start. Composing
 * limits this way is exact: the n-th working day after the m-th working day after a date is the
 * (m + n)-th, so a due date is always `addWorkingDays(startedOn, budget + extended)`.
 *
 * Every function throws CALENDAR_MISSING (CalendarMissingError) when a date it must step over is
 * in a year without a calendar: a due date is never guessed.
 */
export interface ClockSpan {
  /** The China date the clock started or resumed on. */
  readonly startedOn: string;
  /** Working days it started with: the limit, or what was left when it stopped before. */
  readonly budgetDays: number;
  /** Working days granted by an extension since (0 without). */
  readonly extendedDays: number;
}

/** The due date of a running clock: the last working day of its budget and extension. */
export const dueOn = (days: WorkingDays, span: ClockSpan): string => days.addWorkingDays(span.startedOn, span.budgetDays + span.extendedDays);

/** A clock started on `startedOn` with a limit of `limitDays` working days is due on… */
export const startClock = (days: WorkingDays, startedOn: string, limitDays: number): string => days.addWorkingDays(startedOn, limitDays);

/**
 * The working days left when a clock due on `due` stops on `pausedOn`: those after `pausedOn` up to
 * and including `due`. A clock stopped on or after its due day has none left (0, never negative):
 * its next round is due the day the correction arrives, and the lateness is what `isOverdue` says
 * of the earlier round, not a debt carried on.
 */
export const remainingDays = (days: WorkingDays, pausedOn: string, due: string): number => days.workingDaysBetween(pausedOn, due);

/** A stopped clock resumed on `resumedOn` with `remaining` working days left is due on… */
export const resumeClock = (days: WorkingDays, resumedOn: string, remaining: number): string => days.addWorkingDays(resumedOn, remaining);

/** A due date extended by `extra` working days. */
export const extendDue = (days: WorkingDays, due: string, extra: number): string => days.addWorkingDays(due, extra);

/** The end of a due day in Asia/Shanghai (UTC+8 all year): 23:59:59.999+08:00. */
export const endOfDueDay = (due: string): Date => new Date(`${due}T23:59:59.999+08:00`);

/** Whether a clock due on `due` is overdue at `now`: past the end of its due day in China. */
export const isOverdue = (due: string, now: Date): boolean => now.getTime() > endOfDueDay(due).getTime();
