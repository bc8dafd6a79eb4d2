import { z } from 'zod';
import { defineMessage } from './envelope.js';

/** A person or organisation mail can reach. Names are shown in emails, so they keep their Chinese. */
export const contact = z.strictObject({
  name: z.string().min(1).max(200),
  email: z.email(),
});
export type Contact = z.infer<typeof contact>;

export const submissionKind = z.enum(['zone_plan', 'promotion_event']);
export type SubmissionKind = z.infer<typeof submissionKind>;

const place = z.strictObject({ code: z.string().min(1).max(64), name: z.string().min(1).max(200) });

/** The facts about a submission every downstream consumer needs to act and to write mail. */
export const submissionSummary = z.strictObject({
  submissionId: z.uuid(),
  kind: submissionKind,
  revision: z.number().int().positive(),
  title: z.string().min(1).max(300),
  county: place,
  city: place,
  applicant: contact,
  stakeholders: z.array(contact).max(50),
  /**
   * The directory code of the organisation hosting an investment-promotion event (主办单位),
   * which reviews its first step. Optional, not a new message version: summaries already in the
   * queues (and those of zone plans) have none and stay valid. Strict objects refuse unknown
   * members, so every consumer must run this schema before intake starts sending it.
   */
  hostOrganisation: z.string().min(1).max(64).optional(),
});
export type SubmissionSummary = z.infer<typeof submissionSummary>;

const step = z.strictObject({
  index: z.number().int().nonnegative(),
  key: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  organisation: place.extend({ email: z.email() }),
});
export type StepRef = z.infer<typeof step>;

const instanceRef = {
  instanceId: z.uuid(),
  submission: submissionSummary,
  definition: z.strictObject({ key: z.string().min(1), version: z.number().int().positive() }),
};

/** intake → workflow: an applicant submitted (or resubmitted) a submission for review. */
export const SubmissionSubmitted = defineMessage('submission.submitted', 1, submissionSummary);

/** workflow → intake: an approval instance exists for the submission. */
export const ApprovalStarted = defineMessage('approval.started', 1, z.strictObject({ ...instanceRef, stepCount: z.number().int().positive() }));

/** workflow → intake, notifier: a step's task was assigned to a reviewing organisation. */
export const TaskAssigned = defineMessage(
  'approval.task_assigned',
  1,
  z.strictObject({ ...instanceRef, taskId: z.uuid(), step, stepCount: z.number().int().positive() }),
);

const decision = {
  ...instanceRef,
  taskId: z.uuid(),
  step,
  decidedBy: z.string().min(1).max(200),
  opinion: z.string().max(2000).optional(),
};

/** workflow → intake: a step was approved (the chain goes on, or completes). */
export const StepApproved = defineMessage('approval.step_approved', 1, z.strictObject(decision));

/** workflow → intake, notifier: the last step was approved. */
export const ApprovalApproved = defineMessage('approval.approved', 1, z.strictObject(decision));

/** workflow → intake, notifier: a step rejected the submission; the chain ends. */
export const ApprovalRejected = defineMessage(
  'approval.rejected',
  1,
  z.strictObject({ ...decision, reason: z.string().min(1).max(2000) }),
);

/** intake → workflow: the applicant withdrew a submitted revision while it is under review. */
export const SubmissionWithdrawn = defineMessage(
  'submission.withdrawn',
  1,
  z.strictObject({
    submissionId: z.uuid(),
    revision: z.number().int().positive(),
    by: z.string().min(1).max(200),
    reason: z.string().max(2000).optional(),
  }),
);

/** workflow → intake, notifier: the applicant withdrew; the instance ends at its pending step(s). */
export const ApprovalWithdrawn = defineMessage(
  'approval.withdrawn',
  1,
  z.strictObject({
    ...instanceRef,
    /** The task(s) that were awaiting a decision, now closed as withdrawn. */
    steps: z.array(z.strictObject({ taskId: z.uuid(), step })).max(50),
    withdrawnBy: z.string().min(1).max(200),
    reason: z.string().max(2000).optional(),
  }),
);
