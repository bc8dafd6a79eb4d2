import { describe, expect, it } from '@jest/globals';
import { findOrganisation } from '../directory/organisations.js';
import { promotionEventChainV1, reviewerOrganisation, zonePlanChainV1, type ReviewedSubmission } from './definition.js';

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
