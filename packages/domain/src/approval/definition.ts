import { cityCommerceBureauCode } from '../directory/organisations.js';

/**
 * Who reviews a step: a fixed organisation, the commerce bureau of the applicant's city, or the
 * organisation the submission names as its host (an investment-promotion event's 主办单位).
 * Resolved from the submission workflow was given, so a running instance never changes reviewer under it.
 */
export type Reviewer =
  | { readonly kind: 'organisation'; readonly code: string }
  | { readonly kind: 'city_commerce_bureau' }
  | { readonly kind: 'host_organisation' };

export interface StepDefinition {
  readonly key: string;
  readonly name: string;
  readonly reviewer: Reviewer;
}

export interface ApprovalDefinition {
  readonly key: string;
  readonly version: number;
  readonly name: string;
  readonly steps: readonly StepDefinition[];
}

/**
 * The walking skeleton's chain for a zone creation plan: 初审 → 审核 → 审批, one after the other.
 * The approval-engine issue turns definitions into versioned data with the joint review (会审).
 */
export const zonePlanChainV1: ApprovalDefinition = {
  key: 'zone_plan',
  version: 1,
  name: '经济开发区创建方案审批',
  steps: [
    { key: 'city_pre_review', name: '市商务局初审', reviewer: { kind: 'city_commerce_bureau' } },
    { key: 'province_review', name: '省商务厅审核', reviewer: { kind: 'organisation', code: 'zj-commerce' } },
    { key: 'province_approval', name: '省政府审批', reviewer: { kind: 'organisation', code: 'zj-gov' } },
  ],
};

/**
 * An investment-promotion event (招商推介会): the host organisation reviews first, then the
 * provincial Department of Commerce's general office approves (the general rule for
 * government-run forums: the organiser requests, the next level's general office approves).
 */
export const promotionEventChainV1: ApprovalDefinition = {
  key: 'promotion_event',
  version: 1,
  name: '招商推介会审批',
  steps: [
    { key: 'host_review', name: '主办单位审核', reviewer: { kind: 'host_organisation' } },
    { key: 'office_approval', name: '省商务厅办公室审批', reviewer: { kind: 'organisation', code: 'zj-commerce-office' } },
  ],
};

/**
 * What reviewer resolution reads of a submission. Structurally a part of the contracts'
 * SubmissionSummary, so workflow passes the summary it was given (this package imports no contracts).
 */
export interface ReviewedSubmission {
  readonly city: { readonly code: string };
  /** The host organisation's directory code; only events name one. */
  readonly hostOrganisation?: string | undefined;
}

/**
 * The organisation code that reviews `step` of `submission`, or undefined when the submission
 * does not name the organisation the step needs (an event without a host organisation). Whether
 * the code exists in the directory is the caller's check.
 */
export function reviewerOrganisation(step: StepDefinition, submission: ReviewedSubmission): string | undefined {
  switch (step.reviewer.kind) {
    case 'organisation':
      return step.reviewer.code;
    case 'city_commerce_bureau':
      return cityCommerceBureauCode(submission.city.code);
    case 'host_organisation':
      return submission.hostOrganisation || undefined;
  }
}
