import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMessage, QueueName, SubmissionSubmitted, SubmissionUrged, type SubmissionSummary } from '@shanhai/contracts';
import { ManualClock, TokenService, type Principal } from '@shanhai/platform';
import { aSubmissionSummary, aSubmittedPayload, createTestApp, eventually, type TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule, entities, migrations } from '../src/app.module.js';
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
