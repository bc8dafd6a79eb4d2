import type { SubmissionKind } from './kinds.js';

/** The documents a zone creation plan is filed with (see shared/design/domain.md). */
export const attachmentKinds = [
  'application_letter', // 申请书
  'feasibility_report', // 可行性报告
  'land_use_plan', // 土地利用规划
  'site_selection_opinion', // 选址意见
  'plan_eia_review_opinion', // 规划环评审查意见
] as const;
export type AttachmentKind = (typeof attachmentKinds)[number];

export const attachmentKindNames: Record<AttachmentKind, string> = {
  application_letter: '申请书',
  feasibility_report: '可行性报告',
  land_use_plan: '土地利用规划',
  site_selection_opinion: '选址意见',
  plan_eia_review_opinion: '规划环评审查意见',
};

/** The same names for English readers (notices, emails and the timeline in English). */
export const attachmentKindNamesEn: Record<AttachmentKind, string> = {
  application_letter: 'application letter',
  feasibility_report: 'feasibility report',
  land_use_plan: 'land-use plan',
  site_selection_opinion: 'site selection opinion',
  plan_eia_review_opinion: 'review opinion on the plan environmental impact assessment',
};

/** The documents a submission of each kind may be filed with (events carry none today). */
export const documentKinds: Record<SubmissionKind, readonly AttachmentKind[]> = {
  zone_plan: attachmentKinds,
  promotion_event: [],
};

/** What must be attached before a submission of each kind can be submitted. */
export const requiredAttachments: Record<SubmissionKind, readonly AttachmentKind[]> = {
  zone_plan: attachmentKinds,
  promotion_event: [],
};

export const missingAttachments = (kind: SubmissionKind, present: readonly string[]): AttachmentKind[] =>
  requiredAttachments[kind].filter((k) => !present.includes(k));
