import { z } from 'zod';
import { defineMessage } from './envelope.js';
import { TaskAssigned } from './messages.js';

// The shapes the other approval messages use, taken from them rather than restated.
const assigned = TaskAssigned.payload.shape;
const chinaDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD');
const organisation = z.strictObject({ code: z.string().min(1).max(64), name: z.string().min(1).max(200), email: z.email() });

/** The pending tasks of the step's round, one per countersigning party, each with its organisation. */
const pendingSteps = z.array(z.strictObject({ taskId: z.uuid(), step: assigned.step })).min(1).max(10);

/**
 * workflow → notifier: a step's time limit (办理时限) is near (`before`: the configured number of
 * working days before the due day) or the due day has come (`due`). Sent once per step, round,
 * kind and due date, decided by the deadline row (ADR 0015); the assignees are told.
 */
export const ApprovalReminder = defineMessage(
  'approval.reminder',
  1,
  z.strictObject({
    instanceId: assigned.instanceId,
    submission: assigned.submission,
    definition: assigned.definition,
    kind: z.enum(['before', 'due']),
    round: z.number().int().positive(),
    dueOn: chinaDate,
    /** Working days left before the due day (0 on the due day). */
    daysLeft: z.number().int().nonnegative().max(250),
    steps: pendingSteps,
  }),
);

/**
 * workflow → notifier: a step's due day passed undecided: it is overdue and escalated (督办) to the
 * step's escalation target: another organisation the definition names (`escalateTo`), whose
 * people are told, or the supervisors of the step's own organisation (`supervisors: true`; the
 * default), told instead of all its people. The original assignees are told too.
 */
export const ApprovalEscalated = defineMessage(
  'approval.escalated',
  1,
  z.strictObject({
    instanceId: assigned.instanceId,
    submission: assigned.submission,
    definition: assigned.definition,
    round: z.number().int().positive(),
    dueOn: chinaDate,
    escalatedTo: organisation,
    /** true: only `escalatedTo`'s supervisors are told (its mailbox when it has none), not all its people. */
    supervisors: z.boolean().optional(),
    steps: pendingSteps,
  }),
);
