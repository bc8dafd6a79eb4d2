import { startNotifier } from './support/notifier-app.js';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QueueName } from '@shanhai/contracts';
import { eventually, guardedOperationsMissing, type TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DEFAULT_DELIVERY, type DeliverySettings, type NotifierConfig } from '../src/config.js';
import { DeliveryProcessor } from '../src/deliveries/delivery.processor.js';
import type { Delivery } from '../src/deliveries/delivery.entity.js';
import { anAddress, bearer, planDelivery, rowOf } from './delivery-fixtures.js';
import { startTestSmtpServer, type TestSmtpServer } from './delivery-smtp-server.js';

const run = promisify(execFile);
const notifierRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const delivery: DeliverySettings = { maxAttempts: 3, retryBaseMs: 100, retryMaxMs: 1000, ratePerSecond: 37, breakerThreshold: 5, breakerCooldownMs: 60_000, claimLeaseSeconds: 120, concurrency: DEFAULT_DELIVERY.concurrency };
const tempFailure = { code: 451, message: '4.3.0 Mailbox temporarily unavailable, try again later' };
const permFailure = { code: 550, message: '5.1.1 Recipient address rejected: User unknown' };

describe('notifier: temporary failures, dead letters and re-drives, against a real SMTP server', () => {
  let smtp: TestSmtpServer;
  let t: TestApp<NotifierConfig>;
  let http: ReturnType<typeof request>;
  let admin: string;
  let deliveries: Queue;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    t = await startNotifier({ smtpUrl: smtp.url, delivery });
    http = request(t.app.getHttpServer());
    admin = await bearer(t);
    deliveries = new Queue(QueueName.NotifierDeliveries, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
  });

  afterAll(async () => {
    await deliveries.close();
    await t.close();
    await smtp.close();
  });

  const settled = (id: string, status: Delivery['status'], timeoutMs = 15_000) => eventually(() => rowOf(t, id), (row) => row?.status === status, timeoutMs);

  it('retries a recipient refused with 4xx, with backoff, and delivers it once when accepted', async () => {
    const to = anAddress('greylisted');
    smtp.script(to, tempFailure, tempFailure, 'accept');
    const planned = await planDelivery(t, to);

    const row = await settled(planned.id, 'sent');
    expect(row).toMatchObject({ status: 'sent', attempts: 3, lastError: null, deadReason: null, transport: smtp.url });
    expect(smtp.rcptCount(to)).toBe(3);
    expect(smtp.countOf(planned.messageId)).toBe(1);
    const job = await deliveries.getJob(planned.id);
    expect([job?.attemptsMade, job?.returnvalue]).toEqual([3, 'sent']);
  });

  it('makes a 5xx recipient a dead letter at once, with the reply as its reason, and never retries it', async () => {
    const to = anAddress('unknown');
    smtp.always(to, permFailure);
    const planned = await planDelivery(t, to);

    const row = await settled(planned.id, 'dead');
    expect(row).toMatchObject({ status: 'dead', attempts: 1, transport: smtp.url });
    expect(row?.deadReason).toMatch(/^550 5\.1\.1 Recipient address rejected: User unknown/);
    const job = await eventually(() => deliveries.getJob(planned.id), (j) => j?.finishedOn !== undefined);
    expect(await job?.getState()).toBe('failed');
    expect(job?.failedReason).toContain('550');
    expect(smtp.rcptCount(to)).toBe(1);
    expect(smtp.countOf(planned.messageId)).toBe(0);
  });

  it('re-drives a dead letter once the server accepts it: the same row and Message-ID, sent once', async () => {
    const to = anAddress('redriven');
    smtp.always(to, permFailure);
    const planned = await planDelivery(t, to);
    await settled(planned.id, 'dead');

    smtp.always(to, 'accept');
    const accepted = await http.post(`/deliveries/${planned.id}/redrive`).set('authorization', admin).expect(202);
    expect(accepted.body).toMatchObject({ id: planned.id, status: 'queued', messageId: planned.messageId, attempts: 1, redrives: 1, deadReason: null });

    const row = await settled(planned.id, 'sent');
    expect(row).toMatchObject({ attempts: 2, redrives: 1, messageId: planned.messageId });
    expect(smtp.countOf(planned.messageId)).toBe(1);
    expect(await deliveries.getJob(`${planned.id}:redrive:1`)).toMatchObject({ returnvalue: 'sent' });

    const again = await http.post(`/deliveries/${planned.id}/redrive`).set('authorization', admin).expect(409);
    expect(again.body).toMatchObject({ code: 'NOT_REDRIVABLE', deliveryStatus: 'sent', detail: expect.stringMatching(/was sent/) });
    expect(smtp.countOf(planned.messageId)).toBe(1);
  });

  it('fails a malformed delivery job at once, and still reads one queued before jobs had definitions', async () => {
    const planned = await planDelivery(t, anAddress('contract'));
    await settled(planned.id, 'sent');
    const malformed = `malformed-${planned.id}`;
    await deliveries.add('deliver@v1', { deliveryId: planned.id, recipient: planned.recipient }, { jobId: malformed, attempts: 5 });
    await deliveries.add('deliver', { deliveryId: planned.id }, { jobId: `legacy-${planned.id}` });

    const failed = await eventually(() => deliveries.getJob(malformed), (j) => j?.finishedOn !== undefined);
    expect(failed?.failedReason).toMatch(/^job malformed-.+: invalid deliver@v1: \(root\): Unrecognized key: "recipient"$/);
    // Unrecoverable: one attempt of the five, kept in the failed set.
    expect(failed?.attemptsMade).toBe(1);
    await expect(failed?.getState()).resolves.toBe('failed');
    const legacy = await eventually(() => deliveries.getJob(`legacy-${planned.id}`), (j) => j?.finishedOn !== undefined);
    expect(legacy?.returnvalue).toBe('already_sent');
    expect(smtp.countOf(planned.messageId)).toBe(1);
  });

  it('makes a delivery dead when its attempts run out, saying so', async () => {
    const to = anAddress('always-busy');
    smtp.always(to, tempFailure);
    const planned = await planDelivery(t, to);

    const row = await settled(planned.id, 'dead');
    expect(row).toMatchObject({ attempts: delivery.maxAttempts });
    expect(row?.deadReason).toMatch(/^gave up after attempt 3: .*451/);
    expect(smtp.rcptCount(to)).toBe(delivery.maxAttempts);
    expect(await (await deliveries.getJob(planned.id))?.getState()).toBe('failed');
  });

  it('re-drives every dead letter of a template at once, and answers 0 when none is left', async () => {
    const template = `spec.${randomUUID().slice(0, 8)}`;
    const planned = await Promise.all(['a', 'b'].map(async (label) => {
      const to = anAddress(`all-${label}`);
      smtp.always(to, permFailure);
      return planDelivery(t, to, { template });
    }));
    for (const p of planned) await settled(p.id, 'dead');

    for (const p of planned) smtp.always(p.recipient, 'accept');
    expect((await http.post(`/deliveries/redrive?template=${template}`).set('authorization', admin).expect(202)).body).toEqual({ redriven: 2 });
    for (const p of planned) await settled(p.id, 'sent');
    expect(planned.map((p) => smtp.countOf(p.messageId))).toEqual([1, 1]);
    expect((await http.post(`/deliveries/redrive?template=${template}`).set('authorization', admin).expect(202)).body).toEqual({ redriven: 0 });
  });

  it('re-drives the dead letters from the shell (`npm run notifier:redrive`), and exits 0 when there is none', async () => {
    const cli = path.join(notifierRoot, 'dist/redrive.js');
    if (!existsSync(cli)) throw new Error(`${cli} is missing: build apps/notifier first`);
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, NOTIFIER_DATABASE_URL: t.config.databaseUrl, LOG_FORMAT: 'json' };
    const template = `spec.${randomUUID().slice(0, 8)}`;
    const to = anAddress('shell');
    smtp.always(to, permFailure);
    const planned = await planDelivery(t, to, { template });
    await settled(planned.id, 'dead');

    smtp.always(to, 'accept');
    expect((await run(process.execPath, [cli, `--template=${template}`], { env })).stdout).toBe(`notifier: re-drove 1 dead delivery of ${template}\n`);
    await settled(planned.id, 'sent');
    expect(smtp.countOf(planned.messageId)).toBe(1);
    // The root script, as an operator runs it: nothing left to re-drive is no error.
    const none = await run('npm', ['run', '--silent', 'notifier:redrive', '--', `--template=${template}`], { cwd: path.resolve(notifierRoot, '../..'), env });
    expect(none.stdout).toBe(`notifier: re-drove 0 dead deliveries of ${template}\n`);
  }, 90_000);

  it('filters and pages the delivery log, dead letters with their reason', async () => {
    const submissionId = randomUUID();
    const refused = anAddress('log-refused');
    smtp.always(refused, permFailure);
    const dead = await planDelivery(t, refused, { submissionId });
    const sent = [await planDelivery(t, anAddress('log-1'), { submissionId }), await planDelivery(t, anAddress('log-2'), { submissionId })];
    await settled(dead.id, 'dead');
    for (const p of sent) await settled(p.id, 'sent');

    const get = (query: Record<string, string | number>) => http.get('/deliveries').query({ submissionId, ...query }).set('authorization', admin).expect(200);
    const onlyDead = (await get({ status: 'dead' })).body.items;
    expect(onlyDead).toEqual([
      expect.objectContaining({ id: dead.id, status: 'dead', attempts: 1, deadReason: expect.stringMatching(/^550 /), lastError: expect.stringContaining('550'), transport: smtp.url, messageId: dead.messageId }),
    ]);
    expect((await get({ recipient: sent[1]!.recipient.toUpperCase() })).body.items.map((d: { id: string }) => d.id)).toEqual([sent[1]!.id]);
    const all = (await get({})).body.items.map((d: { id: string }) => d.id);
    expect(all).toHaveLength(3);
    expect([...(await get({ limit: 2 })).body.items, ...(await get({ limit: 2, offset: 2 })).body.items].map((d: { id: string }) => d.id)).toEqual(all);
    const bad = await http.get('/deliveries').query({ status: 'lost', limit: 0 }).set('authorization', admin).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'status']);
  });

  it('answers 404 for an unknown delivery and 400 for a malformed id', async () => {
    await http.post(`/deliveries/${randomUUID()}/redrive`).set('authorization', admin).expect(404);
    await http.post('/deliveries/not-a-uuid/redrive').set('authorization', admin).expect(400);
  });

  it('lets admins alone read the log and re-drive, and covers every delivery operation', async () => {
    const reviewer = await bearer(t, 'reviewer');
    const cases = [
      { method: 'get', path: '/deliveries', url: '/deliveries', ok: 200 },
      { method: 'post', path: '/deliveries/redrive', url: '/deliveries/redrive?template=spec.none', ok: 202 },
      { method: 'post', path: '/deliveries/{id}/redrive', url: `/deliveries/${randomUUID()}/redrive`, ok: 404 },
    ] as const;
    for (const c of cases) {
      await http[c.method](c.url).expect(401);
      await http[c.method](c.url).set('authorization', reviewer).expect(403);
      await http[c.method](c.url).set('authorization', admin).expect(c.ok);
    }
    const document = (await http.get('/docs-json').expect(200)).body as Parameters<typeof guardedOperationsMissing>[0];
    const missing = guardedOperationsMissing(document, cases.map((c) => `${c.method} ${c.path}`));
    expect(missing.filter((op) => op.includes('/deliveries'))).toEqual([]);
  });

  it('gives the delivery worker the configured send rate and its jittered backoff', () => {
    const { worker } = t.app.get(DeliveryProcessor);
    expect(worker.opts.limiter).toEqual({ max: delivery.ratePerSecond, duration: 1000 });
    expect(worker.isRunning()).toBe(true);
    const strategy = worker.opts.settings?.backoffStrategy;
    for (const attempt of [1, 2, 3]) {
      const wait = strategy?.(attempt) as number;
      expect(wait).toBeGreaterThanOrEqual(0.5 * delivery.retryBaseMs * 2 ** (attempt - 1));
      expect(wait).toBeLessThanOrEqual(Math.min(delivery.retryMaxMs, 1.5 * delivery.retryBaseMs * 2 ** (attempt - 1)));
    }
  });
});
