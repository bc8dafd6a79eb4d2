import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { SubmissionStatus } from '../submission/submission.state.js';
import { chinaDate } from '../shared/china-date.js';
import {
  eventDateProblem,
  projectStatus,
  projectStatuses,
  reportDueBy,
  reportWindow,
  reviseReport,
  totalAmountYi,
  type ProjectStatus,
  type SignedProject,
} from './event-report.js';

describe('project status', () => {
  // Every (from, to) pair: the status it ends at, or the refusal.
  const expected: Record<ProjectStatus, Record<ProjectStatus, string>> = {
    signed: { signed: 'signed', started: 'started', producing: 'producing' },
    started: { signed: 'PROJECT_STATUS_BACKWARDS', started: 'started', producing: 'producing' },
    producing: { signed: 'PROJECT_STATUS_BACKWARDS', started: 'PROJECT_STATUS_BACKWARDS', producing: 'producing' },
  };
  const cases = projectStatuses.flatMap((from) => projectStatuses.map((to) => [from, to, expected[from][to]] as const));

  it('covers every pair', () => {
    expect(cases).toHaveLength(9);
  });

  it.each(cases)('%s → %s: %s', (from, to, out) => {
    const moved = projectStatus(from, to);
    expect(moved.ok ? moved.status : moved.code).toBe(out);
  });

  it('says which way is refused, in both languages', () => {
    const moved = projectStatus('producing', 'signed');
    expect(!moved.ok && moved.detail).toBe('producing (已投产) cannot go back to signed (已签约)');
  });
});

const project = (name: string, status: ProjectStatus, amountYi = 1): SignedProject => ({ name, investor: '某投资方', amountYi, industry: '竹木制品', status });

describe('revising a report', () => {
  it('accepts the first report, whatever the statuses', () => {
    expect(reviseReport([], [project('甲', 'producing'), project('乙', 'signed')])).toEqual({ ok: true, totalAmountYi: 2 });
  });

  it('accepts projects that stay or move forward, new ones and dropped ones', () => {
    const previous = [project('甲', 'signed'), project('乙', 'started'), project('丙', 'signed')];
    const next = [project('甲', 'signed'), project('乙', 'producing'), project('丁', 'signed', 2.5)];
    expect(reviseReport(previous, next)).toEqual({ ok: true, totalAmountYi: 4.5 });
  });

  it('refuses every project whose status moved back, naming each with its place in the new list', () => {
    const previous = [project('甲', 'producing'), project('乙', 'started'), project('丙', 'signed')];
    const revised = reviseReport(previous, [project('丙', 'started'), project('乙', 'signed'), project('甲', 'started')]);
    expect(revised).toMatchObject({
      ok: false,
      code: 'PROJECT_STATUS_BACKWARDS',
      detail: 'status moved back for 乙, 甲',
      backward: [
        { index: 1, name: '乙', from: 'started', to: 'signed' },
        { index: 2, name: '甲', from: 'producing', to: 'started' },
      ],
    });
  });

  it('matches projects by their exact name', () => {
    expect(reviseReport([project('甲', 'producing')], [project('甲 ', 'signed')]).ok).toBe(true);
  });
});

describe('total amount', () => {
  it('adds 亿元 amounts exactly to the 万元', () => {
    expect(totalAmountYi([{ amountYi: 0.1 }, { amountYi: 0.2 }])).toBe(0.3);
    expect(totalAmountYi([6.2, 4.5, 3.8, 3.25, 2.5, 1.5].map((amountYi) => ({ amountYi })))).toBe(21.75);
    expect(totalAmountYi([])).toBe(0);
  });

  it('equals the sum in 万元 for any amounts given to the 万元', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 100_000_000 }), { maxLength: 200 }), (wan) => {
        const total = totalAmountYi(wan.map((w) => ({ amountYi: w / 10_000 })));
        expect(Math.round(total * 10_000)).toBe(wan.reduce((a, b) => a + b, 0));
      }),
    );
  });
});

describe('when a report may be filed', () => {
  const statuses: SubmissionStatus[] = ['draft', 'submitted', 'in_review', 'approved', 'rejected', 'withdrawn'];
  // Every status × (before, on, after the event day).
  const cases = statuses.flatMap((status) =>
    (['2027-06-28', '2027-06-29', '2027-06-30'] as const).map((today) => [status, today, status === 'approved' && today === '2027-06-30'] as const),
  );
  it.each(cases)('%s event of 2027-06-29, on %s: %s', (status, today, open) => {
    const window = reportWindow(status, '2027-06-29', today);
    expect(window.ok ? true : window.code).toBe(open ? true : 'REPORT_NOT_OPEN');
  });

  it('is due within one month of the event', () => {
    expect(reportDueBy('2022-06-29')).toBe('2022-07-29');
    expect(reportDueBy('2027-01-31')).toBe('2027-02-28');
    expect(reportDueBy('2028-01-31')).toBe('2028-02-29');
    expect(reportDueBy('2027-12-15')).toBe('2028-01-15');
  });
});

describe('event date when submitting', () => {
  it.each([
    ['2027-06-28', 'in the past'],
    ['2027-06-29', undefined],
    ['2027-06-30', undefined],
  ] as const)('%s, today 2027-06-29: %s', (date, problem) => {
    const found = eventDateProblem(date, '2027-06-29');
    if (problem) expect(found).toContain(problem);
    else expect(found).toBeUndefined();
  });

  it('reads today in China time, where the day starts at 16:00 UTC', () => {
    expect(chinaDate(new Date('2027-06-28T15:59:59Z'))).toBe('2027-06-28');
    expect(chinaDate(new Date('2027-06-28T16:00:00Z'))).toBe('2027-06-29');
  });
});
