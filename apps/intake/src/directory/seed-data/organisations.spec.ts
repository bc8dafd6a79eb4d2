import { describe, expect, it } from '@jest/globals';
import { promotionEventChainV1, reviewersOf, zonePlanChainV1, zonePlanChainV2 } from '@shanhai/domain';
import { cities } from './counties.js';
import { organisations } from './organisations.js';

/**
 * Workflow resolves reviewers from its replica of this directory, which the seed fills: a chain
 * workflow publishes by default must find every one of its reviewers here on a new installation.
 */
describe('the seeded organisations', () => {
  const codes = organisations.map((o) => o.code);

  it('hold every organisation the default chains name as a fixed reviewer', () => {
    const fixed = [zonePlanChainV1, zonePlanChainV2, promotionEventChainV1].flatMap((chain) =>
      chain.steps.flatMap((step) => reviewersOf(step).flatMap((r) => (r.kind === 'organisation' ? [r.code] : []))),
    );
    expect(fixed).toEqual(expect.arrayContaining(['zj-commerce', 'zj-nr', 'zj-drc', 'zj-eco', 'zj-gov', 'zj-gov-office', 'zj-commerce-office']));
    expect(fixed.filter((code) => !codes.includes(code))).toEqual([]);
  });

  it.each(cities.map((c) => [c.code]))('give %s exactly one commerce bureau, the first reviewer of its counties’ plans', (cityCode) => {
    const bureaus = organisations.filter((o) => o.kind === 'city_commerce_bureau' && o.cityCode === cityCode);
    expect(bureaus).toHaveLength(1);
  });

  it('name each organisation once, and a city only for a city bureau', () => {
    expect(new Set(codes).size).toBe(codes.length);
    expect(organisations.filter((o) => (o.kind === 'city_commerce_bureau') !== (o.cityCode !== undefined))).toEqual([]);
  });
});
