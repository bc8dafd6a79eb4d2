import { describe, expect, it } from '@jest/globals';
import {
  extensionBound,
  promotionEventChainV1,
  reviewersOf,
  toDefinition,
  validateDefinition,
  zonePlanChainV1,
  zonePlanChainV2,
  type DefinitionDraft,
  type DefinitionProblem,
} from './definition.js';

/**
 * The organisation codes a directory holds, as workflow passes them to validateDefinition: the
 * ones the default chains name, and a few city bureaus. The programme's own list is intake's seed,
 * whose spec checks the default chains against it. `zj-gov-office` comes last, so the eleven-reviewer
 * case below can add it to the first ten without a duplicate.
 */
const departments = ['zj-nr', 'zj-drc', 'zj-eco'];
const known = ['hangzhou-commerce', 'lishui-commerce', 'wenzhou-commerce', 'quzhou-commerce', 'zj-commerce', 'zj-commerce-office', 'zj-gov', ...departments, 'zj-gov-office'];

describe('the default chains', () => {
  it('lists a single step’s reviewer and a countersign step’s reviewers', () => {
    expect(reviewersOf({ key: 'a_b', name: 'a', mode: 'single', reviewer: { kind: 'city_commerce_bureau' } })).toEqual([{ kind: 'city_commerce_bureau' }]);
    expect(zonePlanChainV2.steps.map((s) => reviewersOf(s).length)).toEqual([1, 1, 3, 1, 1]);
    expect(promotionEventChainV1.steps.flatMap(reviewersOf)).toEqual([{ kind: 'host_organisation' }, { kind: 'organisation', code: 'zj-commerce-office' }]);
  });

  it('names the chains and their steps in order', () => {
    expect(zonePlanChainV1.steps.map((s) => s.key)).toEqual(['city_pre_review', 'province_review', 'province_approval']);
    expect(zonePlanChainV2).toMatchObject({ key: 'zone_plan', version: 2 });
    expect(zonePlanChainV2.steps.map((s) => [s.key, s.mode])).toEqual([
      ['city_pre_review', 'single'],
      ['province_review', 'single'],
      ['joint_review', 'all_of'],
      ['province_approval', 'single'],
      ['reply_letter', 'single'],
    ]);
    expect(zonePlanChainV2.steps[2]).toMatchObject({
      mode: 'all_of',
      reviewers: [
        { kind: 'organisation', code: 'zj-nr' },
        { kind: 'organisation', code: 'zj-drc' },
        { kind: 'organisation', code: 'zj-eco' },
      ],
    });
    expect(promotionEventChainV1).toMatchObject({ key: 'promotion_event', version: 1, name: '招商推介会审批' });
    expect(promotionEventChainV1.steps.map((s) => [s.key, s.name])).toEqual([
      ['host_review', '主办单位审核'],
      ['office_approval', '省商务厅办公室审批'],
    ]);
  });
});

describe(validateDefinition.name, () => {
  type Step = DefinitionDraft['steps'][number];
  const step = (over: Partial<Step> = {}, i = 0): Step => ({ key: `step_${i}`, name: `第${i + 1}步`, reviewer: { kind: 'organisation', code: 'zj-commerce' }, ...over });
  const draft = (over: Partial<DefinitionDraft> = {}): DefinitionDraft => ({ key: 'zone_plan', name: '经济开发区创建方案审批', steps: [step({}, 0), step({}, 1), step({}, 2)], ...over });
  /** The draft with step `i` changed; `undefined` in `over` drops the field. */
  const withStep = (i: number, over: Partial<Step>, base = draft()): DefinitionDraft => ({
    ...base,
    steps: base.steps.map((s, j) => (j === i ? (Object.fromEntries(Object.entries({ ...s, ...over }).filter(([, v]) => v !== undefined)) as Step) : s)),
  });
  const org = (code: string) => ({ kind: 'organisation', code });
  const joint = [org('zj-nr'), org('zj-drc'), org('zj-eco')];
  /** Step `i` as a countersign step of `mode` with `reviewers` and no single reviewer. */
  const countersign = (i: number, mode: string, reviewers: Step['reviewers'], base = draft()) => withStep(i, { mode, reviewers, reviewer: undefined }, base);
  const fields = (problems: DefinitionProblem[]) => problems.map((p) => p.field);

  it.each([
    ['the code chain for zone plans', zonePlanChainV1],
    ['the joint-review chain for zone plans', zonePlanChainV2],
    ['the code chain for promotion events', promotionEventChainV1],
    ['a chain with time limits and an explicit single mode', withStep(1, { mode: 'single', timeLimitBusinessDays: 250 }, withStep(0, { timeLimitBusinessDays: 1 }))],
    ['one step', draft({ steps: [step()] })],
    ['twenty steps', draft({ steps: Array.from({ length: 20 }, (_, i) => step({}, i)) })],
    ['a city commerce bureau on a promotion event', draft({ key: 'promotion_event', steps: [step({ reviewer: { kind: 'city_commerce_bureau' } })] })],
    ['an all_of step of three organisations', countersign(1, 'all_of', joint)],
    ['an any_of step of two organisations', countersign(1, 'any_of', [org('zj-nr'), org('zj-drc')])],
    ['an all_of step of ten reviewers', countersign(1, 'all_of', known.slice(0, 10).map(org))],
    ['a countersign step with the city bureau and an organisation', countersign(0, 'all_of', [{ kind: 'city_commerce_bureau' }, org('zj-commerce')])],
    ['a countersign step with the host organisation on a promotion event', countersign(0, 'any_of', [{ kind: 'host_organisation' }, org('zj-commerce-office')], draft({ key: 'promotion_event' }))],
  ])('accepts %s', (_, valid) => {
    expect(validateDefinition(valid, known)).toEqual([]);
  });

  it('validates zonePlanChainV2 against the organisations it is given: without the consulted departments it is refused', () => {
    expect(validateDefinition(zonePlanChainV2, known)).toEqual([]);
    const withoutDepartments = known.filter((code) => !departments.includes(code) && code !== 'zj-gov-office');
    expect(fields(validateDefinition(zonePlanChainV2, withoutDepartments))).toEqual([
      'steps.2.reviewers.0.code',
      'steps.2.reviewers.1.code',
      'steps.2.reviewers.2.code',
      'steps.4.reviewer.code',
    ]);
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
    ['an unknown organisation', withStep(2, { reviewer: org('zj-nowhere') }), ['steps.2.reviewer.code']],
    ['an organisation without a code', withStep(2, { reviewer: { kind: 'organisation' } }), ['steps.2.reviewer.code']],
    ['an unknown reviewer kind', withStep(0, { reviewer: { kind: 'county_government' } }), ['steps.0.reviewer.kind']],
    ['a host organisation on a zone plan', withStep(0, { reviewer: { kind: 'host_organisation' } }), ['steps.0.reviewer.kind']],
    ['a code on a rule-based reviewer', withStep(0, { reviewer: { kind: 'city_commerce_bureau', code: 'zj-gov' } }), ['steps.0.reviewer.code']],
    ['a single step without a reviewer', withStep(0, { reviewer: undefined }), ['steps.0.reviewer']],
    ['an unknown mode', withStep(1, { mode: 'majority' }), ['steps.1.mode']],
    ['a time limit of 0', withStep(0, { timeLimitBusinessDays: 0 }), ['steps.0.timeLimitBusinessDays']],
    ['a time limit of 251', withStep(0, { timeLimitBusinessDays: 251 }), ['steps.0.timeLimitBusinessDays']],
    ['a fractional time limit', withStep(0, { timeLimitBusinessDays: 1.5 }), ['steps.0.timeLimitBusinessDays']],
    ['an extension bound without a time limit', withStep(0, { maxExtensionBusinessDays: 5 }), ['steps.0.maxExtensionBusinessDays']],
    ['an extension bound of 0', withStep(0, { timeLimitBusinessDays: 5, maxExtensionBusinessDays: 0 }), ['steps.0.maxExtensionBusinessDays']],
    ['an escalation without a time limit', withStep(0, { escalateTo: { kind: 'supervisor' } }), ['steps.0.escalateTo']],
    ['an escalation to an unknown kind', withStep(0, { timeLimitBusinessDays: 5, escalateTo: { kind: 'leader' } }), ['steps.0.escalateTo.kind']],
    ['an escalation to a supervisor with a code', withStep(0, { timeLimitBusinessDays: 5, escalateTo: { kind: 'supervisor', code: 'zj-gov' } }), ['steps.0.escalateTo.code']],
    ['an escalation to an organisation without a code', withStep(0, { timeLimitBusinessDays: 5, escalateTo: { kind: 'organisation' } }), ['steps.0.escalateTo.code']],
    ['an escalation to an unknown organisation', withStep(0, { timeLimitBusinessDays: 5, escalateTo: { kind: 'organisation', code: 'zj-nowhere' } }), ['steps.0.escalateTo.code']],
    ['a committed limit of 0', draft({ committedLimitBusinessDays: 0 }), ['committedLimitBusinessDays']],
    ['a committed limit of 501', draft({ committedLimitBusinessDays: 501 }), ['committedLimitBusinessDays']],
    // Countersign steps (all_of 会签, any_of 或签).
    ['an all_of step without reviewers', withStep(1, { mode: 'all_of', reviewer: undefined }), ['steps.1.reviewers']],
    ['an all_of step with one reviewer', countersign(1, 'all_of', [org('zj-nr')]), ['steps.1.reviewers']],
    ['an any_of step with one reviewer', countersign(1, 'any_of', [org('zj-nr')]), ['steps.1.reviewers']],
    ['an any_of step with an empty reviewer list', countersign(1, 'any_of', []), ['steps.1.reviewers']],
    ['an all_of step with eleven reviewers', countersign(1, 'all_of', [...known.slice(0, 10).map(org), org('zj-gov-office')]), ['steps.1.reviewers']],
    ['a single reviewer given for an all_of step', withStep(1, { mode: 'all_of', reviewers: joint }), ['steps.1.reviewer']],
    ['a single reviewer given for an any_of step', withStep(1, { mode: 'any_of', reviewers: joint }), ['steps.1.reviewer']],
    ['a single reviewer and too few reviewers for an all_of step', withStep(1, { mode: 'all_of' }), ['steps.1.reviewer', 'steps.1.reviewers']],
    ['reviewers given for an explicit single step', withStep(1, { mode: 'single', reviewers: joint }), ['steps.1.reviewers']],
    ['reviewers given for a step of the default mode', withStep(1, { reviewers: joint }), ['steps.1.reviewers']],
    ['a duplicate organisation among reviewers, named at the second', countersign(1, 'all_of', [org('zj-nr'), org('zj-drc'), org('zj-nr')]), ['steps.1.reviewers.2']],
    ['the city bureau twice among reviewers', countersign(1, 'any_of', [{ kind: 'city_commerce_bureau' }, { kind: 'city_commerce_bureau' }]), ['steps.1.reviewers.1']],
    ['an unknown organisation among reviewers', countersign(1, 'all_of', [org('zj-nr'), org('zj-nowhere'), org('zj-eco')]), ['steps.1.reviewers.1.code']],
    ['an organisation without a code among reviewers', countersign(2, 'any_of', [org('zj-nr'), { kind: 'organisation' }]), ['steps.2.reviewers.1.code']],
    ['an unknown reviewer kind among reviewers', countersign(0, 'all_of', [org('zj-nr'), { kind: 'county_government' }]), ['steps.0.reviewers.1.kind']],
    ['a host organisation among a zone plan’s reviewers', countersign(0, 'all_of', [org('zj-nr'), { kind: 'host_organisation' }]), ['steps.0.reviewers.1.kind']],
    ['a code on a rule-based reviewer among reviewers', countersign(0, 'any_of', [{ kind: 'city_commerce_bureau', code: 'zj-nr' }, org('zj-nr')]), ['steps.0.reviewers.0.code']],
    [
      'several problems at once, each by its path',
      draft({ name: '', steps: [step({ key: 'dup' }, 0), step({ key: 'dup', mode: 'all_of', reviewer: org('nobody') }, 1)] }),
      ['name', 'steps.1.key', 'steps.1.reviewer', 'steps.1.reviewers'],
    ],
  ])('refuses %s', (_, invalid, expected) => {
    expect(fields(validateDefinition(invalid, known))).toEqual(expected);
  });

  it('says which step a duplicate key repeats, and what a countersign step lacks', () => {
    const problems = validateDefinition(withStep(2, { key: 'step_0', mode: 'all_of' }), known);
    expect(problems).toEqual([
      { field: 'steps.2.key', message: 'key step_0 is already the key of steps.0' },
      { field: 'steps.2.reviewer', message: expect.stringMatching(/all_of step names reviewers, not one reviewer$/) },
      { field: 'steps.2.reviewers', message: expect.stringMatching(/all_of step has 2 to 10 reviewers \(has 0\)$/) },
    ]);
  });

  it('says which reviewer a duplicate repeats, and which code is unknown, by its exact path', () => {
    const problems = validateDefinition(countersign(1, 'all_of', [org('zj-nr'), org('zj-unknown'), org('zj-nr')]), known);
    expect(problems).toEqual([
      { field: 'steps.1.reviewers.1.code', message: 'no organisation has the code zj-unknown' },
      { field: 'steps.1.reviewers.2', message: 'the same reviewer as reviewers.0' },
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

  it('publishes countersign steps with their reviewers, in order', () => {
    const valid = countersign(2, 'any_of', [{ kind: 'city_commerce_bureau' }, org('zj-gov')], countersign(1, 'all_of', joint, withStep(1, { timeLimitBusinessDays: 10 })));
    expect(validateDefinition(valid, known)).toEqual([]);
    expect(toDefinition(valid, 3).steps).toEqual([
      { key: 'step_0', name: '第1步', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-commerce' } },
      { key: 'step_1', name: '第2步', mode: 'all_of', reviewers: joint, timeLimitBusinessDays: 10 },
      { key: 'step_2', name: '第3步', mode: 'any_of', reviewers: [{ kind: 'city_commerce_bureau' }, { kind: 'organisation', code: 'zj-gov' }] },
    ]);
  });

  it('publishes each step’s escalation target: its organisation’s supervisors, or another organisation', () => {
    const valid = withStep(1, { timeLimitBusinessDays: 5, escalateTo: { kind: 'organisation', code: 'zj-gov' } }, withStep(0, { timeLimitBusinessDays: 5, escalateTo: { kind: 'supervisor' } }));
    expect(validateDefinition(valid, known)).toEqual([]);
    const published = toDefinition(valid, 2);
    expect(published.steps.map((step) => step.escalateTo)).toEqual([{ kind: 'supervisor' }, { kind: 'organisation', code: 'zj-gov' }, undefined]);
  });

  it('publishes the committed limit and each step’s extension bound', () => {
    const valid = withStep(0, { timeLimitBusinessDays: 5, maxExtensionBusinessDays: 3 }, draft({ committedLimitBusinessDays: 40 }));
    expect(validateDefinition(valid, known)).toEqual([]);
    const published = toDefinition(valid, 4);
    expect(published.committedLimitBusinessDays).toBe(40);
    expect(published.steps[0]).toMatchObject({ timeLimitBusinessDays: 5, maxExtensionBusinessDays: 3 });
    expect(extensionBound(published.steps[0]!)).toBe(3);
    const { maxExtensionBusinessDays: _bound, ...unbounded } = published.steps[0]!;
    expect(extensionBound(unbounded)).toBe(5);
    expect(extensionBound(published.steps[1]!)).toBe(0);
  });

  it('round-trips zonePlanChainV2 through toDefinition', () => {
    expect(toDefinition(zonePlanChainV2, 2)).toEqual(zonePlanChainV2);
  });
});
