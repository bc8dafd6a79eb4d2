import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CalendarMissingError, calendarProblems, WorkingDays, type WorkingCalendar } from './working-days.js';

/** The 2026 calendar as shipped (infra/calendars/2026.json, from the State Council notice). */
const calendar2026 = JSON.parse(readFileSync(new URL('../../../../infra/calendars/2026.json', import.meta.url), 'utf8')) as WorkingCalendar;
const days = new WorkingDays([calendar2026]);

describe('the 2026 calendar as shipped', () => {
  it('is valid: real dates in 2026, none twice, make-up days on weekends', () => {
    expect(calendarProblems(calendar2026)).toEqual([]);
    expect(calendar2026.holidays).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
  });
});

describe('working days across the 2026 Spring Festival and National Day', () => {
  it.each([
    // [from, working days, due, why]
    ['2026-02-12', 1, '2026-02-13', 'Thursday to Friday'],
    ['2026-02-13', 1, '2026-02-14', 'Friday to the make-up Saturday before the Spring Festival'],
    ['2026-02-14', 1, '2026-02-24', 'over the Spring Festival closure, Feb 15–23'],
    ['2026-02-13', 2, '2026-02-24', 'the make-up Saturday, then the first day back'],
    ['2026-02-24', 4, '2026-02-28', 'into the make-up Saturday Feb 28'],
    ['2026-02-27', 2, '2026-03-02', 'the make-up Saturday, then over Sunday to Monday'],
    ['2026-03-06', 1, '2026-03-09', 'one working day from a Friday is Monday, not 24 hours'],
    ['2026-09-18', 1, '2026-09-20', 'Friday to the make-up Sunday Sep 20'],
    ['2026-09-24', 1, '2026-09-28', 'over Mid-Autumn, Sep 25–27'],
    ['2026-09-30', 1, '2026-10-08', 'over National Day, Oct 1–7'],
    ['2026-09-30', 3, '2026-10-10', 'Oct 8, Oct 9, then the make-up Saturday Oct 10'],
    ['2026-10-10', 1, '2026-10-12', 'from the make-up Saturday over Sunday to Monday'],
    ['2025-12-31', 1, '2026-01-04', 'over New Year, Jan 1–3, to the make-up Sunday'],
    ['2026-04-03', 1, '2026-04-07', 'over Qingming, Apr 4–6'],
    ['2026-04-30', 1, '2026-05-06', 'over Labour Day, May 1–5'],
    ['2026-05-08', 1, '2026-05-09', 'to the make-up Saturday May 9'],
    ['2026-06-18', 1, '2026-06-22', 'over the Dragon Boat Festival, Jun 19–21'],
    ['2026-03-02', 0, '2026-03-02', 'no working days: the day itself'],
    ['2026-03-02', 20, '2026-03-30', 'four plain weeks'],
  ] as [string, number, string, string][])('%s + %i working days is %s (%s)', (from, n, due) => {
    expect(days.addWorkingDays(from, n)).toBe(due);
  });

  it.each([
    ['2026-02-13', '2026-02-24', 2],
    ['2026-09-30', '2026-10-10', 3],
    ['2026-02-15', '2026-02-23', 0],
    ['2026-03-09', '2026-03-02', 0],
  ] as [string, string, number][])('counts the working days after %s up to %s: %i', (from, to, n) => {
    expect(days.workingDaysBetween(from, to)).toBe(n);
  });

  it('knows holidays, make-up days and ordinary days', () => {
    expect(['2026-02-16', '2026-10-03', '2026-03-07'].map((d) => days.isWorkingDay(d))).toEqual([false, false, false]);
    expect(['2026-02-14', '2026-10-10', '2026-03-09'].map((d) => days.isWorkingDay(d))).toEqual([true, true, true]);
    expect(days.nextWorkingDay('2026-10-01')).toBe('2026-10-08');
  });

  it('refuses to guess in a year without a calendar', () => {
    expect(() => days.addWorkingDays('2026-12-30', 5)).toThrow(CalendarMissingError);
    try {
      days.addWorkingDays('2026-12-30', 5);
    } catch (error) {
      expect(error).toMatchObject({ code: 'CALENDAR_MISSING', year: 2027 });
    }
    expect(() => days.isWorkingDay('2025-06-02')).toThrow(/no working-day calendar is loaded for 2025/);
  });
});

describe('working-day properties over 2026', () => {
  // Any day of 2026 up to early December, so that 15 working days later is still in 2026.
  const aDay = fc.integer({ min: 0, max: 335 }).map((i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10));
  const n = fc.integer({ min: 0, max: 15 });

  it('adding n working days, then counting them back, gives n', () => {
    fc.assert(fc.property(aDay, n, (from, k) => days.workingDaysBetween(from, days.addWorkingDays(from, k)) === k));
  });

  it('a due date is never a non-working day', () => {
    fc.assert(fc.property(aDay, fc.integer({ min: 1, max: 15 }), (from, k) => days.isWorkingDay(days.addWorkingDays(from, k))));
  });

  it('one more working day is always later', () => {
    fc.assert(fc.property(aDay, n, (from, k) => days.addWorkingDays(from, k + 1) > days.addWorkingDays(from, k)));
  });

  it('pausing and resuming keeps the working days left: what remained at the pause runs from the resumption', () => {
    fc.assert(
      fc.property(aDay, fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 }), (start, limit, used, paused) => {
        const due = days.addWorkingDays(start, limit);
        const pausedOn = days.addWorkingDays(start, Math.min(used, limit));
        const left = days.workingDaysBetween(pausedOn, due);
        const resumedOn = days.addWorkingDays(pausedOn, paused);
        return left === limit - Math.min(used, limit) && days.workingDaysBetween(resumedOn, days.addWorkingDays(resumedOn, left)) === left;
      }),
    );
  });
});

describe('a calendar an admin loads', () => {
  it('names every bad entry: not a date, another year, twice, both, a make-up day that is a weekday', () => {
    const bad: WorkingCalendar = {
      year: 2027,
      holidays: ['2027-02-30', '2026-12-31', '2027-02-06', '2027-02-06', '2027-10-09'],
      makeUpWorkdays: ['2027-10-09', '2027-02-08'],
    };
    expect(calendarProblems(bad)).toEqual([
      { field: 'holidays.0', message: '2027-02-30 is not a date (YYYY-MM-DD)' },
      { field: 'holidays.1', message: '2026-12-31 is not in 2027' },
      { field: 'holidays.3', message: '2027-02-06 is listed twice' },
      { field: 'makeUpWorkdays.0', message: '2027-10-09 is both a holiday and a make-up working day' },
      { field: 'makeUpWorkdays.1', message: '2027-02-08 is a weekday: only a Saturday or Sunday can be a make-up working day' },
    ]);
    expect(calendarProblems({ year: 1999, holidays: [], makeUpWorkdays: [] })).toEqual([{ field: 'year', message: 'must be a year from 2000 to 2100' }]);
  });
});
