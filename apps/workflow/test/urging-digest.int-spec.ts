import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createMessage, QueueName, SubmissionSubmitted, SubmissionUrged, type SubmissionSummary } from '@shanhai/contracts';
import { Clock, ManualClock, TokenService, type Principal } from '@shanhai/platform';
import { aSubmissionSummary, aSubmittedPayload, createTestApp, eventually, type TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule, entities, migrations } from '../src/app.module.js';
import type { WorkflowConfig } from '../src/config.js';
import { DIGEST_SCHEDULER_ID } from '../src/digest/digest.processor.js';
import { DigestService } from '../src/digest/digest.service.js';
import { seedDirectoryReplica } from './support/directory.js';

/** zone_plan with a 3-working-day first step, so tasks have due dates. */
const withLimits = {
  key: 'zone_plan',
  name: '经济开发区创建方案审批',
  steps: [
    { key: 'city_pre_review', name: '市商务局初审', reviewer: { kind: 'city_commerce_bureau' }, timeLimitBusinessDays: 3 },
    { key: 'province_review', name: '省商务厅审核', reviewer: { kind: 'organisation', code: 'zj-commerce' }, timeLimitBusinessDays: 5 },
  ],
};
/** 09:00 in China on a date. */
const chinaMorning = (date: string) => `${date}T01:00:00.000Z`;

describe('workflow: urging (催办)', () => {
  const clock = new ManualClock(chinaMorning('2026-09-30'));
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let queue: Queue;
  let admin: string;
  const sign = async (principal: Principal) => `Bearer ${(await t.app.get(TokenService).signAccess(principal)).token}`;
  const get = (url: string) => http.get(url).set('authorization', admin);
  const applicant = { userId: randomUUID(), name: '庆元县人民政府 李申报', county: { code: 'qingyuan', name: '庆元县' } };

  beforeAll(async () => {
    t = await createTestApp({ service: 'workflow', module: (config) => AppModule.forConfig(config), schema: { entities, migrations }, prepare: seedDirectoryReplica, clock });
    http = request(t.app.getHttpServer());
    queue = new Queue(QueueName.Workflow, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    admin = await sign({ userId: randomUUID(), username: 'admin', name: '系统管理员', role: 'admin' });
    await http.post('/definitions').set('authorization', admin).send(withLimits).expect(201);
  });

  afterAll(async () => {
    await queue?.close();
    await t?.close();
  });

  const send = async (message: { id: string; name: string }) => {
    await queue.add(message.name, message, { jobId: message.id });
    await eventually(() => queue.getJob(message.id), (j) => j?.finishedOn !== undefined);
  };
  async function submit(s: SubmissionSummary): Promise<{ id: string; instanceId: string }> {
    await send(createMessage(SubmissionSubmitted, aSubmittedPayload(s), { id: randomUUID(), occurredAt: clock.now(), correlationId: 'spec' }));
    const found = await eventually(() => get(`/tasks?submissionId=${s.submissionId}&status=pending`), (r) => r.body.items?.length === 1);
    return found.body.items[0];
  }
  const urge = (s: SubmissionSummary, urgedOn: string, note?: string) =>
    send(createMessage(SubmissionUrged, { submissionId: s.submissionId, revision: 1, urgedOn, by: applicant.name, actor: applicant, ...(note ? { note } : {}) }, { id: randomUUID(), occurredAt: clock.now(), correlationId: 'spec' }));
  const urgedMessages = (instanceId: string) =>
    t.app.get(DataSource).query<{ payload: Record<string, unknown> }[]>(
      `SELECT data->'payload' AS payload FROM outbox WHERE job_name = 'approval.urged' AND data->'payload'->>'instanceId' = $1 ORDER BY created_at`,
      [instanceId],
    );

  it('records the first urge of a working day in the audit and tells the assignees; a rest-day urge counts for the next working day', async () => {
    const s = aSubmissionSummary();
    const task = await submit(s);
    // Saturday Oct 3, National Day: counted for Thursday Oct 8, the first working day after the holiday.
    clock.set(chinaMorning('2026-10-03'));
    await urge(s, '2026-10-03', '项目落地时间紧，恳请尽快审核。');
    clock.set(chinaMorning('2026-10-08'));
    await urge(s, '2026-10-08');
    clock.set(chinaMorning('2026-10-09'));
    await urge(s, '2026-10-09');

    const audit = (await get(`/instances/${task.instanceId}/audit`).expect(200)).body as { action: string; actor: string; opinion: string | null; data: Record<string, unknown> }[];
    const urges = audit.filter((e) => e.action === 'urged');
    expect(urges.map((e) => e.data)).toEqual([
      expect.objectContaining({ urgedOn: '2026-10-03', workingDay: '2026-10-08', step: 0, round: 1, note: '项目落地时间紧，恳请尽快审核。' }),
      expect.objectContaining({ urgedOn: '2026-10-09', workingDay: '2026-10-09', step: 0, round: 1 }),
    ]);
    expect(urges[0]).toMatchObject({ actor: applicant.name, opinion: '项目落地时间紧，恳请尽快审核。' });

    const sent = await urgedMessages(task.instanceId);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.payload).toMatchObject({
      workingDay: '2026-10-08',
      urgedBy: applicant.name,
      note: '项目落地时间紧，恳请尽快审核。',
      steps: [{ taskId: task.id, step: { index: 0, name: '市商务局初审', organisation: { code: 'lishui-commerce' } }, dueOn: '2026-10-10' }],
    });
    // The urge changed nothing the rules decide on: the instance's version stays.
    const verify = await http.post('/admin/audit/verify').set('authorization', admin).send({});
    expect(verify.status).toBeLessThan(300);
  });

  it('drops an urge of a submission with no review or no longer under review', async () => {
    const s = aSubmissionSummary();
    await urge(s, '2026-10-09');
    const rows = await t.app.get(DataSource).query<{ n: number }[]>(`SELECT count(*)::int AS n FROM outbox WHERE job_name = 'approval.urged' AND data->'payload'->'submission'->>'submissionId' = $1`, [s.submissionId]);
    expect(rows[0]?.n).toBe(0);
  });
});

describe('workflow: the daily digest (每日待办)', () => {
  const clock = new ManualClock(chinaMorning('2026-09-30'));
  let t: TestApp<WorkflowConfig>;
  let replica: INestApplication;
  let queue: Queue;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp<WorkflowConfig>({ service: 'workflow', module: (config) => AppModule.forConfig(config), schema: { entities, migrations }, prepare: seedDirectoryReplica, clock });
    queue = new Queue(QueueName.Workflow, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    admin = `Bearer ${(await t.app.get(TokenService).signAccess({ userId: randomUUID(), username: 'admin', name: '系统管理员', role: 'admin' })).token}`;
    await request(t.app.getHttpServer()).post('/definitions').set('authorization', admin).send(withLimits).expect(201);
    // A second replica: the same database and queues, its own process state.
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forConfig(t.config)] }).overrideProvider(Clock).useValue(clock).compile();
    replica = moduleRef.createNestApplication();
    await replica.init();
  });

  afterAll(async () => {
    await replica?.close();
    await queue?.close();
    await t?.close();
  });

  const submit = async (s: SubmissionSummary) => {
    const message = createMessage(SubmissionSubmitted, aSubmittedPayload(s), { id: randomUUID(), occurredAt: clock.now(), correlationId: 'spec' });
    await queue.add(message.name, message, { jobId: message.id });
    return eventually(
      () => request(t.app.getHttpServer()).get(`/tasks?submissionId=${s.submissionId}&status=pending`).set('authorization', admin),
      (r) => r.body.items?.length === 1,
    ).then((r) => r.body.items[0] as { id: string; dueOn: string });
  };
  const digests = (date: string) =>
    t.app.get(DataSource).query<{ payload: { organisation: { code: string }; date: string; tasks: { taskId: string; title: string; dueOn?: string; overdue: boolean }[] } }[]>(
      `SELECT data->'payload' AS payload FROM outbox WHERE job_name = 'approval.digest' AND data->'payload'->>'date' = $1`,
      [date],
    );

  it('schedules one tick a day at DIGEST_TIME in Asia/Shanghai, whatever the replicas', async () => {
    const digestQueue = new Queue(QueueName.WorkflowDigest, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    try {
      const schedulers = await digestQueue.getJobSchedulers();
      expect(schedulers).toHaveLength(1);
      expect(schedulers[0]).toMatchObject({ key: DIGEST_SCHEDULER_ID, pattern: '30 8 * * *', tz: 'Asia/Shanghai' });
    } finally {
      await digestQueue.close();
    }
  });

  it('sends each organisation one digest of its pending tasks on a working day, with due dates and overdue marks, once across runs and replicas', async () => {
    const early = aSubmissionSummary();
    const late = aSubmissionSummary();
    const first = await submit(early);
    clock.set(chinaMorning('2026-10-09'));
    const second = await submit(late);
    expect([first.dueOn, second.dueOn]).toEqual(['2026-10-10', '2026-10-13']);

    // Monday Oct 12, 08:30 in China: the make-up Saturday Oct 10 has passed.
    clock.set('2026-10-12T00:30:00.000Z');
    const runs = await Promise.all([t.app.get(DigestService).run(), replica.get(DigestService).run()]);
    expect(runs.map((r) => r.sent).sort()).toEqual([0, 1]);
    await expect(t.app.get(DigestService).run()).resolves.toEqual({ date: '2026-10-12', sent: 0 });
    await expect(replica.get(DigestService).run()).resolves.toEqual({ date: '2026-10-12', sent: 0 });

    const sent = await digests('2026-10-12');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.payload.organisation.code).toBe('lishui-commerce');
    expect(sent[0]!.payload.tasks.filter((x) => [first.id, second.id].includes(x.taskId))).toEqual([
      expect.objectContaining({ taskId: first.id, title: early.title, dueOn: '2026-10-10', overdue: true }),
      expect.objectContaining({ taskId: second.id, title: late.title, dueOn: '2026-10-13', overdue: false }),
    ]);
  });

  it('sends none on a rest day (National Day, Oct 3)', async () => {
    clock.set('2026-10-03T00:30:00.000Z');
    await expect(t.app.get(DigestService).run()).resolves.toEqual({ date: '2026-10-03', skipped: 'not_a_working_day', sent: 0 });
    expect(await digests('2026-10-03')).toEqual([]);
  });
});
