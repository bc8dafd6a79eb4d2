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
import { TokenService, type Principal } from '@shanhai/platform';
import type { TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { IntakeConfig } from '../src/config.js';
import { qingyuanReportExample } from '../src/promotion-events/dto/event-report.request.js';
import { qingyuanEventExample } from '../src/promotion-events/dto/promotion-event.request.js';
import { startIntake } from './support/intake-app.js';
import { eventually } from '@shanhai/platform/testing';


const principals: Record<string, Omit<Principal, 'userId'>> = {
  qingyuan: { username: 'qingyuan', name: '庆元县人民政府', role: 'applicant', county: 'qingyuan' },
  suichang: { username: 'suichang', name: '遂昌县人民政府', role: 'applicant', county: 'suichang' },
  'lishui-commerce': { username: 'lishui-commerce', name: '丽水市商务局 审核员', role: 'reviewer', organisation: 'lishui-commerce' },
};

describe('intake: investment-promotion events', () => {
  let t: TestApp<IntakeConfig>;
  let http: ReturnType<typeof request>;
  let dataSource: DataSource;
  let workflowQueue: Queue;
  let intakeQueue: Queue;
  const as: Record<string, string> = {};

  beforeAll(async () => {
    t = await startIntake();
    http = request(t.app.getHttpServer());
    dataSource = t.app.get(DataSource);
    const open = (name: string) => new Queue(name, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    workflowQueue = open(QueueName.Workflow);
    intakeQueue = open(QueueName.Intake);
    const tokens = t.app.get(TokenService);
    for (const [username, principal] of Object.entries(principals)) {
      const [user] = await dataSource.query<{ id: string }[]>('SELECT id FROM users WHERE username = $1', [username]);
      as[username] = `Bearer ${(await tokens.signAccess({ userId: user?.id ?? randomUUID(), ...principal })).token}`;
    }
  });

  afterAll(async () => {
    await workflowQueue?.close();
    await intakeQueue?.close();
    await t?.close();
  });

  const count = async (table: string) => (await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n;
  const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field).sort();
  const draft = async (body: object = qingyuanEventExample) =>
    (await http.post('/promotion-events').set('authorization', as.qingyuan!).send(body).expect(201)).body as { id: string; version: number };
  const submitted = async () => {
    const { id } = await draft();
    await http.post(`/promotion-events/${id}/submit`).set('authorization', as.qingyuan!).expect(200);
    return id;
  };
  const report = (id: string, body: object, user = 'qingyuan') => http.put(`/promotion-events/${id}/report`).set('authorization', as[user]!).send(body);

  /** Feeds workflow's approval of the event to the intake queue, as workflow's outbox relay would. */
  async function approve(id: string): Promise<void> {
    const summary: SubmissionSummary = {
      submissionId: id,
      kind: 'promotion_event',
      revision: 1,
      title: qingyuanEventExample.title,
      county: { code: 'qingyuan', name: '庆元县' },
      city: { code: 'lishui', name: '丽水市' },
      applicant: { name: qingyuanEventExample.contact.name, email: qingyuanEventExample.contact.email },
      stakeholders: [],
      hostOrganisation: 'lishui-commerce',
    };
    const ref = { instanceId: randomUUID(), submission: summary, definition: { key: 'promotion_event', version: 1 } };
    const step = { index: 0, key: 'host_review', name: '主办单位审核', organisation: { code: 'lishui-commerce', name: '丽水市商务局', email: 'lishui-commerce@shanhai.example' } };
    const office = { index: 1, key: 'office_approval', name: '省商务厅办公室审批', organisation: { code: 'zj-commerce-office', name: '浙江省商务厅办公室', email: 'zj-commerce-office@shanhai.example' } };
    const send = async <D extends AnyMessageDefinition>(d: D, payload: Parameters<typeof createMessage<D>>[1]): Promise<AnyMessage> => {
      const message = createMessage(d, payload, { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
      await intakeQueue.add(message.name, message, { jobId: message.id });
      return message;
    };
    await send(ApprovalStarted, { ...ref, stepCount: 2 });
    await send(TaskAssigned, { ...ref, taskId: randomUUID(), step, stepCount: 2 });
    await send(ApprovalApproved, { ...ref, taskId: randomUUID(), step: office, decidedBy: '省商务厅办公室 审批人', opinion: '同意举办' });
    await eventually(() => http.get(`/promotion-events/${id}`).set('authorization', as.qingyuan!), (r) => r.body.status === 'approved');
  }

  /** Time passes: the event's day is behind us (its content is frozen once submitted, so only the database can move it). */
  const holdEvent = (id: string, date = '2022-06-29') =>
    dataSource.query(`UPDATE submissions SET content = jsonb_set(content, '{date}', to_jsonb($2::text)) WHERE id = $1`, [id, date]);

  it("drafts the documented example for the applicant's own county", async () => {
    const created = await http.post('/promotion-events').set('authorization', as.qingyuan!).send(qingyuanEventExample).expect(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      revision: 0,
      county: { code: 'qingyuan', name: '庆元县' },
      city: { code: 'lishui', name: '丽水市' },
      ...qingyuanEventExample,
    });
    const read = await http.get(`/promotion-events/${created.body.id}`).set('authorization', as.qingyuan!).expect(200);
    expect(read.headers.etag).toBe(`"${read.body.version}"`);
    expect(read.body.title).toBe('山海协作·庆元生态工业产业链招商推介会');
  });

  it('refuses an unknown field, storing nothing', async () => {
    const before = [await count('submissions'), await count('outbox')];
    const response = await http.post('/promotion-events').set('authorization', as.qingyuan!).send({ ...qingyuanEventExample, organiser: '我' }).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'organiser', message: 'unknown field' }] });
    expect([await count('submissions'), await count('outbox')]).toEqual(before);
  });

  it('lists every invalid field', async () => {
    const bad = { ...qingyuanEventExample, title: '', date: '2027-13-01', expectedParticipants: 0, budgetWan: -5, coOrganisers: [''], contact: { name: '吴', email: 'nope' } };
    const response = await http.post('/promotion-events').set('authorization', as.qingyuan!).send(bad).expect(400);
    expect(fieldsOf(response.body)).toEqual(['budgetWan', 'coOrganisers', 'contact.email', 'date', 'expectedParticipants', 'title']);
  });

  it('refuses directory codes the directory does not hold, naming each field', async () => {
    const response = await http
      .post('/promotion-events')
      .set('authorization', as.qingyuan!)
      .send({ ...qingyuanEventExample, hostOrganisationCode: 'no-such-bureau', pairedCountyCode: 'keqiao', pairedZoneCode: 'nowhere' })
      .expect(400);
    expect(response.body.errors).toEqual([
      { field: 'hostOrganisationCode', message: 'no-such-bureau is not an organisation in the directory' },
      { field: 'pairedCountyCode', message: expect.stringMatching(/^keqiao is not one of the mountain counties on /) },
      { field: 'pairedZoneCode', message: 'nowhere is not an advanced zone in the directory' },
    ]);
  });

  it('lets only signed-in applicants draft', async () => {
    await http.post('/promotion-events').send(qingyuanEventExample).expect(401);
    await expect(http.post('/promotion-events').set('authorization', as['lishui-commerce']!).send(qingyuanEventExample).expect(403).then((r) => r.body.code)).resolves.toBe('FORBIDDEN');
  });

  it('edits a draft, refusing a stale version and null for a required field', async () => {
    const { id, version } = await draft();
    const edited = await http.patch(`/promotion-events/${id}`).set('authorization', as.qingyuan!).set('if-match', `"${version}"`).send({ venue: '庆元县香菇城会议中心', coOrganisers: null }).expect(200);
    expect(edited.body).toMatchObject({ venue: '庆元县香菇城会议中心', coOrganisers: [], theme: qingyuanEventExample.theme });
    expect(edited.headers.etag).toBe(`"${edited.body.version}"`);
    const stale = await http.patch(`/promotion-events/${id}`).set('authorization', as.qingyuan!).send({ venue: '别处', version }).expect(409);
    expect(stale.body).toMatchObject({ code: 'STALE_VERSION', currentVersion: edited.body.version });
    const nulls = await http.patch(`/promotion-events/${id}`).set('authorization', as.qingyuan!).send({ title: null }).expect(400);
    expect(fieldsOf(nulls.body)).toEqual(['title']);
  });

  it('submits: submission.submitted goes to the workflow queue with the host organisation', async () => {
    const { id } = await draft();
    const response = await http.post(`/promotion-events/${id}/submit`).set('authorization', as.qingyuan!).expect(200);
    expect(response.body).toMatchObject({ status: 'submitted', revision: 1 });
    const jobs = await eventually(() => workflowQueue.getJobs(['waiting']), (j) => j.some((x) => JSON.stringify(x.data).includes(id)));
    const message = parseMessage(jobs.find((x) => JSON.stringify(x.data).includes(id))?.data);
    expect(message.name).toBe('submission.submitted');
    expect(message.payload).toMatchObject({
      submissionId: id,
      kind: 'promotion_event',
      title: qingyuanEventExample.title,
      hostOrganisation: 'lishui-commerce',
      // The paired zone and the city, told of the decision.
      stakeholders: [
        { name: '绍兴柯桥经济技术开发区', email: 'keqiao-zone@shanhai.example' },
        { name: '丽水市商务局', email: 'lishui-commerce@shanhai.example' },
      ],
    });
  });

  it('refuses to submit an event dated in the past, naming the date', async () => {
    const { id } = await draft({ ...qingyuanEventExample, date: '2022-06-29' });
    const response = await http.post(`/promotion-events/${id}/submit`).set('authorization', as.qingyuan!).expect(400);
    expect(response.body.errors).toEqual([{ field: 'date', message: expect.stringContaining('the event date 2022-06-29 is in the past') }]);
    await expect(dataSource.query('SELECT status FROM submissions WHERE id = $1', [id])).resolves.toEqual([{ status: 'draft' }]);
  });

  it('refuses the report before the event is approved, and before it is held', async () => {
    const id = await submitted();
    const early = await report(id, qingyuanReportExample).expect(409);
    expect(early.body).toMatchObject({ code: 'REPORT_NOT_OPEN', eventStatus: 'submitted' });
    await approve(id);
    const notYet = await report(id, qingyuanReportExample).expect(409);
    expect(notYet.body).toMatchObject({ code: 'REPORT_NOT_OPEN', eventStatus: 'approved', eventDate: qingyuanEventExample.date });
    await expect(count('event_reports')).resolves.toBe(0);
  });

  it('takes the report once the approved event is held, and follows its projects only forward', async () => {
    const id = await submitted();
    await approve(id);
    await holdEvent(id);

    const filed = await report(id, qingyuanReportExample).expect(200);
    expect(filed.body).toMatchObject({ eventId: id, projectCount: 6, totalAmountYi: 21.75, version: 1, dueBy: '2022-07-29' });
    expect(filed.headers.etag).toBe('"1"');
    await expect(dataSource.query('SELECT total_amount_yi::text AS total FROM event_reports WHERE submission_id = $1', [id])).resolves.toEqual([{ total: '21.7500' }]);
    const read = await http.get(`/promotion-events/${id}/report`).set('authorization', as.qingyuan!).expect(200);
    expect(read.body).toEqual(filed.body);

    // 汽车空调零部件扩产项目 is producing: it cannot go back to started.
    const projects = qingyuanReportExample.projects.map((p) => ({ ...p }));
    const backwards = projects.map((p, i) => (i === 2 ? { ...p, status: 'started' } : p));
    const refused = await report(id, { version: 1, projects: backwards }).expect(422);
    expect(refused.body).toMatchObject({
      code: 'PROJECT_STATUS_BACKWARDS',
      errors: [{ field: 'projects.2.status', message: '汽车空调零部件扩产项目: producing (已投产) cannot go back to started (已开工)' }],
    });

    const forward = [...projects.slice(1).map((p) => (p.status === 'signed' ? { ...p, status: 'started' } : p)), { ...projects[0]!, status: 'producing' }];
    const stale = await report(id, { projects: forward }).set('if-match', '"0"').expect(409);
    expect(stale.body).toMatchObject({ code: 'STALE_VERSION', currentVersion: 1 });
    const updated = await report(id, { projects: forward.slice(0, 5) }).set('if-match', '"1"').expect(200);
    expect(updated.body).toMatchObject({ version: 2, projectCount: 5, totalAmountYi: 15.55 });
    await report(id, { version: 1, projects: forward }).expect(409);
  });

  it('lets exactly one of two simultaneous first filings win', async () => {
    const id = await submitted();
    await approve(id);
    await holdEvent(id);
    const [a, b] = await Promise.all([report(id, qingyuanReportExample), report(id, qingyuanReportExample)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((a.status === 409 ? a : b).body).toMatchObject({ code: 'STALE_VERSION', currentVersion: 1 });
    await expect(dataSource.query('SELECT version FROM event_reports WHERE submission_id = $1', [id])).resolves.toEqual([{ version: 1 }]);
  });

  it('lets only the applicant county file, and only readers read', async () => {
    const id = await submitted();
    await approve(id);
    await holdEvent(id);
    await report(id, qingyuanReportExample, 'suichang').expect(404);
    await report(id, qingyuanReportExample, 'lishui-commerce').expect(403);
    await http.get(`/promotion-events/${id}/report`).set('authorization', as.qingyuan!).expect(404);
    await report(id, qingyuanReportExample).expect(200);
    await http.get(`/promotion-events/${id}/report`).set('authorization', as['lishui-commerce']!).expect(200);
    await http.get(`/promotion-events/${id}/report`).set('authorization', as.suichang!).expect(404);
  });

  it('lists events page by page, filtered by status', async () => {
    const id = await submitted();
    const page = await http.get('/promotion-events?status=submitted&limit=1&offset=0').set('authorization', as.qingyuan!).expect(200);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0]).toMatchObject({ id, status: 'submitted' });
    expect(page.body.total).toBeGreaterThanOrEqual(1);
    const other = await http.get('/promotion-events').set('authorization', as.suichang!).expect(200);
    expect(other.body).toEqual({ items: [], total: 0 });
    await http.get('/promotion-events?limit=0').set('authorization', as.qingyuan!).expect(400);
  });

  it('shows the timeline and withdraws a draft', async () => {
    const { id } = await draft();
    const withdrawn = await http.post(`/promotion-events/${id}/withdraw`).set('authorization', as.qingyuan!).expect(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    const timeline = await http.get(`/promotion-events/${id}/timeline`).set('authorization', as.qingyuan!).expect(200);
    expect(timeline.body.items.map((e: { event: string }) => e.event)).toEqual(['drafted', 'withdrawn']);
  });
});
