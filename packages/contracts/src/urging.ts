import { z } from 'zod';
import { defineMessage } from './envelope.js';
import { actorRef, submissionKind, TaskAssigned } from './messages.js';

// The shapes the other approval messages use, taken from them rather than restated.
const assigned = TaskAssigned.payload.shape;
const chinaDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD');

/**
 * intake → workflow: the applicant urged (催办) the pending step of a submission under review.
 * Intake allows one per China date (`urgedOn`); workflow, which holds the working-day calendar,
 * counts an urge of a non-working day as one of the next working day and records only the first
 * urge of each working day.
 */
export const SubmissionUrged = defineMessage(
  'submission.urged',
  1,
  z.strictObject({
    submissionId: z.uuid(),
    revision: z.number().int().positive(),
    urgedOn: chinaDate,
    note: z.string().min(1).max(500).optional(),
    by: z.string().min(1).max(200),
    actor: actorRef,
  }),
);

/** workflow → notifier: an urge recorded in the audit; each pending task's assignees are told. */
export const ApprovalUrged = defineMessage(
  'approval.urged',
  1,
  z.strictObject({
    instanceId: assigned.instanceId,
    submission: assigned.submission,
    definition: assigned.definition,
    /** The pending tasks of the step urged (one per countersigning party), with the round's due date. */
    steps: z.array(z.strictObject({ taskId: z.uuid(), step: assigned.step, dueOn: chinaDate.optional(), assignee: z.uuid().optional() })).min(1).max(50),
    /** The working day the urge counts for (the next one when it was made on a rest day). */
    workingDay: chinaDate,
    note: z.string().min(1).max(500).optional(),
    urgedBy: z.string().min(1).max(200),
    actor: actorRef.optional(),
  }),
);

/** One pending task in a digest. */
export const digestTask = z.strictObject({
  taskId: z.uuid(),
  instanceId: z.uuid(),
  submissionId: z.uuid(),
  kind: submissionKind,
  title: z.string().min(1).max(300),
  county: z.string().min(1).max(200),
  stepName: z.string().min(1).max(200),
  /** Absent when the step has no time limit or its year's calendar is missing. */
  dueOn: chinaDate.optional(),
  overdue: z.boolean(),
  /** The reviewer the task was delegated to (转办), who is told as well. */
  assignee: z.uuid().optional(),
});
export type DigestTask = z.infer<typeof digestTask>;

/**
 * workflow → notifier: the daily digest (每日待办) of one reviewing organisation on one working day,
 * written once (a row keyed by organisation and date), whatever the replicas and restarts.
 */
export const ApprovalDigest = defineMessage(
  'approval.digest',
  1,
  z.strictObject({
    organisation: assigned.step.shape.organisation,
    date: chinaDate,
    tasks: z.array(digestTask).min(1).max(500),
  }),
);
