import { accept, refuse, type Decision } from '../shared/result.js';

/**
 * A submission's life in intake: the applicant drafts and submits; from then on its status
 * follows workflow's events. Messages may arrive out of order (competing consumers, retries), so
 * review progress only ever moves the status forward: a late `task_assigned` never reopens an
 * approved submission.
 */
export type SubmissionStatus = 'draft' | 'submitted' | 'in_review' | 'approved' | 'rejected' | 'withdrawn';

export type ApplicantCommand =
  | { readonly type: 'edit' }
  | { readonly type: 'submit'; readonly missingAttachments: readonly string[] }
  | { readonly type: 'withdraw' };

/**
 * `withdrawal_requested`: the applicant asked to withdraw a submission under review. Its status
 * stays as it is until workflow closes the instance (review progress `withdrawn`): the final
 * word is workflow's, which may have decided the last step a moment earlier.
 */
export type ApplicantEvent =
  | { readonly type: 'edited' }
  | { readonly type: 'submitted' }
  | { readonly type: 'withdrawn' }
  | { readonly type: 'withdrawal_requested' };

export type ApplicantRefusal = 'NOT_EDITABLE' | 'ATTACHMENTS_MISSING' | 'NOT_WITHDRAWABLE';

/** What the applicant may do in each status. Review decisions are workflow's, not these. */
export function decideApplicant(status: SubmissionStatus, cmd: ApplicantCommand): Decision<ApplicantEvent, ApplicantRefusal> {
  switch (cmd.type) {
    case 'edit':
      return status === 'draft' ? accept([{ type: 'edited' }]) : refuse('NOT_EDITABLE', `a ${status} submission is read-only`);
    case 'submit':
      if (status !== 'draft') return refuse('NOT_EDITABLE', `a ${status} submission cannot be submitted again`);
      return cmd.missingAttachments.length
        ? refuse('ATTACHMENTS_MISSING', `missing: ${cmd.missingAttachments.join(', ')}`)
        : accept([{ type: 'submitted' }]);
    case 'withdraw':
      // A draft is withdrawn at once; one under review asks workflow to close its instance.
      if (status === 'draft') return accept([{ type: 'withdrawn' }]);
      if (status === 'submitted' || status === 'in_review') return accept([{ type: 'withdrawal_requested' }]);
      return refuse('NOT_WITHDRAWABLE', `a ${status} submission cannot be withdrawn`);
  }
}

export const applyApplicant = (status: SubmissionStatus, event: ApplicantEvent): SubmissionStatus =>
  event.type === 'edited' || event.type === 'withdrawal_requested' ? status : event.type;

export type ReviewProgress =
  | { readonly type: 'started' }
  | { readonly type: 'task_assigned'; readonly step: number }
  | { readonly type: 'step_approved'; readonly step: number }
  | { readonly type: 'approved' }
  | { readonly type: 'rejected' }
  | { readonly type: 'withdrawn' };

/**
 * Review order; drafts are outside it and never moved by progress. Approved, rejected and
 * withdrawn are final: a draft withdrawn by the applicant and one whose instance workflow closed
 * alike stay withdrawn whatever stale event arrives later.
 */
const rank: Partial<Record<SubmissionStatus, number>> = { submitted: 0, in_review: 1, approved: 2, rejected: 2, withdrawn: 2 };

const target: Record<ReviewProgress['type'], SubmissionStatus> = {
  started: 'in_review',
  task_assigned: 'in_review',
  step_approved: 'in_review',
  approved: 'approved',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
};

export const isFinal = (status: SubmissionStatus): boolean => status === 'approved' || status === 'rejected' || status === 'withdrawn';

/** The status after `progress`; unchanged when the progress is stale or the status is outside review. */
export function applyProgress(status: SubmissionStatus, progress: ReviewProgress): SubmissionStatus {
  const from = rank[status];
  const next = target[progress.type];
  if (from === undefined) return status;
  return (rank[next] ?? 0) > from ? next : status;
}
