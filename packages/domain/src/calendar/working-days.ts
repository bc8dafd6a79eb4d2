/**
 * The PRC working-day calendar as data: a year's public holidays (法定节假日, the whole closure,
 * weekends inside it included) and its make-up working days (调休上班: weekend days that are
 * working days). Every other Monday to Friday is a working day, every other Saturday and Sunday
 * is not. The State Council publishes each year's notice in November: admins load it.
 */
export interface WorkingCalendar {
  readonly year: number;
  /** ISO dates (`2026-02-16`), each once, all in `year`. */
  readonly holidays: readonly string[];
  /** ISO dates of weekend days that are working days, each once, all in `year`. */
  readonly makeUpWorkdays: readonly string[];
  /** Where it comes from: the notice that published it. */
  readonly source?: string;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** The day number (days since 1970-01-01) of a valid ISO date, or undefined. */
function dayNumber(date: string): number | undefined {
  const match = ISO_DATE.exec(date);
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d ? ms / DAY_MS : undefined;
}

const isoOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** 0 Sunday … 6 Saturday. */
const weekdayOf = (day: number): number => (day + 4) % 7;
const isWeekend = (day: number): boolean => weekdayOf(day) === 0 || weekdayOf(day) === 6;

export interface CalendarProblem {
  readonly field: string;
  readonly message: string;
}

/** Every problem of a year's calendar, each naming the entry: real dates, in the year, once each, no day both, make-up days on weekends. */
export function calendarProblems(calendar: WorkingCalendar): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  if (!Number.isInteger(calendar.year) || calendar.year < 2000 || calendar.year > 2100) problems.push({ field: 'year', message: 'must be a year from 2000 to 2100' });
  const seen = new Map<string, string>();
  const check = (list: 'holidays' | 'makeUpWorkdays', dates: readonly string[]) =>
    dates.forEach((date, i) => {
      const field = `${list}.${i}`;
      const day = dayNumber(date);
      if (day === undefined) return problems.push({ field, message: `${date} is not a date (YYYY-MM-DD)` });
      if (!date.startsWith(`${calendar.year}-`)) return problems.push({ field, message: `${date} is not in ${calendar.year}` });
      const before = seen.get(date);
      if (before === list) return problems.push({ field, message: `${date} is listed twice` });
      if (before) return problems.push({ field, message: `${date} is both a holiday and a make-up working day` });
      seen.set(date, list);
      if (list === 'makeUpWorkdays' && !isWeekend(day)) problems.push({ field, message: `${date} is a weekday: only a Saturday or Sunday can be a make-up working day` });
      return undefined;
    });
  check('holidays', calendar.holidays);
  check('makeUpWorkdays', calendar.makeUpWorkdays);
  return problems;
}

/** A date needs a year whose calendar is not loaded: the deadline cannot be computed (admins are told), never guessed. */
export class CalendarMissingError extends Error {
  readonly code = 'CALENDAR_MISSING';
  constructor(readonly year: number) {
    super(`no working-day calendar is loaded for ${year}: load it (PUT /calendars/${year}) before a deadline can fall in it`);
    this.name = 'CalendarMissingError';
  }
}

/** Answers working-day questions over loaded calendars; each year's sets built once. */
export class WorkingDays {
  private readonly years = new Map<number, { holidays: Set<string>; makeUp: Set<string> }>();

  constructor(calendars: Iterable<WorkingCalendar>) {
    for (const c of calendars) this.years.set(c.year, { holidays: new Set(c.holidays), makeUp: new Set(c.makeUpWorkdays) });
  }

  /** The years it can answer for, ascending. */
  get loadedYears(): number[] {
    return [...this.years.keys()].sort((a, b) => a - b);
  }

  /** Whether an ISO date is a working day. Throws CALENDAR_MISSING for a year without a calendar. */
  isWorkingDay(date: string): boolean {
    const day = this.day(date);
    const year = this.years.get(Number(date.slice(0, 4)));
    if (!year) throw new CalendarMissingError(Number(date.slice(0, 4)));
    if (year.holidays.has(date)) return false;
    if (year.makeUp.has(date)) return true;
    return !isWeekend(day);
  }

  /**
   * The n-th working day after `from` (`from` itself not counted, as a promised limit runs from
   * the day after acceptance): the due date of a limit of `n` working days. n = 0 is `from` itself.
   */
  addWorkingDays(from: string, n: number): string {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, not ${n}`);
    let day = this.day(from);
    for (let left = n; left > 0; ) {
      day += 1;
      if (this.isWorkingDay(isoOf(day))) left -= 1;
    }
    return isoOf(day);
  }

  /** How many working days lie after `from` up to and including `to` (0 when `to` is not after `from`). */
  workingDaysBetween(from: string, to: string): number {
    const [start, end] = [this.day(from), this.day(to)];
    let count = 0;
    for (let day = start + 1; day <= end; day += 1) if (this.isWorkingDay(isoOf(day))) count += 1;
    return count;
  }

  /** The first working day on or after `date`. */
  nextWorkingDay(date: string): string {
    let day = this.day(date);
    while (!this.isWorkingDay(isoOf(day))) day += 1;
    return isoOf(day);
  }

  private day(date: string): number {
    const day = dayNumber(date);
    if (day === undefined) throw new RangeError(`${date} is not a date (YYYY-MM-DD)`);
    return day;
  }
}
