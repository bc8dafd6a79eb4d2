import { accept, refuse, type Decision } from '../shared/result.js';

/**
 * A submission's life in intake: the applicant drafts and submits; from then on its status
 * follows workflow's events. Messages may arrive out of order (competing consumers, retries), so
 * review progress only ever moves the status forward: a late `task_assigned` never reopens an
 * approved submission. A reviewer may return the submission for correction (补正, `returned`): the
 * applicant edits it and submits it again as the next revision, which is `submitted` once more.
 */
export const submissionStatuses = ['draft', 'submitted', 'in_review', 'returned', 'approved', 'rejected', 'withdrawn'] as const;
export type SubmissionStatus = (typeof submissionStatuses)[number];

/** The statuses in which the applicant may change the content and submit it (again). */
const editable: readonly SubmissionStatus[] = ['draft', 'returned'];
/** The statuses in which workflow holds an open instance, so a withdrawal is only requested of it. */
const underReview: readonly SubmissionStatus[] = ['submitted', 'in_review', 'returned'];

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

export type ApplicantRefusal = 'NOT_EDITABLE' | 'ATTACHMENTS_MISSING' | 'NOT_WITHDRAWABLE' | 'WITHDRAWAL_PENDING';

/**
 * What the applicant may do in each status. Review decisions are workflow's, not these. Once a
 * withdrawal is requested (`withdrawalRequested`), the submission waits for workflow's word: it
 * is neither edited nor submitted again, so a correction can never overtake the withdrawal and
 * reopen what the applicant asked to close; asking again changes nothing.
 */
export function decideApplicant(status: SubmissionStatus, cmd: ApplicantCommand, withdrawalRequested = false): Decision<ApplicantEvent, ApplicantRefusal> {
  if (withdrawalRequested && underReview.includes(status)) {
    return cmd.type === 'withdraw' ? accept([]) : refuse('WITHDRAWAL_PENDING', 'a withdrawal of this submission was requested and awaits the review’s answer');
  }
  switch (cmd.type) {
    case 'edit':
      return editable.includes(status) ? accept([{ type: 'edited' }]) : refuse('NOT_EDITABLE', `a ${status} submission is read-only`);
    case 'submit':
      if (!editable.includes(status)) return refuse('NOT_EDITABLE', `a ${status} submission cannot be submitted again`);
      return cmd.missingAttachments.length
        ? refuse('ATTACHMENTS_MISSING', `missing: ${cmd.missingAttachments.join(', ')}`)
        : accept([{ type: 'submitted' }]);
    case 'withdraw':
      // A draft is withdrawn at once; one under review (or returned) asks workflow to close its instance.
      if (status === 'draft') return accept([{ type: 'withdrawn' }]);
      if (underReview.includes(status)) return accept([{ type: 'withdrawal_requested' }]);
      return refuse('NOT_WITHDRAWABLE', `a ${status} submission cannot be withdrawn`);
  }
}

export const applyApplicant = (status: SubmissionStatus, event: ApplicantEvent): SubmissionStatus =>
  event.type === 'edited' || event.type === 'withdrawal_requested' ? status : event.type;

export type ReviewProgress =
  | { readonly type: 'started' }
  | { readonly type: 'task_assigned'; readonly step: number }
  | { readonly type: 'step_approved'; readonly step: number }
  | { readonly type: 'delegated'; readonly step: number }
  | { readonly type: 'deadline_extended'; readonly step: number }
  | { readonly type: 'returned'; readonly step: number }
  | { readonly type: 'resubmitted'; readonly step: number }
  | { readonly type: 'approved' }
  | { readonly type: 'rejected' }
  | { readonly type: 'withdrawn' };

/**
 * Review order within one revision; drafts are outside it and never moved by progress. Returned
 * ends a revision's review short of a decision: a late `task_assigned` of the same revision must
 * not reopen it, but workflow may still close it (`withdrawn`). Approved, rejected and withdrawn
 * are final: a draft withdrawn by the applicant and one whose instance workflow closed alike stay
 * withdrawn whatever stale event arrives later. Progress of an older revision never gets here
 * (see `isStaleRevision`): the applicant's resubmission moved `returned` back to `submitted`.
 */
const rank: Partial<Record<SubmissionStatus, number>> = { submitted: 0, in_review: 1, returned: 2, approved: 3, rejected: 3, withdrawn: 3 };

const target: Record<ReviewProgress['type'], SubmissionStatus> = {
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

export const isFinal = (status: SubmissionStatus): boolean => status === 'approved' || status === 'rejected' || status === 'withdrawn';

/** The status after `progress`; unchanged when the progress is stale or the status is outside review. */
export function applyProgress(status: SubmissionStatus, progress: ReviewProgress): SubmissionStatus {
  const from = rank[status];
  const next = target[progress.type];
  if (from === undefined) return status;
  return (rank[next] ?? 0) > from ? next : status;
}

/**
 * Progress about a revision older than the submission's current one is stale: that revision's
 * review ended when it was returned, and the applicant has submitted a newer one since. It changes
 * nothing, not even the timeline.
 */
export const isStaleRevision = (currentRevision: number, reportedRevision: number): boolean => reportedRevision < currentRevision;
