import { describe, expect, it } from '@jest/globals';
import { ManualClock, SystemClock } from './clock.js';

describe('clocks', () => {
  it('a manual clock stands still until set or moved', () => {
    const clock = new ManualClock('2026-02-13T01:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-02-13T01:00:00.000Z');
    expect(clock.advance(36 * 3_600_000).toISOString()).toBe('2026-02-14T13:00:00.000Z');
    clock.set('2026-10-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-10-01T00:00:00.000Z');
    // A copy each time: callers cannot move the clock by changing what they got.
    clock.now().setUTCFullYear(2030);
    expect(clock.now().getUTCFullYear()).toBe(2026);
  });

  it('the system clock is the machine time', () => {
    const before = Date.now();
    const now = new SystemClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
