import type { z } from 'zod';
import {
  ApprovalApproved,
  ApprovalRejected,
  ApprovalResubmitted,
  ApprovalReturned,
  ApprovalStarted,
  ApprovalWithdrawn,
  StepApproved,
  SubmissionSubmitted,
  SubmissionSubmittedV1,
  SubmissionWithdrawn,
  TaskAssigned,
  TaskDelegated,
  DeadlineExtended,
} from './messages.js';
import { ApprovalDigest, ApprovalUrged, SubmissionUrged } from './urging.js';
import { ApprovalEscalated, ApprovalReminder } from './deadlines.js';
import { DirectoryOrganisationChanged, DirectoryUserChanged } from './directory.js';
import { QueueName } from './queues.js';

/** Every message definition, old versions included while they may still be in a queue. */
export const allMessages = [
  SubmissionSubmittedV1,
  SubmissionSubmitted,
  ApprovalStarted,
  TaskAssigned,
  StepApproved,
  ApprovalApproved,
  ApprovalRejected,
  SubmissionWithdrawn,
  ApprovalWithdrawn,
  ApprovalReturned,
  ApprovalResubmitted,
  TaskDelegated,
  DeadlineExtended,
  ApprovalReminder,
  ApprovalEscalated,
  SubmissionUrged,
  ApprovalUrged,
  ApprovalDigest,
  DirectoryOrganisationChanged,
  DirectoryUserChanged,
] as const;

export type AnyMessageDefinition = (typeof allMessages)[number];
export type AnyMessage = z.infer<AnyMessageDefinition['envelope']>;
export type MessageName = AnyMessage['name'];
export type MessageByName<N extends MessageName> = Extract<AnyMessage, { name: N }>;

/** Which services' inbound queues receive each message. The relay fans a message out to each. */
export const routes: Record<MessageName, readonly QueueName[]> = {
  'submission.submitted': [QueueName.Workflow],
  'approval.started': [QueueName.Intake],
  'approval.task_assigned': [QueueName.Intake, QueueName.Notifier],
  'approval.step_approved': [QueueName.Intake],
  'approval.approved': [QueueName.Intake, QueueName.Notifier],
  'approval.rejected': [QueueName.Intake, QueueName.Notifier],
  'submission.withdrawn': [QueueName.Workflow],
  'approval.withdrawn': [QueueName.Intake, QueueName.Notifier],
  'approval.returned': [QueueName.Intake, QueueName.Notifier],
  // Not to the notifier: the re-entered step's task_assigned tells its parties and the applicant.
  'approval.resubmitted': [QueueName.Intake],
  'approval.delegated': [QueueName.Intake, QueueName.Notifier],
  // The applicant is told by email; intake's timeline gets a line.
  'approval.deadline_extended': [QueueName.Intake, QueueName.Notifier],
  // The timers (ADR 0015): the assignees (and an escalation's target) are told; the audit has them, not the applicant's timeline.
  'approval.reminder': [QueueName.Notifier],
  'approval.escalated': [QueueName.Notifier],
  // 催办: workflow records it; the notifier tells the pending step's assignees (intake wrote its own line).
  'submission.urged': [QueueName.Workflow],
  'approval.urged': [QueueName.Notifier],
  // 每日待办: one email to each active account of the organisation.
  'approval.digest': [QueueName.Notifier],
  'directory.organisation_changed': [QueueName.Workflow, QueueName.Notifier],
  'directory.user_changed': [QueueName.Workflow, QueueName.Notifier],
};

const registry = new Map<string, AnyMessageDefinition>(allMessages.map((d) => [d.key, d]));

export class MessageContractError extends Error {
  constructor(
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(issues.length ? `${message}: ${issues.join('; ')}` : message);
    this.name = 'MessageContractError';
  }
}

/** Validates any message against its registered schema; throws MessageContractError naming every problem. */
export function parseMessage(data: unknown): AnyMessage {
  const head = data as { name?: unknown; version?: unknown } | null;
  const key = `${String(head?.name)}@v${String(head?.version)}`;
  const definition = registry.get(key);
  if (!definition) throw new MessageContractError(`unknown message ${key}`);
  const result = definition.envelope.safeParse(data);
  if (!result.success) {
    throw new MessageContractError(
      `invalid ${key}`,
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return result.data;
}

/** Builds and validates a message; the producer's half of "both sides validate". */
export function createMessage<D extends AnyMessageDefinition>(
  definition: D,
  payload: z.input<D['payload']>,
  meta: { id: string; occurredAt: Date; correlationId: string; causationId?: string },
): MessageByName<D['name']> {
  return parseMessage({
    id: meta.id,
    name: definition.name,
    version: definition.version,
    occurredAt: meta.occurredAt.toISOString(),
    correlationId: meta.correlationId,
    ...(meta.causationId ? { causationId: meta.causationId } : {}),
    payload,
  }) as MessageByName<D['name']>;
}
