import { adminBearer, startNotifier } from './support/notifier-app.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { createMessage, QueueName, TaskAssigned, type SubmissionSummary } from '@shanhai/contracts';
import { TokenService, type Principal } from '@shanhai/platform';
import { eventually, type TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { NotifierConfig } from '../src/config.js';
import { ReconcilerService } from '../src/reconciler/reconciler.service.js';
import { loadConfig, reconcilerSettingsOf } from '../src/config.js';

const HOURS_AGO = "now() - interval '2 hours'";

describe('notifier: reconciling each event with its deliveries', () => {
  let t: TestApp<NotifierConfig>;
  let http: ReturnType<typeof request>;
  let dataSource: DataSource;
  let reconciler: ReconcilerService;
  let admin: string;

  beforeAll(async () => {
    // No SMTP server: whatever is planned here stays unsent.
    t = await startNotifier();
    http = request(t.app.getHttpServer());
    dataSource = t.app.get(DataSource);
    reconciler = t.app.get(ReconcilerService);
    admin = await adminBearer(t);
  });

  afterAll(async () => {
    await t.close();
  });

  /** An event as plan() records it, received `at`, with deliveries in the given statuses (created and last changed then too). */
  const seed = async (statuses: string[], options: { at?: string; planned?: number } = {}) => {
    const at = options.at ?? HOURS_AGO;
    const eventId = randomUUID();
    const submissionId = randomUUID();
    await dataSource.query(`INSERT INTO notified_events (event_id, event_name, submission_id, received_at, planned) VALUES ($1, 'approval.task_assigned', $2, ${at}, $3)`, [
      eventId,
      submissionId,
      options.planned ?? statuses.length,
    ]);
    for (const [i, status] of statuses.entries()) {
      await dataSource.query(
        `INSERT INTO deliveries (id, event_id, event_name, submission_id, recipient, recipient_name, template, subject, text, html, message_id, status, attempts, sent_at, created_at, updated_at)
         VALUES ($1, $2, 'approval.task_assigned', $3, $4, '收件人', $5, 's', 't', '<p>h</p>', $6, $7, 0, ${status === 'sent' ? at : 'NULL'}, ${at}, ${at})`,
        [randomUUID(), eventId, submissionId, `r${i}-${eventId.slice(0, 8)}@shanhai.example`, i ? 'task_assigned.reviewer' : 'task_assigned.applicant', `<${randomUUID()}@test>`, status],
      );
    }
    return eventId;
  };

  it('reads its timing from the environment, with defaults of 900 s and 60 s', () => {
    expect(reconcilerSettingsOf(loadConfig({}))).toEqual({ afterSeconds: 900, everySeconds: 60 });
    expect(reconcilerSettingsOf(loadConfig({ NOTIFIER_RECONCILE_AFTER_SECONDS: '120', NOTIFIER_RECONCILE_EVERY_SECONDS: '5' }))).toEqual({ afterSeconds: 120, everySeconds: 5 });
    expect(() => loadConfig({ NOTIFIER_RECONCILE_AFTER_SECONDS: '0' })).toThrow('NOTIFIER_RECONCILE_AFTER_SECONDS');
  });

  it('reports an overdue event with a stuck or missing delivery, and not one fully sent, nor one still in time', async () => {
    const stuck = await seed(['sent', 'queued']);
    const missing = await seed([], { planned: 2 });
    const partly = await seed(['sent'], { planned: 2 });
    const sent = await seed(['sent', 'sent']);
    const givenUp = await seed(['sent', 'dead']);
    const recent = await seed(['queued'], { at: 'now()' });
    const mutedAll = await seed([], { planned: 0 });
    const warn = jest.spyOn((reconciler as unknown as { logger: Logger }).logger, 'warn').mockImplementation(() => undefined);
    try {
      const overdue = await reconciler.check();
      const ids = overdue!.map((e) => e.eventId);
      expect(ids).toEqual(expect.arrayContaining([stuck, missing, partly]));
      for (const id of [sent, givenUp, recent, mutedAll]) expect(ids).not.toContain(id);
      expect(overdue!.find((e) => e.eventId === stuck)!.deliveries.map((d) => `${d.template}:${d.status}`)).toEqual(['task_assigned.applicant:sent', 'task_assigned.reviewer:queued']);
      // One warning per overdue event, naming it and what is stuck.
      const warned = warn.mock.calls.map(([message]) => String(message));
      for (const id of [stuck, missing, partly]) expect(warned.filter((m) => m.includes(id))).toHaveLength(1);
      expect(warned.find((m) => m.includes(stuck))).toContain('task_assigned.reviewer to r1-');
      // Warned once per period: the next check lists them again, but does not warn again yet.
      warn.mockClear();
      expect((await reconciler.check())!.map((e) => e.eventId)).toEqual(expect.arrayContaining([stuck, missing, partly]));
      expect(warn.mock.calls.filter(([m]) => [stuck, missing, partly].some((id) => String(m).includes(id)))).toEqual([]);
    } finally {
      warn.mockRestore();
    }
    // The events whose deliveries are all final are done with; the others stay open.
    const rows = await dataSource.query<{ event_id: string; reconciled: boolean }[]>('SELECT event_id, reconciled_at IS NOT NULL AS reconciled FROM notified_events');
    const reconciled = new Map(rows.map((r) => [r.event_id, r.reconciled]));
    expect([sent, givenUp, mutedAll].map((id) => reconciled.get(id))).toEqual([true, true, true]);
    expect([stuck, missing, partly, recent].map((id) => reconciled.get(id))).toEqual([false, false, false, false]);

    // Once the stuck delivery is sent (or given up on as dead), the event is reconciled.
    await dataSource.query(`UPDATE deliveries SET status = 'sent', sent_at = now() WHERE event_id = $1`, [stuck]);
    expect((await reconciler.check())!.map((e) => e.eventId)).not.toContain(stuck);
  });

  it('counts the overdue events in shanhai_notifier_unreconciled_events', async () => {
    const expected = await reconciler.countOverdue();
    expect(expected).toBeGreaterThan(0);
    const metrics = await http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(new RegExp(`^shanhai_notifier_unreconciled_events\\{service="notifier"\\} ${expected}$`, 'm'));
  });

  it('lists the overdue events with their deliveries to admins only', async () => {
    const stuck = await seed(['failed', 'sending']);
    const list = await http.get('/admin/reconciliation').set('authorization', admin).expect(200);
    expect(list.body.afterSeconds).toBe(900);
    const item = list.body.items.find((e: { eventId: string }) => e.eventId === stuck);
    expect(item).toMatchObject({ event: 'approval.task_assigned', planned: 2, receivedAt: expect.any(String) });
    expect(item.deliveries.map((d: { status: string }) => d.status)).toEqual(['failed', 'sending']);
    await http.get('/admin/reconciliation').expect(401);
    const reviewer: Principal = { userId: randomUUID(), username: 'lishui-commerce', name: '丽水市商务局', role: 'reviewer', organisation: 'lishui-commerce', email: 'lishui-commerce@shanhai.example' };
    await http.get('/admin/reconciliation').set('authorization', `Bearer ${(await t.app.get(TokenService).signAccess(reviewer)).token}`).expect(403);
  });

  it('runs one check at a time across replicas', async () => {
    // Another replica holds the lock: this one skips its run.
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query("SELECT pg_advisory_xact_lock(hashtext('shanhai.notifier.reconcile'))");
      await expect(reconciler.check()).resolves.toBeUndefined();
      await runner.rollbackTransaction();
      await expect(reconciler.check()).resolves.toEqual(expect.any(Array));
    } finally {
      await runner.release();
    }
  });

  it('records each event the notifier plans, so one stuck after delivery is reported', async () => {
    const s: SubmissionSummary = {
      submissionId: randomUUID(),
      kind: 'zone_plan',
      revision: 1,
      title: '浙江遂昌经济开发区',
      county: { code: 'suichang', name: '遂昌县' },
      city: { code: 'lishui', name: '丽水市' },
      applicant: { name: '遂昌县人民政府', email: `suichang-${randomUUID().slice(0, 8)}@shanhai.example` },
      stakeholders: [],
    };
    const step = { index: 0, key: 'city_pre_review', name: '市商务局初审', organisation: { code: 'lishui-commerce', name: '丽水市商务局', email: 'lishui-commerce@shanhai.example' } };
    const message = createMessage(
      TaskAssigned,
      { instanceId: randomUUID(), submission: s, definition: { key: 'zone_plan', version: 1 }, taskId: randomUUID(), step, stepCount: 3 },
      { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' },
    );
    const queue = new Queue(QueueName.Notifier, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    try {
      await queue.add(message.name, message, { jobId: message.id });
    } finally {
      await queue.close();
    }
    const [event] = await eventually(
      () => dataSource.query<{ event_name: string; submission_id: string; planned: number }[]>('SELECT event_name, submission_id, planned FROM notified_events WHERE event_id = $1', [message.id]),
      (rows) => rows.length === 1,
    );
    expect(event).toEqual({ event_name: 'approval.task_assigned', submission_id: s.submissionId, planned: 2 });
    expect(await reconciler.overdue()).not.toContainEqual(expect.objectContaining({ eventId: message.id }));
    // Later, nothing has reached the SMTP server: overdue.
    await dataSource.query(`UPDATE notified_events SET received_at = ${HOURS_AGO} WHERE event_id = $1`, [message.id]);
    const overdue = (await reconciler.overdue()).find((e) => e.eventId === message.id);
    expect(overdue?.deliveries.map((d) => d.template).sort()).toEqual(['task_assigned.applicant', 'task_assigned.reviewer']);
  });
});
