import { cityCommerceBureauCode } from '../directory/organisations.js';

/**
 * Who reviews a step: a fixed organisation, or the commerce bureau of the applicant's city.
 * Resolved when the instance starts, so a running instance never changes reviewer under it.
 */
export type Reviewer = { readonly kind: 'organisation'; readonly code: string } | { readonly kind: 'city_commerce_bureau' };

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

/** The organisation code that reviews `step` for a submission from `cityCode`. */
export function reviewerOrganisation(step: StepDefinition, cityCode: string): string {
  return step.reviewer.kind === 'organisation' ? step.reviewer.code : cityCommerceBureauCode(cityCode);
}
