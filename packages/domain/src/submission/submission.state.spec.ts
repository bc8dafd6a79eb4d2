import { describe, expect, it } from '@jest/globals';
import { applyApplicant, applyProgress, decideApplicant, type ApplicantCommand, type ReviewProgress, type SubmissionStatus } from './submission.state.js';

const progress: Record<ReviewProgress['type'], ReviewProgress> = {
  started: { type: 'started' },
  task_assigned: { type: 'task_assigned', step: 1 },
  step_approved: { type: 'step_approved', step: 0 },
  approved: { type: 'approved' },
  rejected: { type: 'rejected' },
  withdrawn: { type: 'withdrawn' },
};

// Every status × progress event; stale events leave the status alone.
const all = (s: SubmissionStatus): Record<ReviewProgress['type'], SubmissionStatus> => ({
  started: s,
  task_assigned: s,
  step_approved: s,
  approved: s,
  rejected: s,
  withdrawn: s,
});
const table: Record<SubmissionStatus, Record<ReviewProgress['type'], SubmissionStatus>> = {
  draft: all('draft'),
  withdrawn: all('withdrawn'),
  submitted: { started: 'in_review', task_assigned: 'in_review', step_approved: 'in_review', approved: 'approved', rejected: 'rejected', withdrawn: 'withdrawn' },
  in_review: { started: 'in_review', task_assigned: 'in_review', step_approved: 'in_review', approved: 'approved', rejected: 'rejected', withdrawn: 'withdrawn' },
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
    approved: { edit: 'NOT_EDITABLE', submit: 'NOT_EDITABLE', 'submit without attachments': 'NOT_EDITABLE', withdraw: 'NOT_WITHDRAWABLE' },
    rejected: { edit: 'NOT_EDITABLE', submit: 'NOT_EDITABLE', 'submit without attachments': 'NOT_EDITABLE', withdraw: 'NOT_WITHDRAWABLE' },
    withdrawn: { edit: 'NOT_EDITABLE', submit: 'NOT_EDITABLE', 'submit without attachments': 'NOT_EDITABLE', withdraw: 'NOT_WITHDRAWABLE' },
  };
  const cases = Object.entries(expected).flatMap(([status, row]) => Object.entries(row).map(([cmd, out]) => [status as SubmissionStatus, cmd, out] as const));
  it.each(cases)('%s + %s → %s', (status, cmd, out) => {
    const d = decideApplicant(status, commands[cmd]!);
    expect(d.ok ? d.events.reduce(applyApplicant, status) : d.code).toBe(out);
  });

  it('asks workflow to withdraw a submission under review, and withdraws a draft at once', () => {
    for (const status of ['submitted', 'in_review'] as const) {
      const d = decideApplicant(status, commands.withdraw!);
      expect(d.ok && d.events).toEqual([{ type: 'withdrawal_requested' }]);
    }
    const draft = decideApplicant('draft', commands.withdraw!);
    expect(draft.ok && draft.events).toEqual([{ type: 'withdrawn' }]);
  });

  it('names every missing attachment', () => {
    const d = decideApplicant('draft', commands['submit without attachments']!);
    expect(!d.ok && d.detail).toBe('missing: feasibility_report, land_use_plan');
  });
});
