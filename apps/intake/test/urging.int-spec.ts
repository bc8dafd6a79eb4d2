import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApprovalStarted, createMessage, parseMessage, QueueName, type AnyMessage } from '@shanhai/contracts';
import { attachmentKinds, chinaDate } from '@shanhai/domain';
import { aQingyuanSummary, eventually, type TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import type { IntakeConfig } from '../src/config.js';
import { qingyuanEventExample } from '../src/promotion-events/dto/promotion-event.request.js';
import { qingyuanPlanExample } from '../src/submissions/dto/zone-plan.request.js';
import { bearer, startIntake } from './support/intake-app.js';
import { samplePdf } from './support/samples.js';

describe('intake: urging a step under review (催办)', () => {
  let t: TestApp<IntakeConfig>;
  let http: ReturnType<typeof request>;
  let workflowQueue: Queue;
  let intakeQueue: Queue;
  const as: Record<string, string> = {};

  beforeAll(async () => {
    t = await startIntake();
    http = request(t.app.getHttpServer());
    const open = (name: string) => new Queue(name, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    workflowQueue = open(QueueName.Workflow);
    intakeQueue = open(QueueName.Intake);
    for (const user of ['qingyuan', 'suichang', 'lishui-commerce']) as[user] = await bearer(t, user);
  });

  afterAll(async () => {
    await workflowQueue?.close();
    await intakeQueue?.close();
    await t?.close();
  });

  /** A plan submitted and under review, as workflow's approval.started makes it. */
  const planUnderReview = async (): Promise<string> => {
    const { id } = (await http.post('/zone-plans').set('authorization', as.qingyuan!).send(qingyuanPlanExample).expect(201)).body as { id: string };
    for (const kind of attachmentKinds) {
      await http.post(`/zone-plans/${id}/attachments`).set('authorization', as.qingyuan!).field('kind', kind).attach('file', samplePdf(kind), `${kind}.pdf`).expect(201);
    }
    await http.post(`/zone-plans/${id}/submit`).set('authorization', as.qingyuan!).expect(200);
    const started = createMessage(
      ApprovalStarted,
      { instanceId: randomUUID(), submission: aQingyuanSummary({ submissionId: id }), definition: { key: 'zone_plan', version: 1 }, stepCount: 3 },
      { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' },
    );
    await intakeQueue.add(started.name, started, { jobId: started.id });
    await eventually(() => http.get(`/zone-plans/${id}`).set('authorization', as.qingyuan!), (r) => r.body.status === 'in_review');
    return id;
  };

  it('urges once a day: the outbox carries submission.urged, the timeline shows it, a second urge is refused', async () => {
    const id = await planUnderReview();
    const urged = await http.post(`/zone-plans/${id}/urge`).set('authorization', as.qingyuan!).send({ note: '项目落地时间紧，恳请尽快审核。' }).expect(200);
    expect(urged.body).toMatchObject({ submissionId: id, revision: 1, urgedOn: chinaDate(new Date()), note: '项目落地时间紧，恳请尽快审核。' });

    const isUrge = (x: { data: unknown }) => (x.data as AnyMessage).name === 'submission.urged' && JSON.stringify(x.data).includes(id);
    const jobs = await eventually(() => workflowQueue.getJobs(['waiting']), (j) => j.some(isUrge));
    expect(parseMessage(jobs.find(isUrge)?.data).payload).toEqual({
      submissionId: id,
      revision: 1,
      urgedOn: urged.body.urgedOn,
      note: '项目落地时间紧，恳请尽快审核。',
      by: expect.any(String),
      actor: { userId: expect.any(String), name: expect.any(String), county: { code: 'qingyuan', name: '庆元县' } },
    });
    const timeline = await http.get(`/zone-plans/${id}/timeline`).set('authorization', as.qingyuan!).expect(200);
    expect(timeline.body.items.at(-1)).toMatchObject({ event: 'urged', summary: '申请人催办', opinion: '项目落地时间紧，恳请尽快审核。', actor: expect.any(String) });

    const again = await http.post(`/zone-plans/${id}/urge`).set('authorization', as.qingyuan!).expect(409);
    expect(again.body).toMatchObject({ code: 'ALREADY_URGED', urgedOn: urged.body.urgedOn });
    // Refused whole: no second message, no second line.
    const after = await workflowQueue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
    expect(after.filter(isUrge)).toHaveLength(1);
    const lines = await http.get(`/zone-plans/${id}/timeline`).set('authorization', as.qingyuan!).expect(200);
    expect(lines.body.items.filter((e: { event: string }) => e.event === 'urged')).toHaveLength(1);
  });

  it('refuses to urge a submission that is not under review (422), and hides it from other counties', async () => {
    const { id } = (await http.post('/promotion-events').set('authorization', as.qingyuan!).send(qingyuanEventExample).expect(201)).body as { id: string };
    const draft = await http.post(`/promotion-events/${id}/urge`).set('authorization', as.qingyuan!).expect(422);
    expect(draft.body).toMatchObject({ code: 'NOT_UNDER_REVIEW', submissionStatus: 'draft' });
    await http.post(`/promotion-events/${id}/urge`).set('authorization', as.suichang!).expect(404);
    // A plan's urge path does not take an event's id.
    await http.post(`/zone-plans/${id}/urge`).set('authorization', as.qingyuan!).expect(404);
    await http.post(`/promotion-events/${id}/urge`).set('authorization', as.qingyuan!).send({ note: 'x'.repeat(501) }).expect(400);
  });
});
