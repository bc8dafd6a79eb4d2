import { describe, expect, it } from '@jest/globals';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.js';

describe('CircuitBreaker', () => {
  const make = (threshold = 3, cooldownMs = 1000) => {
    let now = 0;
    const moves: string[] = [];
    const breaker = new CircuitBreaker(threshold, cooldownMs, (from: CircuitState, to: CircuitState) => moves.push(`${from}->${to}`), () => now);
    return { breaker, moves, advance: (ms: number) => (now += ms) };
  };

  it('opens after `threshold` consecutive failures, and a success in between starts the count again', () => {
    const { breaker, moves } = make(3);
    breaker.failed('refused');
    breaker.failed('refused');
    breaker.succeeded();
    breaker.failed('refused');
    breaker.failed('refused');
    expect([breaker.state, breaker.tryAcquire()]).toEqual(['closed', true]);
    breaker.failed('refused');
    expect([breaker.state, breaker.failures, breaker.tryAcquire()]).toEqual(['open', 3, false]);
    expect(moves).toEqual(['closed->open']);
  });

  it('lets one trial through after the cooldown, and closes on its success', () => {
    const { breaker, moves, advance } = make(1, 1000);
    breaker.failed('timeout');
    advance(999);
    expect(breaker.tryAcquire()).toBe(false);
    advance(1);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(false);
    breaker.succeeded();
    expect([breaker.state, breaker.failures, breaker.tryAcquire()]).toEqual(['closed', 0, true]);
    expect(moves).toEqual(['closed->open', 'open->half_open', 'half_open->closed']);
  });

  it('opens again for a whole cooldown when the trial fails', () => {
    const { breaker, advance } = make(2, 1000);
    breaker.failed('refused');
    breaker.failed('refused');
    advance(1000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.failed('refused');
    expect(breaker.state).toBe('open');
    advance(999);
    expect(breaker.tryAcquire()).toBe(false);
    advance(1);
    expect(breaker.tryAcquire()).toBe(true);
  });
});
