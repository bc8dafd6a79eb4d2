import { describe, expect, it } from '@jest/globals';
import {
  applyApplicant,
  applyProgress,
  decideApplicant,
  isStaleRevision,
  type ApplicantCommand,
  type ReviewProgress,
  type SubmissionStatus,
} from './submission.state.js';

const progress: Record<ReviewProgress['type'], ReviewProgress> = {
  started: { type: 'started' },
  task_assigned: { type: 'task_assigned', step: 1 },
  step_approved: { type: 'step_approved', step: 0 },
  delegated: { type: 'delegated', step: 1 },
  deadline_extended: { type: 'deadline_extended', step: 1 },
  returned: { type: 'returned', step: 1 },
  resubmitted: { type: 'resubmitted', step: 1 },
  approved: { type: 'approved' },
  rejected: { type: 'rejected' },
  withdrawn: { type: 'withdrawn' },
};

// Every status × progress event (all of one revision; older revisions are filtered out before,
// see isStaleRevision); stale events leave the status alone.
const all = (s: SubmissionStatus): Record<ReviewProgress['type'], SubmissionStatus> => ({
  started: s,
  task_assigned: s,
  step_approved: s,
  delegated: s,
  deadline_extended: s,
  returned: s,
  resubmitted: s,
  approved: s,
  rejected: s,
  withdrawn: s,
});
const underReview: Record<ReviewProgress['type'], SubmissionStatus> = {
  started: 'in_review',
  task_assigned: 'in_review',
  step_approved: 'in_review',
  delegated: 'in_review',
  deadline_extended: 'in_review',
  returned: 'returned',
  resubmitted: 'in_review',
  approved: 'approved',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
};
const table: Record<SubmissionStatus, Record<ReviewProgress['type'], SubmissionStatus>> = {
  draft: all('draft'),
  withdrawn: all('withdrawn'),
  // A resubmitted revision is `submitted` again until workflow's `resubmitted` (or its task) arrives.
  submitted: underReview,
  in_review: underReview,
  // A returned revision waits for the applicant: a late task_assigned or step_approved of the same
  // revision must not reopen it; workflow may still close it (withdrawn) or decide it.
  returned: { ...all('returned'), approved: 'approved', rejected: 'rejected', withdrawn: 'withdrawn' },
  approved: all('approved'),
  rejected: all('rejected'),
};

describe('submission status from review progress', () => {
  const cases = Object.entries(table).flatMap(([from, row]) =>
    Object.entries(row).map(([event, to]) => [from as SubmissionStatus, event as ReviewProgress['type'], to] as const),
  );
  it.each(cases)('%s + %s → %s', (from, event, to) => {
    expect(applyProgress(from, progress[event])).toBe(to);
  });
});

describe('progress about an older revision', () => {
  it.each([
    [2, 1, true],
    [2, 2, false],
    [1, 1, false],
    [1, 2, false],
  ] as const)('current revision %i, reported %i → stale %s', (current, reported, stale) => {
    expect(isStaleRevision(current, reported)).toBe(stale);
  });
});

describe('what the applicant may do', () => {
  const commands: Record<string, ApplicantCommand> = {
    edit: { type: 'edit' },
    submit: { type: 'submit', missingAttachments: [] },
    'submit without attachments': { type: 'submit', missingAttachments: ['feasibility_report', 'land_use_plan'] },
    withdraw: { type: 'withdraw' },
  };
  // Every status × command: the resulting status, or the refusal.
  const expected: Record<SubmissionStatus, Record<string, string>> = {
    draft: { edit: 'draft', submit: 'submitted', 'submit without attachments': 'ATTACHMENTS_MISSING', withdraw: 'withdrawn' },
    // Under review, a withdrawal is only requested: the status waits for workflow's word.
    submitted: { edit: 'NOT_EDITABLE', submit: 'NOT_EDITABLE', 'submit without attachments': 'NOT_EDITABLE', withdraw: 'submitted' },
    in_review: { edit: 'NOT_EDITABLE', submit: 'NOT_EDITABLE', 'submit without attachments': 'NOT_EDITABLE', withdraw: 'in_review' },
    // Returned for correction (补正): edited and submitted again as the next revision, or withdrawn
    // through workflow, whose instance is still open waiting for the correction.
    returned: { edit: 'returned', submit: 'submitted', 'submit without attachments': 'ATTACHMENTS_MISSING', withdraw: 'returned' },
    approved: { edit: 'NOT_EDITABLE', submit: 'NOT_EDITABLE', 'submit without attachments': 'NOT_EDITABLE', withdraw: 'NOT_WITHDRAWABLE' },
    rejected: { edit: 'NOT_EDITABLE', submit: 'NOT_EDITABLE', 'submit without attachments': 'NOT_EDITABLE', withdraw: 'NOT_WITHDRAWABLE' },
    withdrawn: { edit: 'NOT_EDITABLE', submit: 'NOT_EDITABLE', 'submit without attachments': 'NOT_EDITABLE', withdraw: 'NOT_WITHDRAWABLE' },
  };
  const cases = Object.entries(expected).flatMap(([status, row]) => Object.entries(row).map(([cmd, out]) => [status as SubmissionStatus, cmd, out] as const));
  it.each(cases)('%s + %s → %s', (status, cmd, out) => {
    const d = decideApplicant(status, commands[cmd]!);
    expect(d.ok ? d.events.reduce(applyApplicant, status) : d.code).toBe(out);
  });

  it('asks workflow to withdraw a submission under review or returned, and withdraws a draft at once', () => {
    for (const status of ['submitted', 'in_review', 'returned'] as const) {
      const d = decideApplicant(status, commands.withdraw!);
      expect(d.ok && d.events).toEqual([{ type: 'withdrawal_requested' }]);
    }
    const draft = decideApplicant('draft', commands.withdraw!);
    expect(draft.ok && draft.events).toEqual([{ type: 'withdrawn' }]);
  });

  it('once a withdrawal is requested, refuses to edit or submit again until workflow answers; asking again changes nothing', () => {
    for (const status of ['submitted', 'in_review', 'returned'] as const) {
      for (const cmd of ['edit', 'submit'] as const) expect(decideApplicant(status, commands[cmd]!, true)).toMatchObject({ ok: false, code: 'WITHDRAWAL_PENDING' });
      expect(decideApplicant(status, commands.withdraw!, true)).toEqual({ ok: true, events: [] });
    }
    // Workflow's answer decides: a submission it approved meanwhile is final, whatever was asked.
    expect(decideApplicant('approved', commands.withdraw!, true)).toMatchObject({ ok: false, code: 'NOT_WITHDRAWABLE' });
  });

  it('names every missing attachment', () => {
    const d = decideApplicant('draft', commands['submit without attachments']!);
    expect(!d.ok && d.detail).toBe('missing: feasibility_report, land_use_plan');
  });

  it('refuses to edit a submission under review, naming its status', () => {
    const d = decideApplicant('in_review', commands.edit!);
    expect(!d.ok && [d.code, d.detail]).toEqual(['NOT_EDITABLE', 'a in_review submission is read-only']);
  });
});
