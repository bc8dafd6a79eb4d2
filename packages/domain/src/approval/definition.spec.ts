import { describe, expect, it } from '@jest/globals';
import { findOrganisation } from '../directory/organisations.js';
import { organisations } from '../directory/organisations.js';
import {
  promotionEventChainV1,
  reviewerOrganisation,
  toDefinition,
  validateDefinition,
  zonePlanChainV1,
  type DefinitionDraft,
  type DefinitionProblem,
} from './definition.js';
import type { ReviewedSubmission } from './definition.js';

const chains = { zone_plan: zonePlanChainV1, promotion_event: promotionEventChainV1 };

const fromLishui: ReviewedSubmission = { city: { code: 'lishui' } };
const fromWenzhou: ReviewedSubmission = { city: { code: 'wenzhou' } };
const hostedBy = (hostOrganisation: string, city = 'lishui'): ReviewedSubmission => ({ city: { code: city }, hostOrganisation });

describe('reviewer resolution', () => {
  // Every step of both chains, for the submissions that matter to it.
  it.each<[keyof typeof chains, string, ReviewedSubmission, string | undefined]>([
    // zone_plan: unchanged: the city's commerce bureau, then the province; a host organisation is ignored.
    ['zone_plan', 'city_pre_review', fromLishui, 'lishui-commerce'],
    ['zone_plan', 'city_pre_review', fromWenzhou, 'wenzhou-commerce'],
    ['zone_plan', 'city_pre_review', hostedBy('zj-commerce', 'wenzhou'), 'wenzhou-commerce'],
    ['zone_plan', 'province_review', fromLishui, 'zj-commerce'],
    ['zone_plan', 'province_approval', fromLishui, 'zj-gov'],
    // promotion_event: the host organisation, whatever the city, then the department's office.
    ['promotion_event', 'host_review', hostedBy('lishui-commerce'), 'lishui-commerce'],
    ['promotion_event', 'host_review', hostedBy('zj-commerce', 'wenzhou'), 'zj-commerce'],
    ['promotion_event', 'host_review', fromLishui, undefined],
    ['promotion_event', 'host_review', hostedBy(''), undefined],
    ['promotion_event', 'office_approval', hostedBy('lishui-commerce'), 'zj-commerce-office'],
    ['promotion_event', 'office_approval', fromLishui, 'zj-commerce-office'],
  ])('%s.%s for %j → %s', (chain, key, submission, expected) => {
    const step = chains[chain].steps.find((s) => s.key === key);
    expect(step).toBeDefined();
    expect(step && reviewerOrganisation(step, submission)).toBe(expected);
  });

  it('names the chains and their steps in order', () => {
    expect(zonePlanChainV1.steps.map((s) => s.key)).toEqual(['city_pre_review', 'province_review', 'province_approval']);
    expect(promotionEventChainV1).toMatchObject({ key: 'promotion_event', version: 1, name: '招商推介会审批' });
    expect(promotionEventChainV1.steps.map((s) => [s.key, s.name])).toEqual([
      ['host_review', '主办单位审核'],
      ['office_approval', '省商务厅办公室审批'],
    ]);
  });

  it('names only organisations the directory knows as fixed reviewers', () => {
    const fixed = [zonePlanChainV1, promotionEventChainV1].flatMap((c) => c.steps.flatMap((s) => (s.reviewer.kind === 'organisation' ? [s.reviewer.code] : [])));
    expect(fixed.filter((code) => !findOrganisation(code))).toEqual([]);
  });
});

describe(validateDefinition.name, () => {
  const known = organisations.map((o) => o.code);
  type Step = DefinitionDraft['steps'][number];
  const step = (over: Partial<Step> = {}, i = 0): Step => ({ key: `step_${i}`, name: `第${i + 1}步`, reviewer: { kind: 'organisation', code: 'zj-commerce' }, ...over });
  const draft = (over: Partial<DefinitionDraft> = {}): DefinitionDraft => ({ key: 'zone_plan', name: '经济开发区创建方案审批', steps: [step({}, 0), step({}, 1), step({}, 2)], ...over });
  /** The draft with step `i` changed. */
  const withStep = (i: number, over: Partial<Step>, base = draft()): DefinitionDraft => ({ ...base, steps: base.steps.map((s, j) => (j === i ? { ...s, ...over } : s)) });
  const fields = (problems: DefinitionProblem[]) => problems.map((p) => p.field);

  it.each([
    ['the code chain for zone plans', zonePlanChainV1],
    ['the code chain for promotion events', promotionEventChainV1],
    ['a chain with time limits and an explicit single mode', withStep(1, { mode: 'single', timeLimitBusinessDays: 250 }, withStep(0, { timeLimitBusinessDays: 1 }))],
    ['one step', draft({ steps: [step()] })],
    ['twenty steps', draft({ steps: Array.from({ length: 20 }, (_, i) => step({}, i)) })],
    ['a city commerce bureau on a promotion event', draft({ key: 'promotion_event', steps: [step({ reviewer: { kind: 'city_commerce_bureau' } })] })],
  ])('accepts %s', (_, valid) => {
    expect(validateDefinition(valid, known)).toEqual([]);
  });

  it.each<[string, DefinitionDraft, string[]]>([
    ['an unknown submission kind', draft({ key: 'road_plan' }), ['key']],
    ['an empty name', draft({ name: '  ' }), ['name']],
    ['a name over 100 characters', draft({ name: '审'.repeat(101) }), ['name']],
    ['no steps', draft({ steps: [] }), ['steps']],
    ['21 steps', draft({ steps: Array.from({ length: 21 }, (_, i) => step({}, i)) }), ['steps']],
    ['a step key with a capital', withStep(2, { key: 'Province' }), ['steps.2.key']],
    ['a one-letter step key', withStep(2, { key: 'p' }), ['steps.2.key']],
    ['a step key of 65 characters', withStep(2, { key: `p${'a'.repeat(64)}` }), ['steps.2.key']],
    ['a duplicate step key, named at the second', withStep(2, { key: 'step_0' }), ['steps.2.key']],
    ['an empty step name', withStep(1, { name: '' }), ['steps.1.name']],
    ['a step name over 100 characters', withStep(1, { name: 'x'.repeat(101) }), ['steps.1.name']],
    ['an unknown organisation', withStep(2, { reviewer: { kind: 'organisation', code: 'zj-nowhere' } }), ['steps.2.reviewer.code']],
    ['an organisation without a code', withStep(2, { reviewer: { kind: 'organisation' } }), ['steps.2.reviewer.code']],
    ['an unknown reviewer kind', withStep(0, { reviewer: { kind: 'county_government' } }), ['steps.0.reviewer.kind']],
    ['a host organisation on a zone plan', withStep(0, { reviewer: { kind: 'host_organisation' } }), ['steps.0.reviewer.kind']],
    ['a code on a rule-based reviewer', withStep(0, { reviewer: { kind: 'city_commerce_bureau', code: 'zj-gov' } }), ['steps.0.reviewer.code']],
    ['a countersign mode', withStep(1, { mode: 'all_of' }), ['steps.1.mode']],
    ['an any-of mode', withStep(1, { mode: 'any_of' }), ['steps.1.mode']],
    ['an unknown mode', withStep(1, { mode: 'majority' }), ['steps.1.mode']],
    ['a time limit of 0', withStep(0, { timeLimitBusinessDays: 0 }), ['steps.0.timeLimitBusinessDays']],
    ['a time limit of 251', withStep(0, { timeLimitBusinessDays: 251 }), ['steps.0.timeLimitBusinessDays']],
    ['a fractional time limit', withStep(0, { timeLimitBusinessDays: 1.5 }), ['steps.0.timeLimitBusinessDays']],
    [
      'several problems at once, each by its path',
      draft({ name: '', steps: [step({ key: 'dup' }, 0), step({ key: 'dup', mode: 'all_of', reviewer: { kind: 'organisation', code: 'nobody' } }, 1)] }),
      ['name', 'steps.1.key', 'steps.1.mode', 'steps.1.reviewer.code'],
    ],
  ])('refuses %s', (_, invalid, expected) => {
    expect(fields(validateDefinition(invalid, known))).toEqual(expected);
  });

  it('says which step a duplicate key repeats, and that countersigning is not supported yet', () => {
    const problems = validateDefinition(withStep(2, { key: 'step_0', mode: 'all_of' }), known);
    expect(problems).toEqual([
      { field: 'steps.2.key', message: 'key step_0 is already the key of steps.0' },
      { field: 'steps.2.mode', message: 'mode all_of is not supported yet: only single' },
    ]);
  });

  it('publishes a valid draft as single-mode steps, keeping time limits', () => {
    const published = toDefinition(withStep(0, { timeLimitBusinessDays: 5 }, draft({ steps: [step(), step({ reviewer: { kind: 'city_commerce_bureau' } }, 1)] })), 2);
    expect(published).toEqual({
      key: 'zone_plan',
      version: 2,
      name: '经济开发区创建方案审批',
      steps: [
        { key: 'step_0', name: '第1步', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-commerce' }, timeLimitBusinessDays: 5 },
        { key: 'step_1', name: '第2步', mode: 'single', reviewer: { kind: 'city_commerce_bureau' } },
      ],
    });
  });
});
