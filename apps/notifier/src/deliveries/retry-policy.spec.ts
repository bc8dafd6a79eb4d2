import { describe, expect, it } from '@jest/globals';
import { classifySmtpError } from './mailer.js';
import { deliveryBackoff } from './retry-policy.js';

describe('deliveryBackoff', () => {
  const settings = { retryBaseMs: 1000, retryMaxMs: 60_000 };

  it('doubles with each retry, jittered between half and one and a half times', () => {
    expect([1, 2, 3, 4].map((n) => deliveryBackoff(settings, n, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => deliveryBackoff(settings, n, () => 0.5))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((n) => deliveryBackoff(settings, n, () => 0.999))).toEqual([1499, 2998, 5996, 11992]);
  });

  it('never waits longer than retryMaxMs', () => {
    expect(deliveryBackoff(settings, 20, () => 0.5)).toBe(60_000);
  });

  it('waits at least until a circuit may half-open when the failure left them all open', () => {
    expect(deliveryBackoff(settings, 1, () => 0.5, 30_000)).toBe(30_000);
    expect(deliveryBackoff(settings, 6, () => 0.5, 30_000)).toBe(32_000);
    expect(deliveryBackoff(settings, 1, () => 0.5, 0)).toBe(1000);
  });

  it('spreads retries that fail together', () => {
    const waits = new Set(Array.from({ length: 20 }, () => deliveryBackoff(settings, 3)));
    expect(waits.size).toBeGreaterThan(1);
  });
});

describe('classifySmtpError', () => {
  it('takes a 5xx to the envelope or the message as permanent', () => {
    expect(classifySmtpError({ message: 'rejected', code: 'EENVELOPE', responseCode: 550 })).toBe('permanent');
    expect(classifySmtpError({ message: 'too big', code: 'EMESSAGE', responseCode: 552 })).toBe('permanent');
    expect(classifySmtpError({ message: 'Invalid recipient', code: 'EENVELOPE' })).toBe('permanent');
  });

  it("takes a 4xx to the envelope or the message as this mail's temporary problem", () => {
    expect(classifySmtpError({ message: 'greylisted', code: 'EENVELOPE', responseCode: 451 })).toBe('temporary');
    expect(classifySmtpError({ message: 'try later', code: 'EMESSAGE', responseCode: 452 })).toBe('temporary');
  });

  it("blames the transport for refused connections, timeouts, failed logins and 421", () => {
    expect(classifySmtpError({ message: 'connect ECONNREFUSED', code: 'ESOCKET' })).toBe('transport');
    expect(classifySmtpError({ message: 'Connection timeout', code: 'ETIMEDOUT' })).toBe('transport');
    expect(classifySmtpError({ message: 'Invalid login', code: 'EAUTH', responseCode: 535 })).toBe('transport');
    expect(classifySmtpError({ message: 'closing', code: 'EENVELOPE', responseCode: 421 })).toBe('transport');
    expect(classifySmtpError({ message: 'Authentication required', code: 'EENVELOPE', responseCode: 530 })).toBe('transport');
    expect(classifySmtpError({ message: 'Sender rejected', code: 'EENVELOPE', command: 'MAIL FROM', responseCode: 550 })).toBe('transport');
    expect(classifySmtpError({ message: 'No such user', code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550 })).toBe('permanent');
  });
});
