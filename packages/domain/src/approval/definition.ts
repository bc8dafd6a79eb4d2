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
 * How a step is decided: by its one reviewer (`single`), by every reviewer (`all_of`, 会签: all
 * must agree) or by the first reviewer to decide (`any_of`, 或签).
 */
export type StepMode = 'single' | 'all_of' | 'any_of';

interface StepBase {
  readonly key: string;
  readonly name: string;
  /** Working days the step's reviewers have (办理时限), from the day the step is entered; none: the step has no clock. */
  readonly timeLimitBusinessDays?: number;
  /** The most working days one extension (延期) may add; absent: up to the step's own limit. Needs a limit. */
  readonly maxExtensionBusinessDays?: number;
  /** Whom an overdue step is escalated to (督办); absent: the supervisors of the step's organisation. Needs a limit. */
  readonly escalateTo?: EscalationTarget;
}

/**
 * An escalation target (ADR 0015): the supervisors of the step's own organisation (its accounts
 * the directory marks `supervisor`; its mailbox when it has none), or another organisation of the
 * directory (a supervising department), whose people are told.
 */
export type EscalationTarget = { readonly kind: 'supervisor' } | { readonly kind: 'organisation'; readonly code: string };

export const ESCALATION_KINDS = ['supervisor', 'organisation'] as const satisfies readonly EscalationTarget['kind'][];

/** One reviewer decides. */
export interface SingleStep extends StepBase {
  readonly mode: 'single';
  readonly reviewer: Reviewer;
}

/** Several reviewers decide in parallel (countersign). */
export interface CountersignStep extends StepBase {
  readonly mode: 'all_of' | 'any_of';
  readonly reviewers: readonly Reviewer[];
}

export type StepDefinition = SingleStep | CountersignStep;

/** A step's reviewers, one for a single step. */
export const reviewersOf = (step: StepDefinition): readonly Reviewer[] => (step.mode === 'single' ? [step.reviewer] : step.reviewers);

export interface ApprovalDefinition {
  readonly key: string;
  readonly version: number;
  readonly name: string;
  readonly steps: readonly StepDefinition[];
  /** Working days the whole review is promised in (承诺时限), from acceptance; stopped while returned for correction. */
  readonly committedLimitBusinessDays?: number;
  /** Working days before a step's due day that its assignees are reminded (0: only on the due day); absent: the service's setting. */
  readonly remindBeforeBusinessDays?: number;
}

/** How many working days one extension of the step may add: its bound, else its own limit; 0 when it has no clock. */
export const extensionBound = (step: StepDefinition): number => step.maxExtensionBusinessDays ?? step.timeLimitBusinessDays ?? 0;

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
 * The zone plan chain as the programme runs it (see shared/design/domain.md): 初审 → 审核 → 会审 by
 * the three consulted departments in parallel, all of whom must agree → 审批 → the provincial
 * government's General Office issues the reply letter (复函). Workflow publishes it as version 2.
 */
export const zonePlanChainV2: ApprovalDefinition = {
  key: 'zone_plan',
  version: 2,
  name: '经济开发区创建方案审批',
  steps: [
    // 初审 and 审核 as in version 1, then the joint review, 审批 as in version 1, and the reply letter.
    ...zonePlanChainV1.steps.slice(0, 2),
    {
      key: 'joint_review',
      name: '省级部门会审',
      mode: 'all_of',
      reviewers: [
        { kind: 'organisation', code: 'zj-nr' },
        { kind: 'organisation', code: 'zj-drc' },
        { kind: 'organisation', code: 'zj-eco' },
      ],
    },
    zonePlanChainV1.steps[2]!,
    { key: 'reply_letter', name: '省政府办公厅复函', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-gov-office' } },
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

/** The submission kinds a definition may be published for, in the order they are listed. */
export const approvalKinds = Object.keys({ zone_plan: true, promotion_event: true } satisfies Record<SubmissionKind, true>) as readonly SubmissionKind[];

export const DEFINITION_LIMITS = { minSteps: 1, maxSteps: 20, maxName: 100, minTimeLimit: 1, maxTimeLimit: 250, maxCommittedLimit: 500, minReviewers: 2, maxReviewers: 10, maxRemindBefore: 30 } as const;
const STEP_KEY = /^[a-z][a-z0-9_]{1,63}$/;
const STEP_MODES: readonly string[] = ['single', 'all_of', 'any_of'] satisfies StepMode[];
const REVIEWER_KINDS: readonly string[] = ['organisation', 'city_commerce_bureau', 'host_organisation'] satisfies Reviewer['kind'][];

type ReviewerDraft = { readonly kind: string; readonly code?: string | undefined };

/**
 * A definition as an admin submits it, before validation: the fields are typed, their values
 * are not trusted. `mode` absent means `single`, which names one `reviewer`; `all_of` and
 * `any_of` name `reviewers`.
 */
export interface DefinitionDraft {
  readonly key: string;
  readonly name: string;
  readonly committedLimitBusinessDays?: number | undefined;
  readonly remindBeforeBusinessDays?: number | undefined;
  readonly steps: readonly {
    readonly key: string;
    readonly name: string;
    readonly mode?: string | undefined;
    readonly reviewer?: ReviewerDraft | undefined;
    readonly reviewers?: readonly ReviewerDraft[] | undefined;
    readonly timeLimitBusinessDays?: number | undefined;
    readonly maxExtensionBusinessDays?: number | undefined;
    readonly escalateTo?: { readonly kind: string; readonly code?: string | undefined } | undefined;
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
  const { minSteps, maxSteps, minTimeLimit, maxTimeLimit, maxCommittedLimit } = DEFINITION_LIMITS;
  const days = (field: string, value: number | undefined, max: number) => {
    if (value !== undefined && (!Number.isInteger(value) || value < minTimeLimit || value > max)) problem(field, `${field.split('.').pop()} must be a whole number from ${minTimeLimit} to ${max}`);
  };
  days('committedLimitBusinessDays', draft.committedLimitBusinessDays, maxCommittedLimit);
  const remind = draft.remindBeforeBusinessDays;
  if (remind !== undefined && (!Number.isInteger(remind) || remind < 0 || remind > DEFINITION_LIMITS.maxRemindBefore)) {
    problem('remindBeforeBusinessDays', `remindBeforeBusinessDays must be a whole number from 0 to ${DEFINITION_LIMITS.maxRemindBefore}`);
  }
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
    if (!STEP_MODES.includes(mode)) problem(`${at}.mode`, `mode must be one of ${STEP_MODES.join(', ')}`);
    days(`${at}.timeLimitBusinessDays`, step.timeLimitBusinessDays, maxTimeLimit);
    days(`${at}.maxExtensionBusinessDays`, step.maxExtensionBusinessDays, maxTimeLimit);
    if (step.maxExtensionBusinessDays !== undefined && step.timeLimitBusinessDays === undefined) {
      problem(`${at}.maxExtensionBusinessDays`, 'maxExtensionBusinessDays bounds the extension of a time limit: set timeLimitBusinessDays too');
    }
    if (step.escalateTo !== undefined) checkEscalation(`${at}.escalateTo`, step.escalateTo, step.timeLimitBusinessDays !== undefined, knownOrganisations, problem);
    const reviewerCheck = { key: draft.key, kindKnown, knownOrganisations, problem };
    if (mode === 'single') {
      if (step.reviewers !== undefined) problem(`${at}.reviewers`, 'reviewers is for all_of and any_of steps: a single step names one reviewer');
      if (!step.reviewer) problem(`${at}.reviewer`, 'reviewer is required for a single step');
      else checkReviewer(`${at}.reviewer`, step.reviewer, reviewerCheck);
    } else if (STEP_MODES.includes(mode)) {
      if (step.reviewer !== undefined) problem(`${at}.reviewer`, `an ${mode} step names reviewers, not one reviewer`);
      const reviewers = step.reviewers ?? [];
      const { minReviewers, maxReviewers } = DEFINITION_LIMITS;
      if (reviewers.length < minReviewers || reviewers.length > maxReviewers) {
        problem(`${at}.reviewers`, `an ${mode} step has ${minReviewers} to ${maxReviewers} reviewers (has ${reviewers.length})`);
      }
      const seen = new Map<string, number>();
      reviewers.forEach((reviewer, j) => {
        checkReviewer(`${at}.reviewers.${j}`, reviewer, reviewerCheck);
        const id = reviewer.kind === 'organisation' ? `organisation:${reviewer.code ?? ''}` : reviewer.kind;
        const first = seen.get(id);
        if (first === undefined) seen.set(id, j);
        else problem(`${at}.reviewers.${j}`, `the same reviewer as reviewers.${first}`);
      });
    }
  });
  return problems;
}

function checkReviewer(
  at: string,
  reviewer: ReviewerDraft,
  { key, kindKnown, knownOrganisations, problem }: { key: string; kindKnown: boolean; knownOrganisations: readonly string[]; problem: (field: string, message: string) => void },
): void {
  switch (reviewer.kind) {
    case 'organisation':
      if (!reviewer.code) problem(`${at}.code`, 'code is required for an organisation reviewer');
      else if (!knownOrganisations.includes(reviewer.code)) problem(`${at}.code`, `no organisation has the code ${reviewer.code}`);
      break;
    case 'host_organisation':
    case 'city_commerce_bureau':
      if (reviewer.kind === 'host_organisation' && kindKnown && key !== 'promotion_event') {
        problem(`${at}.kind`, `host_organisation reviews only promotion_event: a ${key} names no host organisation`);
      }
      // Neither rule names an organisation of its own: the submission does.
      if (reviewer.code !== undefined) problem(`${at}.code`, `code is only for an organisation reviewer, not ${reviewer.kind}`);
      break;
    default:
      problem(`${at}.kind`, `kind must be one of ${REVIEWER_KINDS.join(', ')}`);
  }
}

function checkEscalation(at: string, target: NonNullable<DefinitionDraft['steps'][number]['escalateTo']>, limited: boolean, known: readonly string[], problem: (field: string, message: string) => void): void {
  if (!limited) problem(at, 'escalateTo is where an overdue step goes: set timeLimitBusinessDays too');
  if (target.kind === 'supervisor') {
    if (target.code !== undefined) problem(`${at}.code`, "code is only for an organisation target: a supervisor is the step's own organisation's");
  } else if (target.kind !== 'organisation') problem(`${at}.kind`, `kind must be one of ${ESCALATION_KINDS.join(', ')}`);
  else if (!target.code) problem(`${at}.code`, 'code is required for an organisation to escalate to');
  else if (!known.includes(target.code)) problem(`${at}.code`, `no organisation has the code ${target.code}`);
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
    ...(draft.committedLimitBusinessDays !== undefined ? { committedLimitBusinessDays: draft.committedLimitBusinessDays } : {}),
    ...(draft.remindBeforeBusinessDays !== undefined ? { remindBeforeBusinessDays: draft.remindBeforeBusinessDays } : {}),
    steps: draft.steps.map((s): StepDefinition => {
      const base = {
        key: s.key,
        name: s.name,
        ...(s.timeLimitBusinessDays !== undefined ? { timeLimitBusinessDays: s.timeLimitBusinessDays } : {}),
        ...(s.maxExtensionBusinessDays !== undefined ? { maxExtensionBusinessDays: s.maxExtensionBusinessDays } : {}),
        ...(s.escalateTo ? { escalateTo: s.escalateTo.kind === 'supervisor' ? { kind: 'supervisor' as const } : { kind: 'organisation' as const, code: s.escalateTo.code ?? '' } } : {}),
      };
      const mode = s.mode ?? 'single';
      if (mode === 'single') return { ...base, mode: 'single', reviewer: toReviewer(s.reviewer!) };
      return { ...base, mode: mode as 'all_of' | 'any_of', reviewers: (s.reviewers ?? []).map(toReviewer) };
    }),
  };
}

const toReviewer = (r: ReviewerDraft): Reviewer =>
  r.kind === 'organisation' ? { kind: 'organisation', code: r.code ?? '' } : { kind: r.kind as 'city_commerce_bureau' | 'host_organisation' };
