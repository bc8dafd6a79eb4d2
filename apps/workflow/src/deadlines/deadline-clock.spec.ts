import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { WorkingDays, type ApprovalDefinition, type InstanceEvent, type WorkingCalendar } from '@shanhai/domain';
import { followClocks, recomputeClocks, type ClockRow } from './deadline-clock.js';

const calendar2026 = JSON.parse(readFileSync(new URL('../../../../infra/calendars/2026.json', import.meta.url), 'utf8')) as WorkingCalendar;
const only2026 = new WorkingDays([calendar2026]);
/** 2027 as a plain year (no holidays): enough to tell a computed due date from a missing one. */
const with2027 = new WorkingDays([calendar2026, { year: 2027, holidays: ['2027-01-01'], makeUpWorkdays: [] }]);

const definition: ApprovalDefinition = {
  key: 'zone_plan',
  version: 9,
  name: '开发区创建方案审批',
  committedLimitBusinessDays: 40,
  steps: [{ key: 'city_pre_review', name: '市商务局初审', mode: 'single', reviewer: { kind: 'city_commerce_bureau' }, timeLimitBusinessDays: 5 }],
};
const at = new Date('2026-12-28T02:00:00Z');
const assigned: InstanceEvent = { type: 'step_assigned', step: 0, round: 1, parties: ['lishui-commerce'], at };

const row = (over: Partial<ClockRow>): ClockRow => ({
  clock: 'step', step: 0, round: 1, status: 'running', startedOn: '2026-12-28', budgetDays: 5, extendedDays: 0, dueOn: null, pausedOn: null, remainingDays: null, resumedFromRound: null, ...over,
});

describe(followClocks.name, () => {
  it('leaves a due date in a year without a calendar unset, names the year, and still records the clock', () => {
    const { events, missingYears } = followClocks([assigned], definition, only2026, []);
    expect(events[1]).toMatchObject({ type: 'deadline_set', clock: 'step', limitDays: 5, startedOn: '2026-12-28', dueOn: null, problem: expect.stringContaining('2027') });
    expect(missingYears).toEqual([2027]);
  });

  it('pauses with unknown days left when the due date was unknown, and resumes still unknown', () => {
    const returned: InstanceEvent = { type: 'returned', step: 0, round: 1, party: 0, actor: '陈', deficiencies: [], at };
    const paused = followClocks([returned], definition, only2026, [row({})]);
    expect(paused.events[1]).toMatchObject({ type: 'clock_paused', remainingDays: null });
    const resubmitted: InstanceEvent[] = [{ type: 'resubmitted', revision: 2, step: 0, actor: '申请人', at }, { ...assigned, round: 2 }];
    const resumed = followClocks(resubmitted, definition, only2026, [row({ status: 'paused', pausedOn: '2026-12-28' })]);
    expect(resumed.events.map((e) => e.type)).toEqual(['resubmitted', 'step_assigned', 'clock_resumed']);
    expect(resumed.events[2]).toMatchObject({ fromRound: 1, remainingDays: null, dueOn: null });
  });

  it('starts afresh a step re-entered without a paused clock (an instance older than the clocks)', () => {
    const resubmitted: InstanceEvent[] = [{ type: 'resubmitted', revision: 2, step: 0, actor: '申请人', at }, { ...assigned, round: 2 }];
    expect(followClocks(resubmitted, definition, with2027, []).events.map((e) => e.type)).toEqual(['resubmitted', 'step_assigned', 'deadline_set']);
  });
});

describe(recomputeClocks.name, () => {
  it('computes the unset due date once the year is loaded, and leaves clocks due before that year alone', () => {
    const rows = [row({}), row({ step: 1, startedOn: '2026-03-02', dueOn: '2026-03-09' })];
    const { events } = recomputeClocks(rows, 2027, with2027, at);
    expect(events).toEqual([{ type: 'deadline_recomputed', clock: 'step', step: 0, round: 1, year: 2027, previousDueOn: null, dueOn: '2027-01-05', at }]);
  });

  it('gives a paused clock its days left, and the round it resumed into its budget', () => {
    const rows = [
      row({ status: 'resumed', pausedOn: '2026-12-30', remainingDays: null }),
      row({ round: 2, startedOn: '2027-01-11', budgetDays: null, resumedFromRound: 1 }),
    ];
    const { events } = recomputeClocks(rows, 2027, with2027, at);
    // Five working days from Dec 28: Dec 29, 30, 31, then Jan 4 and 5 after New Year; paused Dec 30, it had Dec 31, Jan 4 and 5 left.
    // Resumed Monday Jan 11 with three: Jan 12, 13, 14.
    expect(events.map((e) => e.type === 'deadline_recomputed' && [e.round, e.dueOn, e.remainingDays, e.budgetDays])).toEqual([
      [1, '2027-01-05', 3, undefined],
      [2, '2027-01-14', undefined, 3],
    ]);
  });

  it('changes nothing when the numbers come out the same', () => {
    expect(recomputeClocks([row({ dueOn: '2027-01-05' })], 2027, with2027, at).events).toEqual([]);
  });

  it('still names a year that is missing', () => {
    const { events, missingYears } = recomputeClocks([row({ startedOn: '2026-12-28', budgetDays: 300 })], 2026, with2027, at);
    expect(events).toEqual([]);
    expect(missingYears).toEqual([2028]);
  });
});
