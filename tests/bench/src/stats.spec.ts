import { describe, expect, it } from '@jest/globals';
import { percentile, perSecond, ratio, summarise } from './stats.js';

describe(percentile.name, () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('takes the nearest rank', () => {
    expect([percentile(hundred, 50), percentile(hundred, 95), percentile(hundred, 99), percentile(hundred, 100)]).toEqual([50, 95, 99, 100]);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3], 50)).toBe(2);
  });

  it('has none of nothing', () => {
    expect(percentile([], 50)).toBeNull();
  });
});

describe(summarise.name, () => {
  it('sorts first, and rounds to whole milliseconds', () => {
    expect(summarise([30.4, 10.2, 20.6])).toEqual({ n: 3, p50: 21, p95: 30, p99: 30, max: 30, mean: 20 });
  });

  it('says null for an empty sample', () => {
    expect(summarise([])).toEqual({ n: 0, p50: null, p95: null, p99: null, max: null, mean: null });
  });
});

describe(perSecond.name, () => {
  it('keeps one decimal above 10 per second and two below, and none when no time passed', () => {
    expect(perSecond(1234, 1000)).toBe(1234);
    expect(perSecond(100, 3000)).toBe(33.3);
    expect(perSecond(1, 3000)).toBe(0.33);
    expect(perSecond(5, 0)).toBeNull();
  });
});

describe(ratio.name, () => {
  it('divides, or says null when it cannot', () => {
    expect(ratio(1, 4)).toBe(0.25);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(null, 4)).toBeNull();
  });
});
