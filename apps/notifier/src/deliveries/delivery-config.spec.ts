import { describe, expect, it } from '@jest/globals';
import { QueueName } from '@shanhai/contracts';
import { concurrencyOf, ConfigError } from '@shanhai/platform';
import { DEFAULT_DELIVERY, deliverySettingsOf, loadConfig, smtpUrlsOf } from '../config.js';

describe('notifier delivery settings', () => {
  it('defaults to one SMTP server and the default retry, rate and breaker settings', () => {
    const config = loadConfig({});
    expect(smtpUrlsOf(config)).toEqual(['smtp://127.0.0.1:1025']);
    expect(deliverySettingsOf(config)).toEqual(DEFAULT_DELIVERY);
    expect(DEFAULT_DELIVERY).toMatchObject({ maxAttempts: 8, ratePerSecond: 1000, concurrency: 10 });
    expect(concurrencyOf(config, QueueName.Notifier)).toBe(8);
  });

  it('runs each queue at its own concurrency, else at QUEUE_CONCURRENCY', () => {
    const shared = loadConfig({ QUEUE_CONCURRENCY: '3' });
    expect([concurrencyOf(shared, QueueName.Notifier), deliverySettingsOf(shared).concurrency]).toEqual([3, 3]);
    const own = loadConfig({ QUEUE_CONCURRENCY: '3', NOTIFIER_CONCURRENCY: '12', NOTIFIER_DELIVERY_CONCURRENCY: '20' });
    expect([concurrencyOf(own, QueueName.Notifier), deliverySettingsOf(own).concurrency]).toEqual([12, 20]);
    expect(() => loadConfig({ NOTIFIER_DELIVERY_CONCURRENCY: '0' })).toThrow(/NOTIFIER_DELIVERY_CONCURRENCY/);
  });

  it('reads SMTP_URLS in order, over SMTP_URL', () => {
    const config = loadConfig({ SMTP_URL: 'smtp://ignored:25', SMTP_URLS: 'smtp://mail-1:587, smtps://user:secret@mail-2:465' });
    expect(smtpUrlsOf(config)).toEqual(['smtp://mail-1:587', 'smtps://user:secret@mail-2:465']);
    expect(config.smtpUrl).toBe('smtp://mail-1:587');
  });

  it('reads every delivery setting', () => {
    const config = loadConfig({
      NOTIFIER_MAX_ATTEMPTS: '4',
      NOTIFIER_RETRY_BASE_MS: '250',
      NOTIFIER_RETRY_MAX_MS: '5000',
      NOTIFIER_RATE_LIMIT_PER_SECOND: '7',
      NOTIFIER_BREAKER_THRESHOLD: '3',
      NOTIFIER_BREAKER_COOLDOWN_MS: '10000',
      NOTIFIER_CLAIM_LEASE_SECONDS: '15',
      NOTIFIER_DELIVERY_CONCURRENCY: '6',
    });
    expect(deliverySettingsOf(config)).toEqual({ maxAttempts: 4, retryBaseMs: 250, retryMaxMs: 5000, ratePerSecond: 7, concurrency: 6, breakerThreshold: 3, breakerCooldownMs: 10_000, claimLeaseSeconds: 15 });
  });

  it('names every bad setting at once', () => {
    let error: unknown;
    try {
      loadConfig({ SMTP_URLS: 'smtp://ok:25,http://nope', NOTIFIER_MAX_ATTEMPTS: '0', NOTIFIER_RATE_LIMIT_PER_SECOND: 'fast' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^SMTP_URLS\.1: must be a URL starting with smtp:\/\/ or smtps:\/\//m);
    expect(problems).toMatch(/^NOTIFIER_MAX_ATTEMPTS:/m);
    expect(problems).toMatch(/^NOTIFIER_RATE_LIMIT_PER_SECOND:/m);
  });
});
