import type { Deficiency, MessageByName } from '@shanhai/contracts';
import { attachmentKindNames, type ReviewProgress } from '@shanhai/domain';
import type { CorrectionNotice } from './submission.entity.js';
import type { TimelineEntry } from './timeline-entry.entity.js';

/** Workflow's events as intake records them. */
export type ReviewMessage = MessageByName<
  | 'approval.started'
  | 'approval.task_assigned'
  | 'approval.step_approved'
  | 'approval.delegated'
  | 'approval.deadline_extended'
  | 'approval.returned'
  | 'approval.resubmitted'
  | 'approval.approved'
  | 'approval.rejected'
  | 'approval.withdrawn'
>;

export type TimelineLine = Pick<TimelineEntry, 'event' | 'summary' | 'actor' | 'account' | 'opinion'>;

/** Who decided: the delegate, and for whom when they acted for the reviewer who delegated (代办). */
export const actorOf = (decidedBy: string, actingFor?: string): string => (actingFor ? `${decidedBy}（代${actingFor}）` : decidedBy);

/** A deficiency as a reader names it: by the label workflow sent ('司前区块 北至'), else by what intake knows of the ref. */
const targetName = (d: Deficiency): string => {
  const name = d.label?.zh ?? (d.target === 'attachment' ? ((attachmentKindNames as Record<string, string>)[d.ref] ?? d.ref) : d.ref);
  return d.target === 'attachment' ? `附件「${name}」` : `字段「${name}」`;
};

/** The opinion line of a return: the reviewer's opinion, then every deficiency, numbered. */
export function correctionText(opinion: string | undefined, deficiencies: readonly Deficiency[]): string {
  const items = deficiencies.map((d, i) => `${i + 1}. ${targetName(d)}：${d.note}`);
  return [...(opinion ? [opinion] : []), '补正事项：', ...items].join('\n');
}

/** The notice kept on the submission from `approval.returned`. */
export function correctionOf(message: MessageByName<'approval.returned'>): CorrectionNotice {
  const { submission, step, decidedBy, actingFor, opinion, deficiencies } = message.payload;
  return {
    revision: submission.revision,
    step: { index: step.index, key: step.key, name: step.name, organisation: step.organisation.name },
    returnedBy: decidedBy,
    actingFor: actingFor ?? null,
    opinion: opinion ?? null,
    deficiencies,
    at: message.occurredAt,
  };
}

/** What one of workflow's events means for the status, and the timeline line it adds. */
export function describeProgress(message: ReviewMessage): { progress: ReviewProgress; entry: TimelineLine } {
  switch (message.name) {
    case 'approval.started':
      return { progress: { type: 'started' }, entry: { event: 'review_started', summary: '审批流程已启动', actor: null, account: message.payload.actor ?? null, opinion: null } };
    case 'approval.task_assigned': {
      // An admin's reassignment names the admin; a step entered is no one's act.
      const { step, actor, dueOn } = message.payload;
      const due = dueOn ? `（办理时限：${dueOn}）` : '';
      return {
        progress: { type: 'task_assigned', step: step.index },
        entry: { event: 'step_assigned', summary: `${step.name}：已分派至${step.organisation.name}${due}`, actor: actor?.name ?? null, account: actor ?? null, opinion: null },
      };
    }
    case 'approval.step_approved': {
      const { step, decidedBy, actingFor, decider, opinion } = message.payload;
      return {
        progress: { type: 'step_approved', step: step.index },
        entry: { event: 'step_approved', summary: `${step.name}：通过`, actor: actorOf(decidedBy, actingFor), account: decider ?? null, opinion: opinion ?? null },
      };
    }
    case 'approval.delegated': {
      const { step, delegatedBy, delegate, reason, actor } = message.payload;
      return {
        progress: { type: 'delegated', step: step.index },
        entry: { event: 'delegated', summary: `${step.name}：转办至${delegate.name}`, actor: delegatedBy, account: actor ?? null, opinion: reason ?? null },
      };
    }
    case 'approval.deadline_extended': {
      const { step, days, dueOn, reason, extendedBy, actor } = message.payload;
      const due = dueOn ? `，办理时限延至 ${dueOn}` : '';
      return {
        progress: { type: 'deadline_extended', step: step.index },
        entry: { event: 'deadline_extended', summary: `${step.name}：延期 ${days} 个工作日${due}`, actor: extendedBy, account: actor ?? null, opinion: `延期理由：${reason}` },
      };
    }
    case 'approval.returned': {
      const { step, decidedBy, actingFor, decider, opinion, deficiencies } = message.payload;
      return {
        progress: { type: 'returned', step: step.index },
        entry: { event: 'returned', summary: `${step.name}：退回补正`, actor: actorOf(decidedBy, actingFor), account: decider ?? null, opinion: correctionText(opinion, deficiencies) },
      };
    }
    case 'approval.resubmitted': {
      const { step, revision, resubmittedBy, reason, actor } = message.payload;
      return {
        progress: { type: 'resubmitted', step: step.index },
        // The applicant's reason for leaving a deficiency as it was, as the reviewers read it.
        entry: { event: 'resubmitted', summary: `已提交补正材料（第 ${revision} 版），重新进入${step.name}`, actor: resubmittedBy, account: actor ?? null, opinion: reason ? `申请人说明：${reason}` : null },
      };
    }
    case 'approval.approved': {
      // The last step's decider is on its step_approved line; this line closes the review.
      return { progress: { type: 'approved' }, entry: { event: 'approved', summary: '审批完成：已批准', actor: null, account: null, opinion: null } };
    }
    case 'approval.rejected': {
      const { step, decidedBy, actingFor, decider, reason } = message.payload;
      return { progress: { type: 'rejected' }, entry: { event: 'rejected', summary: `${step.name}：不予通过`, actor: actorOf(decidedBy, actingFor), account: decider ?? null, opinion: reason } };
    }
    case 'approval.withdrawn': {
      const { withdrawnBy, reason, actor } = message.payload;
      return { progress: { type: 'withdrawn' }, entry: { event: 'withdrawn', summary: '审批已终止：申请人撤回', actor: withdrawnBy, account: actor ?? null, opinion: reason ?? null } };
    }
  }
}

/** Every event a timeline line may have, oldest kind first (documented in the OpenAPI enum). */
export const timelineEvents = [
  'drafted',
  'submitted',
  'review_started',
  'step_assigned',
  'step_approved',
  'delegated',
  'deadline_extended',
  'returned',
  'resubmitted',
  'approved',
  'rejected',
  'withdrawal_requested',
  'withdrawn',
  'urged',
] as const;

export type TimelineEvent = (typeof timelineEvents)[number];

/**
 * Where a line stands among lines of the same instant. One decision's events share workflow's
 * time, and intake's worker handles several at once, so the order they were written in is not
 * theirs: the review's start (or resubmission) comes first, then the decision on the step, then
 * the next step's assignment, then the outcome.
 */
const sameInstantRank: Record<TimelineEvent, number> = {
  drafted: 0,
  submitted: 0,
  withdrawal_requested: 0,
  urged: 0,
  review_started: 0,
  resubmitted: 0,
  step_approved: 1,
  delegated: 1,
  deadline_extended: 1,
  returned: 1,
  rejected: 1,
  step_assigned: 2,
  approved: 3,
  withdrawn: 3,
};

/** Oldest first; lines of one instant in the order their events happen (then as written). */
export function timelineOrder(a: Pick<TimelineEntry, 'at' | 'event' | 'id'>, b: Pick<TimelineEntry, 'at' | 'event' | 'id'>): number {
  const rank = (e: string): number => sameInstantRank[e as TimelineEvent] ?? 0;
  return a.at.getTime() - b.at.getTime() || rank(a.event) - rank(b.event) || Number(BigInt(a.id) - BigInt(b.id));
}
