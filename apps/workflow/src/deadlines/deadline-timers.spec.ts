import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { WorkingDays, type InstanceEvent, type WorkingCalendar } from '@shanhai/domain';
import { dueTimer, retimed, timerJobId, timersOf, workingDaysBefore } from './deadline-timers.js';

const calendar2026 = JSON.parse(readFileSync(new URL('../../../../infra/calendars/2026.json', import.meta.url), 'utf8')) as WorkingCalendar;
const days = new WorkingDays([calendar2026]);
const instanceId = '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f';
const clock = { instanceId, step: 0, round: 1, startedOn: '2026-09-30', dueOn: '2026-10-10' };

describe(workingDaysBefore.name, () => {
  it.each([
    // The make-up Saturday Oct 10: Friday Oct 9, then Thursday Oct 8 (National Day's closure before them is skipped).
    ['2026-10-10', 1, '2026-10-09'],
    ['2026-10-10', 2, '2026-10-08'],
    ['2026-10-10', 3, '2026-09-30'],
    // A Monday: the Friday before, across the weekend.
    ['2026-11-16', 1, '2026-11-13'],
  ])('%s less %i working days is %s', (dueOn, n, expected) => {
    expect(workingDaysBefore(days, dueOn, n)).toBe(expected);
  });
});

describe(timersOf.name, () => {
  it('plans 09:00 China on the reminder days and midnight after the due day, each under an id BullMQ accepts', () => {
    expect(timersOf(clock, 2, days)).toEqual([
      { kind: 'remind_before', fireAt: new Date('2026-10-08T01:00:00.000Z'), jobId: `deadline-${instanceId}-0-1-remind_before-2026-10-10` },
      { kind: 'remind_due', fireAt: new Date('2026-10-10T01:00:00.000Z'), jobId: `deadline-${instanceId}-0-1-remind_due-2026-10-10` },
      { kind: 'escalate', fireAt: new Date('2026-10-10T16:00:00.000Z'), jobId: `deadline-${instanceId}-0-1-escalate-2026-10-10` },
    ]);
    for (const t of timersOf(clock, 2, days)) expect(t.jobId).not.toContain(':');
  });

  it('plans no early reminder on or before the day the clock started, with a lead of 0, or without the calendar', () => {
    expect(timersOf(clock, 3, days).map((t) => t.kind)).toEqual(['remind_due', 'escalate']);
    expect(timersOf(clock, 0, days).map((t) => t.kind)).toEqual(['remind_due', 'escalate']);
    expect(timersOf({ ...clock, startedOn: '2026-12-30', dueOn: '2027-01-05' }, 2, days).map((t) => t.kind)).toEqual(['remind_due', 'escalate']);
  });

  it('names a new due date a new timer', () => {
    expect(timerJobId({ ...clock, dueOn: '2026-10-12' }, 'remind_due')).not.toBe(timerJobId(clock, 'remind_due'));
  });
});

describe(dueTimer.name, () => {
  it.each([
    ['2026-10-08T00:59:59.999Z', undefined],
    ['2026-10-08T01:00:00.000Z', 'remind_before'],
    ['2026-10-10T01:00:00.000Z', 'remind_due'],
    ['2026-10-10T15:59:59.999Z', 'remind_due'],
    ['2026-10-10T16:00:00.000Z', 'escalate'],
    ['2026-11-30T00:00:00.000Z', 'escalate'],
  ])('at %s it is %s: the latest timer whose moment has come', (now, expected) => {
    expect(dueTimer('2026-10-10', '2026-10-08', new Date(now))).toBe(expected);
  });
});

describe(retimed.name, () => {
  const at = new Date('2026-10-15T01:00:00Z');
  it('takes the step clocks a batch gave a due date, with their start, and leaves the committed limit and unknown dates', () => {
    const events: InstanceEvent[] = [
      { type: 'clock_resumed', clock: 'step', step: 0, round: 2, resumedOn: '2026-10-15', fromRound: 1, remainingDays: 2, dueOn: '2026-10-19', at },
      { type: 'clock_resumed', clock: 'committed', step: -1, round: 0, resumedOn: '2026-10-15', fromRound: 0, remainingDays: 39, dueOn: '2026-12-10', at },
      { type: 'deadline_set', clock: 'step', step: 1, round: 1, limitDays: 5, startedOn: '2026-10-15', dueOn: null, problem: 'no calendar', at },
      { type: 'deadline_extended', step: 0, round: 2, party: 0, actor: '王审核', days: 2, reason: '需征求意见', dueOn: '2026-10-21', at },
    ];
    expect(retimed(events, instanceId, () => undefined)).toEqual([{ instanceId, step: 0, round: 2, startedOn: '2026-10-15', dueOn: '2026-10-21' }]);
  });
});
