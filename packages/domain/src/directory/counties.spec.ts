import { describe, expect, it } from '@jest/globals';
import { counties, findCounty } from './counties.js';

describe('the mountain-county list', () => {
  it('has 26 counties on any date of the 2021–2023 list', () => {
    expect(counties.filter((c) => findCounty(c.code, '2022-06-29')).length).toBe(26);
  });
  it('has 25 after Aug 2024 (three left, two joined) and 22 after May 2025 (three more left)', () => {
    expect(counties.filter((c) => findCounty(c.code, '2024-09-01')).length).toBe(25);
    expect(counties.filter((c) => findCounty(c.code, '2025-06-01')).length).toBe(22);
  });
  it('dates a county that left', () => {
    expect(findCounty('pingyang', '2024-07-31')?.name).toBe('平阳县');
    expect(findCounty('pingyang', '2024-08-01')).toBeUndefined();
    expect(findCounty('qingyuan', '2026-11-27')?.cityCode).toBe('lishui');
  });
});
