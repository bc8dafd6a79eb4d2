import { startNotifier } from './support/notifier-app.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QueueName } from '@shanhai/contracts';
import { eventually, type TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import type { DeliverySettings, NotifierConfig } from '../src/config.js';
import type { Delivery } from '../src/deliveries/delivery.entity.js';
import { Mailer } from '../src/deliveries/mailer.js';
import { startSmtpOutage, type SmtpOutage } from './delivery-smtp-outage.js';
import { startTestSmtpServer, type TestSmtpServer } from './delivery-smtp-server.js';
import { allSettled, badHourSettings, countByStatus, jobsAgainstLog, publishAssignments } from './delivery-traffic.js';

/** The attempts the deliveries spent beyond their first. */
const retries = (all: readonly Delivery[]) => all.reduce((n, d) => n + d.attempts - 1, 0);

const refusedAtLeast = (link: SmtpOutage, n: number) => eventually(() => Promise.resolve(link.refusedConnections), (refused) => refused >= n, 30_000);

describe('notifier: a bad hour of SMTP, the server down for longer than the cool-down', () => {
  const EVENTS = 60;
  const SENT_BEFORE = 30;
  // One send at a time: with several in flight when the server goes, each of them is an attempt
  // made while the circuit was closed (up to threshold + concurrency - 1 of them), and the count
  // below could not tell those from an attempt spent on a failed trial. The bad-hour spec runs the
  // worker at its default concurrency.
  const settings: DeliverySettings = { ...badHourSettings, concurrency: 1 };
  let smtp: TestSmtpServer;
  let link: SmtpOutage;
  let t: TestApp<NotifierConfig>;
  let addresses: string[];
  let deliveries: Delivery[];
  let pendingAtOutage: number;
  let circuitDuringOutage: string | undefined;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    link = await startSmtpOutage(smtp.port);
    t = await startNotifier({ smtpUrl: link.url, delivery: settings });
    const queue = new Queue(QueueName.NotifierDeliveries, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    try {
      addresses = await publishAssignments(t, 'outage', EVENTS);
      await eventually(() => Promise.resolve(smtp.received().length), (n) => n >= SENT_BEFORE, 30_000);
      // The server goes away between two sends (the worker held for the switch), so that every
      // send that fails below is one the link refused.
      await queue.pause();
      await eventually(() => queue.getActiveCount(), (n) => n === 0);
      link.down();
      pendingAtOutage = 2 * EVENTS - smtp.received().length;
      await queue.resume();
      // Longer than the cool-down: the circuit opened, and two trials, each after a cool-down,
      // failed. The outage is measured in refused trials, not in milliseconds.
      await refusedAtLeast(link, settings.breakerThreshold + 2);
      circuitDuringOutage = t.app.get(Mailer).circuits()[0]?.state;
      link.up();
      deliveries = await allSettled(t, 2 * EVENTS);
    } finally {
      await queue.close();
    }
  }, 90_000);

  afterAll(async () => {
    await t.close();
    await link.close();
    await smtp.close();
  });

  it('ends with every email sent exactly once and none dead', () => {
    expect(pendingAtOutage).toBeGreaterThan(settings.breakerThreshold + 2);
    expect(countByStatus(deliveries)).toEqual({ sent: 2 * EVENTS });
    expect(deliveries.map((d) => d.recipient).sort()).toEqual([...addresses].sort());
    expect(smtp.received()).toHaveLength(deliveries.length);
    expect(deliveries.filter((d) => smtp.countOf(d.messageId) !== 1).map((d) => d.recipient)).toEqual([]);
  });

  it('spends attempts only on the sends that opened the circuit: none on one that found it open, none on a failed trial', () => {
    expect(circuitDuringOutage).not.toBe('closed');
    expect(link.refusedConnections).toBeGreaterThanOrEqual(settings.breakerThreshold + 2);
    expect(retries(deliveries)).toBe(settings.breakerThreshold);
    expect(Math.max(...deliveries.map((d) => d.attempts))).toBeLessThan(settings.maxAttempts);
    expect(t.app.get(Mailer).circuits()).toEqual([{ transport: link.url, state: 'closed', failures: 0 }]);
  });

  it('leaves every delivery job completed as sent, BullMQ counting the attempts the log counts', async () => {
    await expect(jobsAgainstLog(t, deliveries)).resolves.toEqual({ mismatched: [], left: { failed: 0, delayed: 0, waiting: 0, active: 0 } });
  });
});

describe('notifier: a bad hour of SMTP, the server down for more trials than an email has attempts', () => {
  // Little mail and a long outage: the same two emails are every trial. A short cool-down makes
  // many trials quick; the settings are otherwise the bad hour's, one send at a time as above (two
  // emails in flight together may both fail while the circuit is still closed: threshold + 1).
  const settings: DeliverySettings = { ...badHourSettings, breakerCooldownMs: 100, concurrency: 1 };
  let smtp: TestSmtpServer;
  let link: SmtpOutage;
  let t: TestApp<NotifierConfig>;
  let addresses: string[];
  let deliveries: Delivery[];

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    link = await startSmtpOutage(smtp.port);
    link.down();
    t = await startNotifier({ smtpUrl: link.url, delivery: settings });
    addresses = await publishAssignments(t, 'long-outage', 1);
    // More refused sends than both emails' attempts together: had each failed trial cost an
    // attempt, both would be dead by now.
    await refusedAtLeast(link, settings.breakerThreshold + 2 * settings.maxAttempts);
    link.up();
    deliveries = await allSettled(t, 2);
  }, 90_000);

  afterAll(async () => {
    await t.close();
    await link.close();
    await smtp.close();
  });

  it('sends both emails once the server is back, neither dead, the failed trials costing no attempt', async () => {
    expect(countByStatus(deliveries)).toEqual({ sent: 2 });
    expect(deliveries.map((d) => smtp.countOf(d.messageId))).toEqual([1, 1]);
    expect(deliveries.map((d) => d.recipient).sort()).toEqual([...addresses].sort());
    expect(link.refusedConnections).toBeGreaterThanOrEqual(settings.breakerThreshold + 2 * settings.maxAttempts);
    expect(retries(deliveries)).toBe(settings.breakerThreshold);
    await expect(jobsAgainstLog(t, deliveries)).resolves.toEqual({ mismatched: [], left: { failed: 0, delayed: 0, waiting: 0, active: 0 } });
  });
});
