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

/**
 * The signed-in account that acted: its user id and display name, with the organisation a
 * reviewer acts for or the county an applicant acts for. Carried as an optional member (the
 * `hostOrganisation` precedent): messages already queued without it stay valid, and every
 * consumer runs this schema before a producer sends it.
 */
export const actorRef = z.strictObject({
  userId: z.uuid(),
  name: z.string().min(1).max(200),
  organisation: place.optional(),
  county: place.optional(),
});
export type ActorRef = z.infer<typeof actorRef>;

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

/** A calendar date in China (YYYY-MM-DD): what due dates are. */
const chinaDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD');

const instanceRef = {
  instanceId: z.uuid(),
  submission: submissionSummary,
  definition: z.strictObject({ key: z.string().min(1), version: z.number().int().positive() }),
};

/** intake → workflow: an applicant submitted (or resubmitted) a submission for review. Superseded by v2; accepted while v1 drains. */
export const SubmissionSubmittedV1 = defineMessage('submission.submitted', 1, submissionSummary);

/** One attached file as submitted in a revision: which document it is and its content hash. */
export const attachmentRef = z.strictObject({
  kind: z.string().min(1).max(64),
  filename: z.string().min(1).max(255),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AttachmentRef = z.infer<typeof attachmentRef>;

/**
 * intake → workflow: an applicant submitted revision N of a submission (N > 1: corrected after a
 * return, 补正). Carries the revision's frozen content and attachments, from which workflow shows
 * reviewers the field-by-field difference between revisions and checks a correction notice names
 * real fields. v2 because v1 consumers refuse the new members (strict objects).
 */
export const SubmissionSubmitted = defineMessage(
  'submission.submitted',
  2,
  submissionSummary.extend({
    content: z.record(z.string(), z.unknown()),
    attachments: z.array(attachmentRef).max(100),
    /** The account that submitted the revision (the contact person is part of the content, not the actor). */
    submittedBy: actorRef.optional(),
    /** Why a resubmission changes nothing a return named, when the applicant says so. */
    reason: z.string().min(1).max(2000).optional(),
  }),
);

/** The summary part of a submitted message (what every approval event carries on). */
export function summaryPart(payload: SubmissionSummary & { content?: unknown; attachments?: unknown; submittedBy?: unknown; reason?: unknown }): SubmissionSummary {
  const { content: _content, attachments: _attachments, submittedBy: _by, reason: _reason, ...summary } = payload;
  return summary;
}

/** workflow → intake: an approval instance exists for the submission. */
export const ApprovalStarted = defineMessage(
  'approval.started',
  1,
  z.strictObject({
    ...instanceRef,
    stepCount: z.number().int().positive(),
    /** The account whose submission started the review. */
    actor: actorRef.optional(),
  }),
);

/** workflow → intake, notifier: a step's task was assigned to a reviewing organisation. */
export const TaskAssigned = defineMessage(
  'approval.task_assigned',
  1,
  z.strictObject({
    ...instanceRef,
    taskId: z.uuid(),
    step,
    stepCount: z.number().int().positive(),
    /**
     * Which of the step's parties (0 unless countersigned), and whether the task moved to another
     * organisation (an admin's reassignment) rather than a step being entered. Optional: messages
     * queued before they existed stay valid. The applicant is told of a step once, not per party.
     */
    party: z.number().int().nonnegative().optional(),
    /** Every party of the step (the organisations deciding it together), when it was entered. */
    parties: z.array(place).min(1).max(10).optional(),
    reassigned: z.boolean().optional(),
    /** The admin's account, when the task was reassigned. */
    actor: actorRef.optional(),
    /** The step's due date (办理时限, a China date), when it has a time limit and the calendar to count it. */
    dueOn: chinaDate.optional(),
  }),
);

const decision = {
  ...instanceRef,
  taskId: z.uuid(),
  step,
  decidedBy: z.string().min(1).max(200),
  opinion: z.string().max(2000).optional(),
  /** Whom the decider acted for: the reviewer who delegated the task to them (代办). */
  actingFor: z.string().min(1).max(200).optional(),
  /** The account that decided (`decidedBy` is its display name). */
  decider: actorRef.optional(),
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
    /** The account that withdrew (`by` is its display name). */
    actor: actorRef.optional(),
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
    /** The account that withdrew (`withdrawnBy` is its display name). */
    actor: actorRef.optional(),
  }),
);

/** One deficiency of a correction notice (补正), tied to a field of the submission or to an attachment. */
export const deficiency = z.strictObject({
  target: z.enum(['field', 'attachment']),
  /** A field path (`content.blocks.0.areaKm2`, `title`) or an attachment kind (`land_use_plan`). */
  ref: z.string().min(1).max(200),
  note: z.string().min(1).max(2000),
  /**
   * What the field or attachment is called, for Chinese and English readers ('司前区块 北至',
   * '规划环评审查意见'); `ref` stays the machine's name. Optional: notices sent before have none.
   */
  label: z.strictObject({ zh: z.string().min(1).max(300), en: z.string().min(1).max(300) }).optional(),
});
export type Deficiency = z.infer<typeof deficiency>;

/**
 * workflow → intake, notifier: a reviewer returned the submission for correction (补正), listing
 * every deficiency in one notice. The instance waits for the applicant's revision N+1, which
 * re-enters at this step.
 */
export const ApprovalReturned = defineMessage(
  'approval.returned',
  1,
  z.strictObject({ ...decision, deficiencies: z.array(deficiency).min(1).max(100) }),
);

/** workflow → intake: a corrected revision re-entered review at the step that returned it (its parties are told by task_assigned). */
export const ApprovalResubmitted = defineMessage(
  'approval.resubmitted',
  1,
  z.strictObject({
    ...instanceRef,
    revision: z.number().int().positive(),
    step,
    resubmittedBy: z.string().min(1).max(200),
    /** Why the revision changes nothing the return named, as the applicant put it. */
    reason: z.string().min(1).max(2000).optional(),
    /** The account that submitted the corrected revision (`resubmittedBy` is its display name). */
    actor: actorRef.optional(),
  }),
);

/** workflow → intake, notifier: a reviewer handed a task to a colleague of the same organisation (转办). */
export const TaskDelegated = defineMessage(
  'approval.delegated',
  1,
  z.strictObject({
    ...instanceRef,
    taskId: z.uuid(),
    step,
    delegatedBy: z.string().min(1).max(200),
    delegate: z.strictObject({ userId: z.uuid(), name: z.string().min(1).max(200) }),
    reason: z.string().max(2000).optional(),
    /** The account that delegated (`delegatedBy` is its display name). */
    actor: actorRef.optional(),
  }),
);

/**
 * A step's reviewers extended its time limit (延期), once, by `days` working days: the applicant is
 * told, and the timeline says so. `dueOn` is the new due date (absent while the calendar it falls
 * in is not loaded).
 */
export const DeadlineExtended = defineMessage(
  'approval.deadline_extended',
  1,
  z.strictObject({
    ...instanceRef,
    taskId: z.uuid(),
    step,
    days: z.number().int().positive().max(250),
    reason: z.string().min(1).max(2000),
    dueOn: chinaDate.optional(),
    extendedBy: z.string().min(1).max(200),
    /** The account that extended it (`extendedBy` is its display name, with whom they acted for). */
    actor: actorRef.optional(),
  }),
);
