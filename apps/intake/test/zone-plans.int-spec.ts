import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApprovalApproved, ApprovalStarted, ApprovalWithdrawn, createMessage, parseMessage, QueueName, TaskAssigned, type AnyMessage, type AnyMessageDefinition } from '@shanhai/contracts';
import { attachmentKinds } from '@shanhai/domain';
import type { TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { IntakeConfig } from '../src/config.js';
import { qingyuanPlanExample } from '../src/submissions/dto/zone-plan.request.js';
import { bearer, startIntake } from './support/intake-app.js';
import { samplePdf } from './support/samples.js';
import { eventually } from '@shanhai/platform/testing';
import { aQingyuanSummary } from '@shanhai/platform/testing';


describe('intake: zone creation plans', () => {
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
    for (const user of ['qingyuan', 'suichang', 'lishui-commerce', 'keqiao-zone', 'admin']) as[user] = await bearer(t, user);
  });

  afterAll(async () => {
    await workflowQueue?.close();
    await intakeQueue?.close();
    await t?.close();
  });

  const count = async (table: string) => (await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n;
  const draft = async (body: object = qingyuanPlanExample) => (await http.post('/zone-plans').set('authorization', as.qingyuan!).send(body).expect(201)).body as { id: string; version: number };
  const attachAll = async (id: string) => {
    for (const kind of attachmentKinds) {
      await http.post(`/zone-plans/${id}/attachments`).set('authorization', as.qingyuan!).field('kind', kind).attach('file', samplePdf(kind), `${kind}.pdf`).expect(201);
    }
  };

  it("drafts the documented example for the applicant's own county, deriving place and total area", async () => {
    const response = await http.post('/zone-plans').set('authorization', as.qingyuan!).send(qingyuanPlanExample).expect(201);
    expect(response.body).toMatchObject({
      status: 'draft',
      revision: 0,
      zoneName: '浙江庆元经济开发区',
      county: { code: 'qingyuan', name: '庆元县' },
      city: { code: 'lishui', name: '丽水市' },
      totalAreaKm2: 5.7,
      leadingIndustries: ['竹木制品', '生物医药'],
      pairedZoneCode: 'keqiao',
    });
    expect(response.headers.etag).toBe(`"${response.body.version}"`);
    const read = await http.get(`/zone-plans/${response.body.id}`).set('authorization', as.qingyuan!).expect(200);
    expect(read.body.blocks[0].boundary.east).toBe('东至S228省道');
  });

  it('refuses a bad plan with every problem listed, and stores nothing', async () => {
    const before = [await count('submissions'), await count('outbox')];
    const bad = {
      ...qingyuanPlanExample,
      blocks: [{ name: '', areaKm2: -1, boundary: { east: '东', south: '南', west: '西' } }],
      leadingIndustries: ['a', 'b', 'c', 'd'],
      contact: { name: '林', email: 'not-an-email' },
      pairedZoneCode: 'Keqiao!',
      owner: 'me',
    };
    const response = await http.post('/zone-plans').set('authorization', as.qingyuan!).send(bad).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['blocks.0.areaKm2', 'blocks.0.boundary.north', 'blocks.0.name', 'contact.email', 'leadingIndustries', 'owner', 'pairedZoneCode'].sort(),
    );
    expect([await count('submissions'), await count('outbox')]).toEqual(before);
  });

  it('refuses an array where an object belongs and a missing nested object, at any depth, and stores nothing', async () => {
    const before = [await count('submissions'), await count('outbox')];
    const [block] = qingyuanPlanExample.blocks;
    const { boundary: _boundary, ...withoutBoundary } = block!;
    const bad = { ...qingyuanPlanExample, contact: [], blocks: [withoutBoundary, [], { ...block!, boundary: [] }] };
    const response = await http.post('/zone-plans').set('authorization', as.qingyuan!).send(bad).expect(400);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['blocks', 'blocks.0.boundary', 'blocks.2.boundary', 'contact']);
    expect([await count('submissions'), await count('outbox')]).toEqual(before);
  });

  it('counts decimals in exponent notation: a fraction written 1e-7 is a 400 naming the field, never a 500', async () => {
    const [block] = qingyuanPlanExample.blocks;
    const bad = { ...qingyuanPlanExample, blocks: [{ ...block!, areaKm2: 1e-7 }], plannedInvestmentYi: 5e-324 };
    const response = await http.post('/zone-plans').set('authorization', as.qingyuan!).send(bad).expect(400);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['blocks.0.areaKm2', 'plannedInvestmentYi']);
  });

  it('refuses a paired zone that is not in the directory, naming the field', async () => {
    const response = await http.post('/zone-plans').set('authorization', as.qingyuan!).send({ ...qingyuanPlanExample, pairedZoneCode: 'nowhere' }).expect(400);
    expect(response.body.errors).toEqual([{ field: 'pairedZoneCode', message: 'nowhere is not an advanced zone in the directory' }]);
  });

  it('lets only applicants draft, and only signed-in callers in at all', async () => {
    await http.post('/zone-plans').send(qingyuanPlanExample).expect(401);
    const reviewer = await http.post('/zone-plans').set('authorization', as['lishui-commerce']!).send(qingyuanPlanExample).expect(403);
    expect(reviewer.body.code).toBe('FORBIDDEN');
  });

  it("keeps another county's applicant, reviewers and stakeholders away from a draft", async () => {
    const { id } = await draft();
    for (const user of ['suichang', 'lishui-commerce', 'keqiao-zone']) {
      await http.get(`/zone-plans/${id}`).set('authorization', as[user]!).expect(404);
      const list = await http.get('/zone-plans').set('authorization', as[user]!).expect(200);
      expect(list.body.items.map((p: { id: string }) => p.id)).not.toContain(id);
    }
    await http.get(`/zone-plans/${id}`).set('authorization', as.admin!).expect(200);
    await http.patch(`/zone-plans/${id}`).set('authorization', as.suichang!).send({ zoneName: '改名' }).expect(404);
  });

  it('edits a draft field by field, refusing a stale If-Match', async () => {
    const { id, version } = await draft();
    const edited = await http.patch(`/zone-plans/${id}`).set('authorization', as.qingyuan!).set('if-match', `"${version}"`).send({ leadingIndustries: ['竹木制品'], plannedInvestmentYi: null }).expect(200);
    expect(edited.body).toMatchObject({ leadingIndustries: ['竹木制品'], plannedInvestmentYi: null, zoneName: '浙江庆元经济开发区', totalAreaKm2: 5.7 });
    const stale = await http.patch(`/zone-plans/${id}`).set('authorization', as.qingyuan!).set('if-match', `"${version}"`).send({ zoneName: '浙江庆元经济开发区（修订）' }).expect(409);
    expect(stale.body.code).toBe('STALE_VERSION');
    await http.patch(`/zone-plans/${id}`).set('authorization', as.qingyuan!).send({ blocks: [] }).expect(400);
    const cleared = await http.patch(`/zone-plans/${id}`).set('authorization', as.qingyuan!).send({ zoneName: null, blocks: null }).expect(400);
    expect(cleared.body.errors.map((e: { field: string }) => e.field)).toEqual(['zoneName', 'blocks']);
  });

  it('refuses to submit while attachments are missing, listing each', async () => {
    const { id } = await draft();
    const response = await http.post(`/zone-plans/${id}/submit`).set('authorization', as.qingyuan!).expect(422);
    expect(response.body.code).toBe('ATTACHMENTS_MISSING');
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(attachmentKinds.map((k) => `attachments.${k}`));
    await expect(dataSource.query(`SELECT status FROM submissions WHERE id = $1`, [id])).resolves.toEqual([{ status: 'draft' }]);
  });

  it('submits a complete plan as revision 1, hands it to workflow and makes it read-only', async () => {
    const { id } = await draft();
    await attachAll(id);
    const submitted = await http.post(`/zone-plans/${id}/submit`).set('authorization', as.qingyuan!).expect(200);
    expect(submitted.body).toMatchObject({ status: 'submitted', revision: 1 });
    const jobs = await eventually(() => workflowQueue.getJobs(['waiting']), (j) => j.some((x) => (x.data as AnyMessage).payload && JSON.stringify(x.data).includes(id)));
    const message = parseMessage(jobs.find((x) => JSON.stringify(x.data).includes(id))?.data);
    expect(message.name).toBe('submission.submitted');
    expect(message.payload).toMatchObject({
      submissionId: id,
      revision: 1,
      title: '浙江庆元经济开发区',
      applicant: { email: 'qingyuan@county.shanhai.example' },
      // The paired zone and the city, told of the decision.
      stakeholders: [
        { name: '绍兴柯桥经济技术开发区', email: 'keqiao-zone@shanhai.example' },
        { name: '丽水市商务局', email: 'lishui-commerce@shanhai.example' },
      ],
    });
    const edit = await http.patch(`/zone-plans/${id}`).set('authorization', as.qingyuan!).send({ zoneName: '改名' }).expect(409);
    expect(edit.body.code).toBe('NOT_EDITABLE');
    await http.post(`/zone-plans/${id}/submit`).set('authorization', as.qingyuan!).expect(409);
    // Once submitted, the paired zone may follow it.
    await http.get(`/zone-plans/${id}`).set('authorization', as['keqiao-zone']!).expect(200);
  });

  it('withdraws a draft', async () => {
    const { id } = await draft();
    await expect(http.post(`/zone-plans/${id}/withdraw`).set('authorization', as.qingyuan!).expect(200).then((r) => r.body.status)).resolves.toBe('withdrawn');
  });

  it('refuses a body over the size limit and malformed JSON as problems', async () => {
    const huge = await http.post('/zone-plans').set('authorization', as.qingyuan!).send({ ...qingyuanPlanExample, landUseConformity: 'x'.repeat(300_000) }).expect(413);
    expect(huge.headers['content-type']).toMatch(/^application\/problem\+json/);
    await http.post('/zone-plans').set('authorization', as.qingyuan!).set('content-type', 'application/json').send('{"zoneName":').expect(400);
  });

  it("follows workflow's events to approved, recording each once however often it is delivered", async () => {
    const { id } = await draft();
    await attachAll(id);
    await http.post(`/zone-plans/${id}/submit`).set('authorization', as.qingyuan!).expect(200);
    const summary = aQingyuanSummary({ submissionId: id, applicant: { name: '林主任', email: 'qingyuan@county.shanhai.example' } });
    const ref = { instanceId: randomUUID(), submission: summary, definition: { key: 'zone_plan', version: 1 } };
    const step = { index: 0, key: 'city_pre_review', name: '市商务局初审', organisation: { code: 'lishui-commerce', name: '丽水市商务局', email: 'l@shanhai.example' } };
    const send = async <D extends AnyMessageDefinition>(d: D, payload: Parameters<typeof createMessage<D>>[1]): Promise<AnyMessage> => {
      const message = createMessage(d, payload, { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
      await intakeQueue.add(message.name, message, { jobId: message.id });
      return message;
    };
    await send(ApprovalStarted, { ...ref, stepCount: 3 });
    await send(TaskAssigned, { ...ref, taskId: randomUUID(), step, stepCount: 3 });
    const inReview = await eventually(() => http.get(`/zone-plans/${id}`).set('authorization', as.qingyuan!), (r) => r.body.currentStep !== null);
    expect(inReview.body).toMatchObject({ status: 'in_review', currentStep: { index: 0, name: '市商务局初审', organisation: '丽水市商务局', of: 3 } });
    // The assigned organisation's reviewers may now read the plan.
    await http.get(`/zone-plans/${id}`).set('authorization', as['lishui-commerce']!).expect(200);

    const approved = await send(ApprovalApproved, { ...ref, taskId: randomUUID(), step: { ...step, index: 2 }, decidedBy: '省政府 审批人', opinion: '同意' });
    await intakeQueue.add(approved.name, approved, { jobId: `redelivery-${approved.id}` });
    await eventually(() => intakeQueue.getJob(`redelivery-${approved.id}`), (j) => j?.finishedOn !== undefined);
    const timeline = await http.get(`/zone-plans/${id}/timeline`).set('authorization', as.qingyuan!).expect(200);
    expect(timeline.body.items.map((e: { event: string }) => e.event)).toEqual(['drafted', 'submitted', 'review_started', 'step_assigned', 'approved']);
    await expect(http.get(`/zone-plans/${id}`).set('authorization', as.qingyuan!).then((r) => r.body.status)).resolves.toBe('approved');
  });

  it("asks workflow to withdraw a submitted plan, and follows workflow's word to withdrawn", async () => {
    const { id } = await draft();
    await attachAll(id);
    await http.post(`/zone-plans/${id}/submit`).set('authorization', as.qingyuan!).expect(200);
    const asked = await http.post(`/zone-plans/${id}/withdraw`).set('authorization', as.qingyuan!).expect(202);
    expect(asked.body).toMatchObject({ id, status: 'submitted', revision: 1 });

    const isWithdrawal = (x: { data: unknown }) => (x.data as AnyMessage).name === 'submission.withdrawn' && JSON.stringify(x.data).includes(id);
    const jobs = await eventually(() => workflowQueue.getJobs(['waiting']), (j) => j.some(isWithdrawal));
    const withdrawal = parseMessage(jobs.find(isWithdrawal)?.data);
    expect(withdrawal.payload).toEqual({ submissionId: id, revision: 1, by: expect.any(String), actor: { userId: expect.any(String), name: expect.any(String), county: { code: expect.any(String), name: expect.any(String) } } });
    const requested = await http.get(`/zone-plans/${id}/timeline`).set('authorization', as.qingyuan!).expect(200);
    expect(requested.body.items.at(-1)).toMatchObject({ event: 'withdrawal_requested', summary: '申请撤回已提交' });
    await expect(http.get(`/zone-plans/${id}`).set('authorization', as.qingyuan!).then((r) => r.body.status)).resolves.toBe('submitted');

    const summary = aQingyuanSummary({ submissionId: id, applicant: { name: '林主任', email: 'qingyuan@county.shanhai.example' } });
    const step = { index: 0, key: 'city_pre_review', name: '市商务局初审', organisation: { code: 'lishui-commerce', name: '丽水市商务局', email: 'l@shanhai.example' } };
    const message = createMessage(
      ApprovalWithdrawn,
      { instanceId: randomUUID(), submission: summary, definition: { key: 'zone_plan', version: 1 }, steps: [{ taskId: randomUUID(), step }], withdrawnBy: '林主任' },
      { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' },
    );
    await intakeQueue.add(message.name, message, { jobId: message.id });
    const withdrawn = await eventually(() => http.get(`/zone-plans/${id}`).set('authorization', as.qingyuan!), (r) => r.body.status === 'withdrawn');
    expect(withdrawn.body.status).toBe('withdrawn');
    const timeline = await http.get(`/zone-plans/${id}/timeline`).set('authorization', as.qingyuan!).expect(200);
    expect(timeline.body.items.map((e: { event: string }) => e.event)).toEqual(['drafted', 'submitted', 'withdrawal_requested', 'withdrawn']);
    expect(timeline.body.items.at(-1)).toMatchObject({ summary: '审批已终止：申请人撤回', actor: '林主任' });
    // Withdrawn is final: a second withdrawal is refused.
    const again = await http.post(`/zone-plans/${id}/withdraw`).set('authorization', as.qingyuan!).expect(409);
    expect(again.body.code).toBe('NOT_WITHDRAWABLE');
  });
});
