import { describe, expect, it } from '@jest/globals';
import { applyProgress, type ReviewProgress, type SubmissionStatus } from './submission.state.js';

const progress: Record<ReviewProgress['type'], ReviewProgress> = {
  started: { type: 'started' },
  task_assigned: { type: 'task_assigned', step: 1 },
  step_approved: { type: 'step_approved', step: 0 },
  approved: { type: 'approved' },
  rejected: { type: 'rejected' },
};

// Every status × progress event; stale events leave the status alone.
const table: Record<SubmissionStatus, Record<ReviewProgress['type'], SubmissionStatus>> = {
  submitted: { started: 'in_review', task_assigned: 'in_review', step_approved: 'in_review', approved: 'approved', rejected: 'rejected' },
  in_review: { started: 'in_review', task_assigned: 'in_review', step_approved: 'in_review', approved: 'approved', rejected: 'rejected' },
  approved: { started: 'approved', task_assigned: 'approved', step_approved: 'approved', approved: 'approved', rejected: 'approved' },
  rejected: { started: 'rejected', task_assigned: 'rejected', step_approved: 'rejected', approved: 'rejected', rejected: 'rejected' },
};

describe('submission status from review progress', () => {
  const cases = Object.entries(table).flatMap(([from, row]) =>
    Object.entries(row).map(([event, to]) => [from as SubmissionStatus, event as ReviewProgress['type'], to] as const),
  );
  it.each(cases)('%s + %s → %s', (from, event, to) => {
    expect(applyProgress(from, progress[event])).toBe(to);
  });
});
