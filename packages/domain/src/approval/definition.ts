import { cityCommerceBureauCode } from '../directory/organisations.js';
import type { SubmissionKind } from '../submission/kinds.js';

/**
 * Who reviews a step: a fixed organisation, the commerce bureau of the applicant's city, or the
 * organisation the submission names as its host (an investment-promotion event's 主办单位).
 * Resolved from the submission workflow was given, so a running instance never changes reviewer under it.
 */
export type Reviewer =
  | { readonly kind: 'organisation'; readonly code: string }
  | { readonly kind: 'city_commerce_bureau' }
  | { readonly kind: 'host_organisation' };

/**
 * How a step is decided. Only `single` (one reviewer decides) runs today; `all_of` and `any_of`
 * (会签/或签) will carry `reviewers: Reviewer[]` instead of `reviewer`, so the stored shape grows by a
 * new variant of this union rather than by changing the old one.
 */
export type StepMode = 'single' | 'all_of' | 'any_of';

export interface StepDefinition {
  readonly key: string;
  readonly name: string;
  readonly mode: 'single';
  readonly reviewer: Reviewer;
  /** Business days the reviewer has; stored and validated, not enforced yet (the business-day clock comes later). */
  readonly timeLimitBusinessDays?: number;
}

export interface ApprovalDefinition {
  readonly key: string;
  readonly version: number;
  readonly name: string;
  readonly steps: readonly StepDefinition[];
}

/**
 * The walking skeleton's chain for a zone creation plan: 初审 → 审核 → 审批, one after the other.
 * Workflow stores it as version 1 of `zone_plan`; later versions are published as data.
 */
export const zonePlanChainV1: ApprovalDefinition = {
  key: 'zone_plan',
  version: 1,
  name: '经济开发区创建方案审批',
  steps: [
    { key: 'city_pre_review', name: '市商务局初审', mode: 'single', reviewer: { kind: 'city_commerce_bureau' } },
    { key: 'province_review', name: '省商务厅审核', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-commerce' } },
    { key: 'province_approval', name: '省政府审批', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-gov' } },
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
    { key: 'host_review', name: '主办单位审核', mode: 'single', reviewer: { kind: 'host_organisation' } },
    { key: 'office_approval', name: '省商务厅办公室审批', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-commerce-office' } },
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

/** The submission kinds a definition may be published for, in the order they are listed. */
export const approvalKinds = Object.keys({ zone_plan: true, promotion_event: true } satisfies Record<SubmissionKind, true>) as readonly SubmissionKind[];

export const DEFINITION_LIMITS = { minSteps: 1, maxSteps: 20, maxName: 100, minTimeLimit: 1, maxTimeLimit: 250 } as const;
const STEP_KEY = /^[a-z][a-z0-9_]{1,63}$/;
const STEP_MODES: readonly string[] = ['single', 'all_of', 'any_of'] satisfies StepMode[];
const REVIEWER_KINDS: readonly string[] = ['organisation', 'city_commerce_bureau', 'host_organisation'] satisfies Reviewer['kind'][];

/**
 * A definition as an admin submits it, before validation: the fields are typed, their values
 * are not trusted. `mode` absent means `single`.
 */
export interface DefinitionDraft {
  readonly key: string;
  readonly name: string;
  readonly steps: readonly {
    readonly key: string;
    readonly name: string;
    readonly mode?: string | undefined;
    readonly reviewer: { readonly kind: string; readonly code?: string | undefined };
    readonly timeLimitBusinessDays?: number | undefined;
  }[];
}

/** One problem of a draft, by the path of its field (`steps.2.reviewer.code`); the shape of a problem+json field problem. */
export interface DefinitionProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * Every problem that keeps `draft` from being published; none means it may be. Steps run one
 * after the other, so every step of a valid chain is reached; what can make one unreachable is a
 * step no reviewer can be found for, which the reviewer rules refuse here (a fixed organisation
 * must be known; the host organisation exists only on submissions that name one). A city's
 * commerce bureau is resolved per submission, and checked when its task is assigned.
 */
export function validateDefinition(draft: DefinitionDraft, knownOrganisations: readonly string[]): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  const kindKnown = (approvalKinds as readonly string[]).includes(draft.key);
  if (!kindKnown) problem('key', `key must be a submission kind: one of ${approvalKinds.join(', ')}`);
  checkName('name', draft.name, problem);
  const { minSteps, maxSteps, minTimeLimit, maxTimeLimit } = DEFINITION_LIMITS;
  if (draft.steps.length < minSteps || draft.steps.length > maxSteps) problem('steps', `steps must have ${minSteps} to ${maxSteps} steps (has ${draft.steps.length})`);
  const firstWithKey = new Map<string, number>();
  draft.steps.forEach((step, i) => {
    const at = `steps.${i}`;
    if (!STEP_KEY.test(step.key)) problem(`${at}.key`, `key must match ${STEP_KEY.source}`);
    const first = firstWithKey.get(step.key);
    if (first === undefined) firstWithKey.set(step.key, i);
    else problem(`${at}.key`, `key ${step.key} is already the key of steps.${first}`);
    checkName(`${at}.name`, step.name, problem);
    const mode = step.mode ?? 'single';
    if (mode !== 'single') {
      problem(`${at}.mode`, STEP_MODES.includes(mode) ? `mode ${mode} is not supported yet: only single` : 'mode must be single');
    }
    if (step.timeLimitBusinessDays !== undefined) {
      const days = step.timeLimitBusinessDays;
      if (!Number.isInteger(days) || days < minTimeLimit || days > maxTimeLimit) {
        problem(`${at}.timeLimitBusinessDays`, `timeLimitBusinessDays must be a whole number from ${minTimeLimit} to ${maxTimeLimit}`);
      }
    }
    const reviewer = step.reviewer;
    switch (reviewer.kind) {
      case 'organisation':
        if (!reviewer.code) problem(`${at}.reviewer.code`, 'code is required for an organisation reviewer');
        else if (!knownOrganisations.includes(reviewer.code)) problem(`${at}.reviewer.code`, `no organisation has the code ${reviewer.code}`);
        break;
      case 'host_organisation':
      case 'city_commerce_bureau':
        if (reviewer.kind === 'host_organisation' && kindKnown && draft.key !== 'promotion_event') {
          problem(`${at}.reviewer.kind`, `host_organisation reviews only promotion_event: a ${draft.key} names no host organisation`);
        }
        // Neither rule names an organisation of its own: the submission does.
        if (reviewer.code !== undefined) problem(`${at}.reviewer.code`, `code is only for an organisation reviewer, not ${reviewer.kind}`);
        break;
      default:
        problem(`${at}.reviewer.kind`, `kind must be one of ${REVIEWER_KINDS.join(', ')}`);
    }
  });
  return problems;
}

function checkName(field: string, name: string, problem: (field: string, message: string) => void): void {
  if (!name.trim()) problem(field, `${field.split('.').pop()} must not be empty`);
  else if (name.length > DEFINITION_LIMITS.maxName) problem(field, `${field.split('.').pop()} must be at most ${DEFINITION_LIMITS.maxName} characters`);
}

/** The definition a valid draft publishes as `version`; call only when `validateDefinition` found nothing. */
export function toDefinition(draft: DefinitionDraft, version: number): ApprovalDefinition {
  return {
    key: draft.key,
    version,
    name: draft.name,
    steps: draft.steps.map((s) => ({
      key: s.key,
      name: s.name,
      mode: 'single',
      reviewer: s.reviewer.kind === 'organisation' ? { kind: 'organisation', code: s.reviewer.code ?? '' } : { kind: s.reviewer.kind as 'city_commerce_bureau' | 'host_organisation' },
      ...(s.timeLimitBusinessDays !== undefined ? { timeLimitBusinessDays: s.timeLimitBusinessDays } : {}),
    })),
  };
}
