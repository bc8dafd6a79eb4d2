import { startNotifier } from './support/notifier-app.js';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestApp } from '@shanhai/platform/testing';
import type { NotifierConfig } from '../src/config.js';
import type { Delivery } from '../src/deliveries/delivery.entity.js';
import { startTestSmtpServer, type Refusal, type TestSmtpServer } from './delivery-smtp-server.js';
import { allSettled, badHourSettings, countByStatus, jobsAgainstLog, publishAssignments } from './delivery-traffic.js';

/** A number in [0, 1) fixed by the seed and the words: the same refusals on every run, whatever order the sends come in. */
const roll = (seed: string, ...words: (string | number)[]): number => createHash('sha256').update([seed, ...words].join('|')).digest().readUInt32BE(0) / 2 ** 32;

/** Busy servers' transient answers: greylisting, no room for now, shedding load (421 closes the connection), a failure after the message came in. */
const TRANSIENT: readonly Refusal[] = [
  { at: 'rcpt', code: 451, message: '4.7.1 Greylisted, please try again later' },
  { at: 'rcpt', code: 452, message: '4.3.1 Insufficient system storage, try again later' },
  { at: 'rcpt', code: 421, message: '4.4.5 Too busy, closing transmission channel' },
  { at: 'data', code: 451, message: '4.3.0 Local error in processing, try again later' },
];

describe('notifier: a bad hour of SMTP, the server refusing 30% of sends', () => {
  const SEED = 'shanhai-bad-hour-2';
  const REFUSED_SHARE = 0.3;
  const EVENTS = 80;
  const settings = badHourSettings;
  /** The seed's plan: the fate of the nth send to an address. */
  const refusalOf = (address: string, nth: number): Refusal | null =>
    roll(SEED, address, nth) < REFUSED_SHARE ? TRANSIENT[Math.floor(roll(SEED, 'kind', address, nth) * TRANSIENT.length)]! : null;
  /** The send on which the plan first lets the address's email through. */
  const acceptedOn = (address: string): number => {
    let nth = 1;
    while (refusalOf(address, nth)) nth += 1;
    return nth;
  };

  let smtp: TestSmtpServer;
  let t: TestApp<NotifierConfig>;
  let addresses: string[];
  let deliveries: Delivery[];

  beforeAll(async () => {
    smtp = await startTestSmtpServer(0, { refuse: refusalOf });
    t = await startNotifier({ smtpUrl: smtp.url, delivery: settings });
    addresses = await publishAssignments(t, 'refusing', EVENTS);
    deliveries = await allSettled(t, 2 * EVENTS);
  }, 90_000);

  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('plays a seeded hour in which about 30% of sends are refused and no email needs all its attempts', () => {
    // The plan alone: fixed by the seed, so every run sees this hour.
    const needed = addresses.map(acceptedOn);
    const refusals = needed.reduce((n, k) => n + k - 1, 0);
    expect(refusals / (refusals + addresses.length)).toBeGreaterThan(0.25);
    expect(refusals / (refusals + addresses.length)).toBeLessThan(0.35);
    expect(Math.max(...needed)).toBeLessThan(settings.maxAttempts);
  });

  it('ends with every email sent and none dead or failed', () => {
    expect(countByStatus(deliveries)).toEqual({ sent: 2 * EVENTS });
    expect(deliveries.map((d) => d.recipient).sort()).toEqual([...addresses].sort());
  });

  it('has the server take every email exactly once, by Message-ID', () => {
    expect(smtp.received()).toHaveLength(deliveries.length);
    expect(deliveries.filter((d) => smtp.countOf(d.messageId) !== 1).map((d) => [d.recipient, smtp.countOf(d.messageId)])).toEqual([]);
  });

  it('spends one attempt on every refusal the worker saw, and on nothing else', () => {
    const refused = smtp.refused();
    expect(new Set(refused.map((r) => `${r.at} ${r.code}`))).toEqual(new Set(TRANSIENT.map((r) => `${r.at} ${r.code}`)));
    expect(refused).toHaveLength(addresses.reduce((n, a) => n + acceptedOn(a) - 1, 0));
    // A 421 on a reused pooled connection, before a byte of the message went out, reads to
    // nodemailer as a server that dropped an idle connection: the pool sends again on a fresh one
    // within the same attempt. Nothing was taken, so nothing can double. Every other refusal is
    // the worker's to retry, and costs it exactly one attempt.
    const reconnected = (address: string) => refused.filter((r) => r.address === address && r.at === 'rcpt' && r.code === 421 && r.mailOfConnection > 1).length;
    const expected = (d: Delivery) => acceptedOn(d.recipient) - reconnected(d.recipient);
    const mismatched = deliveries.filter((d) => smtp.rcptCount(d.recipient) !== acceptedOn(d.recipient) || d.attempts !== expected(d));
    expect(mismatched.map((d) => [d.recipient, smtp.rcptCount(d.recipient), acceptedOn(d.recipient), d.attempts, expected(d)])).toEqual([]);
  });

  it('leaves every delivery job completed as sent, BullMQ counting the attempts the log counts', async () => {
    await expect(jobsAgainstLog(t, deliveries)).resolves.toEqual({ mismatched: [], left: { failed: 0, delayed: 0, waiting: 0, active: 0 } });
  });
});
