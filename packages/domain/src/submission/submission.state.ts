/**
 * Intake's view of a submission's review, fed by workflow's events. Messages may arrive out of
 * order (competing consumers, retries), so the status only ever moves forward: a late
 * `task_assigned` never reopens an approved submission.
 */
export type SubmissionStatus = 'submitted' | 'in_review' | 'approved' | 'rejected';

export type ReviewProgress =
  | { readonly type: 'started' }
  | { readonly type: 'task_assigned'; readonly step: number }
  | { readonly type: 'step_approved'; readonly step: number }
  | { readonly type: 'approved' }
  | { readonly type: 'rejected' };

const rank: Record<SubmissionStatus, number> = { submitted: 0, in_review: 1, approved: 2, rejected: 2 };

const target: Record<ReviewProgress['type'], SubmissionStatus> = {
  started: 'in_review',
  task_assigned: 'in_review',
  step_approved: 'in_review',
  approved: 'approved',
  rejected: 'rejected',
};

export const isFinal = (status: SubmissionStatus): boolean => rank[status] === 2;

/** The status after `progress`; unchanged when the progress is stale. */
export function applyProgress(status: SubmissionStatus, progress: ReviewProgress): SubmissionStatus {
  const next = target[progress.type];
  return rank[next] > rank[status] ? next : status;
}
