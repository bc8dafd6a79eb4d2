import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ApprovalApproved,
  ApprovalStarted,
  createMessage,
  parseMessage,
  QueueName,
  TaskAssigned,
  type AnyMessage,
  type AnyMessageDefinition,
  type SubmissionSummary,
} from '@shanhai/contracts';
import { createTestApp, type TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule, entities, migrations } from '../src/app.module.js';

const qingyuan = {
  zoneName: '浙江庆元经济开发区',
  countyCode: 'qingyuan',
  contact: { name: '庆元县商务局 李明', email: 'liming@qingyuan.example' },
  stakeholders: [{ name: '柯桥经济技术开发区', email: 'keqiao-zone@shanhai.example' }],
};

async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('intake: zone plans', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let dataSource: DataSource;
  let workflowQueue: Queue;
  let intakeQueue: Queue;

  beforeAll(async () => {
    t = await createTestApp({ service: 'intake', module: (config) => AppModule.forConfig(config), schema: { entities, migrations } });
    http = request(t.app.getHttpServer());
    dataSource = t.app.get(DataSource);
    const open = (name: string) => new Queue(name, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    workflowQueue = open(QueueName.Workflow);
    intakeQueue = open(QueueName.Intake);
  });

  afterAll(async () => {
    await workflowQueue.close();
    await intakeQueue.close();
    await t.close();
  });

  const count = async (table: string) => (await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n;

  it('stores a plan and hands submission.submitted to the workflow queue', async () => {
    const created = await http.post('/zone-plans').send(qingyuan).expect(201);
    expect(created.body).toMatchObject({ zoneName: '浙江庆元经济开发区', county: { name: '庆元县' }, city: { name: '丽水市' }, status: 'submitted', revision: 1 });
    const jobs = await eventually(() => workflowQueue.getJobs(['waiting']), (j) => j.length > 0);
    const message = parseMessage(jobs[0]?.data);
    expect(message.name).toBe('submission.submitted');
    expect(message.payload).toMatchObject({ submissionId: created.body.id, title: '浙江庆元经济开发区', applicant: qingyuan.contact });
    expect(jobs[0]?.id).toBe(message.id);
  });

  it('refuses a bad plan with every problem listed, and stores nothing', async () => {
    const before = [await count('submissions'), await count('outbox')];
    const response = await http
      .post('/zone-plans')
      .send({ zoneName: '', countyCode: 'Qingyuan!', contact: { name: '李明', email: 'not-an-email' }, stakeholders: [{ name: 'x', email: 'y' }], owner: 'me' })
      .expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', instance: '/zone-plans' });
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['contact.email', 'countyCode', 'owner', 'stakeholders.0.email', 'zoneName'].sort(),
    );
    expect([await count('submissions'), await count('outbox')]).toEqual(before);
  });

  it('refuses a county that is not one of the mountain counties', async () => {
    const response = await http.post('/zone-plans').send({ ...qingyuan, countyCode: 'keqiao' }).expect(400);
    expect(response.body.errors).toEqual([{ field: 'countyCode', message: 'keqiao is not one of the mountain counties' }]);
  });

  it('refuses a body over the size limit and malformed JSON as problems', async () => {
    const huge = await http.post('/zone-plans').send({ ...qingyuan, zoneName: 'x'.repeat(300_000) }).expect(413);
    expect(huge.headers['content-type']).toMatch(/^application\/problem\+json/);
    await http.post('/zone-plans').set('content-type', 'application/json').send('{"zoneName":').expect(400);
  });

  it('answers 404 for an unknown plan and 400 for a malformed id', async () => {
    const missing = await http.get(`/zone-plans/${randomUUID()}`).expect(404);
    expect(missing.body).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    await http.get('/zone-plans/not-a-uuid').expect(400);
  });

  it("follows workflow's events to approved, recording each once however often it is delivered", async () => {
    const created = await http.post('/zone-plans').send(qingyuan).expect(201);
    const summary: SubmissionSummary = {
      submissionId: created.body.id,
      kind: 'zone_plan',
      revision: 1,
      title: qingyuan.zoneName,
      county: { code: 'qingyuan', name: '庆元县' },
      city: { code: 'lishui', name: '丽水市' },
      applicant: qingyuan.contact,
      stakeholders: qingyuan.stakeholders,
    };
    const ref = { instanceId: randomUUID(), submission: summary, definition: { key: 'zone_plan', version: 1 } };
    const step = { index: 0, key: 'city_pre_review', name: '市商务局初审', organisation: { code: 'lishui-commerce', name: '丽水市商务局', email: 'l@shanhai.example' } };
    const send = async <D extends AnyMessageDefinition>(d: D, payload: Parameters<typeof createMessage<D>>[1]): Promise<AnyMessage> => {
      const message = createMessage(d, payload, { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
      await intakeQueue.add(message.name, message, { jobId: message.id });
      return message;
    };
    await send(ApprovalStarted, { ...ref, stepCount: 3 });
    await send(TaskAssigned, { ...ref, taskId: randomUUID(), step, stepCount: 3 });
    const inReview = await eventually(() => http.get(`/zone-plans/${created.body.id}`), (r) => r.body.currentStep !== null);
    expect(inReview.body).toMatchObject({ status: 'in_review', currentStep: { index: 0, name: '市商务局初审', organisation: '丽水市商务局', of: 3 } });

    const approved = await send(ApprovalApproved, { ...ref, taskId: randomUUID(), step: { ...step, index: 2 }, decidedBy: '省政府 审批人', opinion: '同意' });
    // The same message again, as after a crash between the effect and the acknowledgement.
    await intakeQueue.add(approved.name, approved, { jobId: `redelivery-${approved.id}` });
    const done = await eventually(() => http.get(`/zone-plans/${created.body.id}`), (r) => r.body.status === 'approved');
    expect(done.body.status).toBe('approved');
    await eventually(() => intakeQueue.getJobCounts('completed'), (c) => (c.completed ?? 0) >= 4);
    expect(done.body.timeline.map((e: { event: string }) => e.event)).toEqual(['submitted', 'review_started', 'step_assigned', 'approved']);
    const final = await http.get(`/zone-plans/${created.body.id}`);
    expect(final.body.timeline).toHaveLength(4);
  });
});
