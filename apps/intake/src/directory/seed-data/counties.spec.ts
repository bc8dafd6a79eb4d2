import { describe, expect, it } from '@jest/globals';
import { cities, counties } from './counties.js';

/** The seed's counties on the list on `date` (YYYY-MM-DD): from `validFrom`, up to but not on `validTo`. */
const onList = (date: string) => counties.filter((c) => c.validFrom <= date && (c.validTo === null || date < c.validTo));
const onListByCode = (code: string, date: string) => onList(date).find((c) => c.code === code);

describe('the mountain-county list', () => {
  it('has 26 counties on any date of the 2021–2023 list', () => {
    expect(onList('2022-06-29')).toHaveLength(26);
  });
  it('has 25 after Aug 2024 (three left, two joined) and 22 after May 2025 (three more left)', () => {
    expect(onList('2024-09-01')).toHaveLength(25);
    expect(onList('2025-06-01')).toHaveLength(22);
  });
  it('dates a county that left', () => {
    expect(onListByCode('pingyang', '2024-07-31')?.name).toBe('平阳县');
    expect(onListByCode('pingyang', '2024-08-01')).toBeUndefined();
    expect(onListByCode('qingyuan', '2026-11-27')?.cityCode).toBe('lishui');
  });
  it('names each county once and places it in a seeded city', () => {
    expect(new Set(counties.map((c) => c.code)).size).toBe(counties.length);
    const cityCodes = cities.map((c) => c.code);
    expect(counties.filter((c) => !cityCodes.includes(c.cityCode))).toEqual([]);
  });
});
