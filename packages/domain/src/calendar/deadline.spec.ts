import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { dueOn, endOfDueDay, extendDue, isOverdue, remainingDays, resumeClock, startClock } from './deadline.js';
import { CalendarMissingError, WorkingDays, type WorkingCalendar } from './working-days.js';

const calendar2026 = JSON.parse(readFileSync(new URL('../../../../infra/calendars/2026.json', import.meta.url), 'utf8')) as WorkingCalendar;
const days = new WorkingDays([calendar2026]);

describe('a step clock across the 2026 calendar', () => {
  it.each([
    // [started, limit, due, why]
    ['2026-09-30', 3, '2026-10-10', 'over National Day to the make-up Saturday'],
    ['2026-03-06', 5, '2026-03-13', 'a plain week from a Friday'],
    ['2026-02-13', 2, '2026-02-24', 'the make-up Saturday, then over the Spring Festival'],
  ] as [string, number, string, string][])('started %s with %i working days is due %s (%s)', (started, limit, due) => {
    expect(startClock(days, started, limit)).toBe(due);
    expect(dueOn(days, { startedOn: started, budgetDays: limit, extendedDays: 0 })).toBe(due);
  });

  it.each([
    // [paused, due, remaining, why]
    ['2026-10-08', '2026-10-10', 2, 'returned on the first day back: Oct 9 and the make-up Saturday left'],
    ['2026-09-30', '2026-10-10', 3, 'returned the day it started: the whole limit left'],
    ['2026-10-10', '2026-10-10', 0, 'returned on its due day: nothing left'],
    ['2026-10-20', '2026-10-10', 0, 'returned after its due day: nothing left, never negative'],
  ] as [string, string, number, string][])('paused %s when due %s leaves %i (%s)', (paused, due, left) => {
    expect(remainingDays(days, paused, due)).toBe(left);
  });

  it.each([
    ['2026-10-15', 2, '2026-10-19', 'a Thursday with two days left: Friday, then Monday'],
    ['2026-10-15', 0, '2026-10-15', 'nothing left: due the day the correction arrives'],
    ['2026-09-30', 1, '2026-10-08', 'over National Day'],
  ] as [string, number, string, string][])('resumed %s with %i left is due %s (%s)', (resumed, left, due) => {
    expect(resumeClock(days, resumed, left)).toBe(due);
  });

  it('extends a due date by working days, over weekends and holidays', () => {
    expect(extendDue(days, '2026-09-30', 1)).toBe('2026-10-08');
    expect(extendDue(days, '2026-10-10', 5)).toBe('2026-10-16');
  });

  it('composes: stopping and resuming, or extending, equals one clock of the summed budget', () => {
    const dates = fc.integer({ min: 0, max: 300 }).map((d) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(dates, fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 10 }), (started, limit, extra) => {
        const due = startClock(days, started, limit);
        expect(extendDue(days, due, extra)).toBe(dueOn(days, { startedOn: started, budgetDays: limit, extendedDays: extra }));
        // Paused and resumed on the same day: the due date does not move, unless it was already past.
        const left = remainingDays(days, started, due);
        expect(resumeClock(days, started, left)).toBe(due);
      }),
    );
  });

  it('refuses a due date in a year without a calendar', () => {
    expect(() => startClock(days, '2026-12-28', 5)).toThrow(CalendarMissingError);
  });
});

describe('overdue, at the end of the due day in Asia/Shanghai', () => {
  it('ends a due day at 23:59:59.999 China time, 15:59:59.999 UTC', () => {
    expect(endOfDueDay('2026-10-10').toISOString()).toBe('2026-10-10T15:59:59.999Z');
  });

  it.each([
    ['2026-10-10T15:59:59.999Z', false, 'the last millisecond of the due day in China'],
    ['2026-10-10T16:00:00.000Z', true, 'midnight in China, still Oct 10 in UTC'],
    ['2026-10-09T23:00:00.000Z', false, 'the morning of the due day in China'],
  ] as [string, boolean, string][])('at %s overdue is %s (%s)', (now, overdue) => {
    expect(isOverdue('2026-10-10', new Date(now))).toBe(overdue);
  });
});
