import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ApprovalResubmitted,
  ApprovalReturned,
  ApprovalStarted,
  ApprovalWithdrawn,
  createMessage,
  parseMessage,
  QueueName,
  StepApproved,
  SubmissionSubmitted,
  TaskAssigned,
  TaskDelegated,
  type AnyMessage,
  type AnyMessageDefinition,
  type SubmissionSummary,
} from '@shanhai/contracts';
import { attachmentKinds } from '@shanhai/domain';
import { aQingyuanSummary, eventually, type TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { IntakeConfig } from '../src/config.js';
import { qingyuanEventExample } from '../src/promotion-events/dto/promotion-event.request.js';
import { qingyuanPlanExample } from '../src/submissions/dto/zone-plan.request.js';
import { bearer, startIntake } from './support/intake-app.js';
import { samplePdf } from './support/samples.js';

type InstanceRef = { instanceId: string; submission: SubmissionSummary; definition: { key: string; version: number } };

/**
 * Return for correction (补正), with workflow played by hand: its events are put on intake's queue
 * as workflow's relay would, and intake's messages to workflow are read from its outbox.
 */
describe('intake: return for correction', () => {
  let t: TestApp<IntakeConfig>;
  let http: ReturnType<typeof request>;
  let dataSource: DataSource;
  let intakeQueue: Queue;
  const as: Record<string, string> = {};

  beforeAll(async () => {
    t = await startIntake();
    http = request(t.app.getHttpServer());
    dataSource = t.app.get(DataSource);
    intakeQueue = new Queue(QueueName.Intake, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    for (const user of ['qingyuan', 'lishui-commerce']) as[user] = await bearer(t, user);
  });

  afterAll(async () => {
    await intakeQueue?.close();
    await t?.close();
  });

  const steps = [
    { index: 0, key: 'city_pre_review', name: '市商务局初审', organisation: { code: 'lishui-commerce', name: '丽水市商务局', email: 'l@shanhai.example' } },
    { index: 1, key: 'province_review', name: '省商务厅审核', organisation: { code: 'zj-commerce', name: '浙江省商务厅', email: 'zj@shanhai.example' } },
  ] as const;
  const deficiencies = [
    { target: 'field' as const, ref: 'content.blocks.0.areaKm2', note: '区块面积与土地利用规划不一致' },
    { target: 'attachment' as const, ref: 'land_use_plan', note: '缺少盖章页' },
  ];

  const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const plan = (id: string) => http.get(`/zone-plans/${id}`).set('authorization', as.qingyuan!);
  const timeline = async (id: string) => (await http.get(`/zone-plans/${id}/timeline`).set('authorization', as.qingyuan!).expect(200)).body.items as { event: string; summary: string; actor: string | null; account: unknown; opinion: string | null }[];
  const attach = (id: string, kind: string, file: Buffer) => http.post(`/zone-plans/${id}/attachments`).set('authorization', as.qingyuan!).field('kind', kind).attach('file', file, `${kind}.pdf`);

  /** A plan submitted as revision 1, under review at step 1 (省商务厅审核), with workflow's refs. */
  async function planUnderReview() {
    const { id } = (await http.post('/zone-plans').set('authorization', as.qingyuan!).send(qingyuanPlanExample).expect(201)).body as { id: string };
    for (const kind of attachmentKinds) await attach(id, kind, samplePdf(kind)).expect(201);
    await http.post(`/zone-plans/${id}/submit`).set('authorization', as.qingyuan!).expect(200);
    const instanceId = randomUUID();
    const ref = (revision: number): InstanceRef => ({
      instanceId,
      submission: aQingyuanSummary({ submissionId: id, revision, applicant: { name: '林主任', email: 'qingyuan@county.shanhai.example' } }),
      definition: { key: 'zone_plan', version: 1 },
    });
    await deliver(ApprovalStarted, { ...ref(1), stepCount: 3 });
    await deliver(TaskAssigned, { ...ref(1), taskId: randomUUID(), step: steps[0], stepCount: 3 });
    await deliver(StepApproved, { ...ref(1), taskId: randomUUID(), step: steps[0], decidedBy: '丽水市商务局 审核员' });
    await deliver(TaskAssigned, { ...ref(1), taskId: randomUUID(), step: steps[1], stepCount: 3 });
    await expect(plan(id).then((r) => [r.body.status, r.body.currentStep?.index])).resolves.toEqual(['in_review', 1]);
    return { id, ref };
  }

  /** Puts a message of workflow's on intake's queue and waits until intake has handled it. */
  async function deliver<D extends AnyMessageDefinition>(d: D, payload: Parameters<typeof createMessage<D>>[1], occurredAt = new Date()): Promise<AnyMessage> {
    const message = createMessage(d, payload, { id: randomUUID(), occurredAt, correlationId: 'spec' });
    await intakeQueue.add(message.name, message, { jobId: message.id });
    const job = await eventually(() => intakeQueue.getJob(message.id), (j) => j?.finishedOn !== undefined);
    expect([message.name, job?.returnvalue]).toEqual([message.name, 'handled']);
    return message;
  }

  async function returnAt(ref: (revision: number) => InstanceRef, revision: number, extra: { actingFor?: string } = {}) {
    return deliver(ApprovalReturned, {
      ...ref(revision),
      taskId: randomUUID(),
      step: steps[1],
      decidedBy: '王审核',
      opinion: '请补正后重新提交',
      deficiencies,
      ...extra,
    });
  }

  const submittedMessages = async (id: string) =>
    (await dataSource.query<{ data: unknown }[]>(`SELECT data FROM outbox WHERE job_name = 'submission.submitted' AND data -> 'payload' ->> 'submissionId' = $1 ORDER BY (data -> 'payload' ->> 'revision')::int`, [id])).map((r) =>
      parseMessage(r.data),
    );

  it('returns a plan with its correction notice; the applicant corrects it and resubmits revision 2 with its content and attachments', async () => {
    const { id, ref } = await planUnderReview();
    await returnAt(ref, 1, { actingFor: '李处长' });

    const returned = await plan(id).expect(200);
    expect(returned.body).toMatchObject({
      status: 'returned',
      revision: 1,
      currentStep: { index: 1, name: '省商务厅审核' },
      correction: {
        revision: 1,
        step: { index: 1, name: '省商务厅审核', organisation: '浙江省商务厅' },
        returnedBy: '王审核',
        actingFor: '李处长',
        opinion: '请补正后重新提交',
        deficiencies,
        at: expect.any(String),
      },
    });
    expect((await timeline(id)).at(-1)).toEqual({
      event: 'returned',
      summary: '省商务厅审核：退回补正',
      actor: '王审核（代李处长）',
      account: null,
      opinion: '请补正后重新提交\n补正事项：\n1. 字段「content.blocks.0.areaKm2」：区块面积与土地利用规划不一致\n2. 附件「土地利用规划」：缺少盖章页',
      at: expect.any(String),
    });
    // The returned plan is listed under its status.
    const listed = await http.get('/zone-plans?status=returned').set('authorization', as.qingyuan!).expect(200);
    expect(listed.body.items.map((p: { id: string }) => p.id)).toContain(id);

    // The applicant corrects a field and replaces the deficient attachment, then submits again.
    const corrected = { ...qingyuanPlanExample.blocks[0]!, areaKm2: 3.6 };
    const edited = await http
      .patch(`/zone-plans/${id}`)
      .set('authorization', as.qingyuan!)
      .set('if-match', `"${returned.body.version}"`)
      .send({ blocks: [corrected, ...qingyuanPlanExample.blocks.slice(1)] })
      .expect(200);
    expect(edited.body).toMatchObject({ status: 'returned', totalAreaKm2: 5.78 });
    const stamped = samplePdf('land_use_plan, stamped');
    await attach(id, 'land_use_plan', stamped).expect(201);
    const resubmitted = await http.post(`/zone-plans/${id}/submit`).set('authorization', as.qingyuan!).expect(200);
    expect(resubmitted.body).toMatchObject({ status: 'submitted', revision: 2, correction: null });

    const [first, second] = await submittedMessages(id);
    expect([first?.name, first?.version, second?.name, second?.version]).toEqual(['submission.submitted', 2, 'submission.submitted', 2]);
    const v2 = SubmissionSubmitted.payload.parse(second?.payload);
    expect(v2).toMatchObject({ submissionId: id, revision: 2, content: { blocks: [{ areaKm2: 3.6 }, {}] } });
    const { attachments } = v2;
    expect(attachments.map((a) => a.kind).sort()).toEqual([...attachmentKinds].sort());
    expect(attachments.find((a) => a.kind === 'land_use_plan')).toEqual({ kind: 'land_use_plan', filename: 'land_use_plan.pdf', sha256: sha256(stamped) });
    expect(attachments.find((a) => a.kind === 'feasibility_report')?.sha256).toBe(sha256(samplePdf('feasibility_report')));
    // Each revision is frozen; the returned one keeps its notice.
    const revisions = await dataSource.query<{ revision: number; area: number; correction: { returnedBy: string } | null }[]>(
      `SELECT revision, (content -> 'blocks' -> 0 ->> 'areaKm2')::float AS area, correction FROM submission_revisions WHERE submission_id = $1 ORDER BY revision`,
      [id],
    );
    expect(revisions.map((r) => [r.revision, r.area, r.correction?.returnedBy ?? null])).toEqual([
      [1, qingyuanPlanExample.blocks[0]!.areaKm2, '王审核'],
      [2, 3.6, null],
    ]);

    // Workflow resumes the instance at the step that returned it.
    await deliver(ApprovalResubmitted, { ...ref(2), revision: 2, step: steps[1], resubmittedBy: '林主任' });
    await deliver(TaskAssigned, { ...ref(2), taskId: randomUUID(), step: steps[1], stepCount: 3 });
    await expect(plan(id).then((r) => [r.body.status, r.body.revision, r.body.currentStep?.index, r.body.correction])).resolves.toEqual(['in_review', 2, 1, null]);
    const lines = await timeline(id);
    expect(lines.map((e) => e.event).slice(-4)).toEqual(['returned', 'submitted', 'resubmitted', 'step_assigned']);
    expect(lines.at(-3)?.summary).toBe('庆元县人民政府提交申请（第 2 版）');
    expect(lines.at(-2)).toMatchObject({ summary: '已提交补正材料（第 2 版），重新进入省商务厅审核', actor: '林主任' });
  });

  it('names the signed-in account on its own lines, and the account workflow names on its lines', async () => {
    const me = (await http.get('/me').set('authorization', as.qingyuan!).expect(200)).body as { id: string; name: string };
    const applicant = { userId: me.id, name: me.name, county: { code: 'qingyuan', name: '庆元县' } };
    const { id, ref } = await planUnderReview();
    const reviewer = { userId: randomUUID(), name: '王审核', organisation: { code: 'zj-commerce', name: '浙江省商务厅' } };
    await deliver(ApprovalResubmitted, { ...ref(1), revision: 1, step: steps[1], resubmittedBy: '林主任', actor: applicant });
    await deliver(StepApproved, { ...ref(1), taskId: randomUUID(), step: steps[1], decidedBy: '王审核', decider: reviewer });
    const lines = await timeline(id);
    expect(lines.find((l) => l.event === 'drafted')).toMatchObject({ actor: me.name, account: applicant });
    expect(lines.find((l) => l.event === 'submitted')).toMatchObject({ actor: me.name, account: applicant });
    expect(lines.find((l) => l.event === 'resubmitted')).toMatchObject({ account: applicant });
    expect(lines.at(-1)).toMatchObject({ event: 'step_approved', actor: '王审核', account: reviewer });
  });

  it('refuses a corrected revision that changes nothing the notice named, listing what is still open, unless the applicant says why', async () => {
    const { id, ref } = await planUnderReview();
    await returnAt(ref, 1);
    // Another field changed, but neither the named block area nor the named attachment.
    await http.patch(`/zone-plans/${id}`).set('authorization', as.qingyuan!).send({ leadingIndustries: ['竹木制品'] }).expect(200);
    const refused = await http.post(`/zone-plans/${id}/submit`).set('authorization', as.qingyuan!).expect(422);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'UNCHANGED_RESUBMISSION' });
    expect(refused.body.errors).toEqual([
      { field: 'content.blocks.0.areaKm2', message: expect.stringContaining('区块面积与土地利用规划不一致') },
      { field: 'attachments.land_use_plan', message: expect.stringContaining('缺少盖章页') },
    ]);
    await expect(plan(id).then((r) => [r.body.status, r.body.revision])).resolves.toEqual(['returned', 1]);
    expect(await submittedMessages(id)).toHaveLength(1);

    // With a reason it goes, and the reason travels to workflow and stays in the timeline.
    const reason = '区块面积经自然资源部门复核无误；规划图盖章页已在原件第 3 页。';
    await http.post(`/zone-plans/${id}/submit`).set('authorization', as.qingyuan!).send({ reason }).expect(200);
    const [, second] = await submittedMessages(id);
    expect(second?.payload).toMatchObject({ revision: 2, reason });
    expect((await timeline(id)).at(-1)).toMatchObject({ event: 'submitted', opinion: reason });
  });

  it('takes a corrected revision that deals with one of the deficiencies named', async () => {
    const { id, ref } = await planUnderReview();
    await returnAt(ref, 1);
    await attach(id, 'land_use_plan', samplePdf('land_use_plan, stamped')).expect(201);
    await http.post(`/zone-plans/${id}/submit`).set('authorization', as.qingyuan!).expect(200);
  });

  it('refuses to submit a plan naming an advanced zone the directory does not pair with the county', async () => {
    const { id } = (await http.post('/zone-plans').set('authorization', as.qingyuan!).send({ ...qingyuanPlanExample, pairedZoneCode: 'fuyang' }).expect(201)).body as { id: string };
    for (const kind of attachmentKinds) await attach(id, kind, samplePdf(kind)).expect(201);
    const refused = await http.post(`/zone-plans/${id}/submit`).set('authorization', as.qingyuan!).expect(422);
    expect(refused.body).toMatchObject({ code: 'ZONE_NOT_PAIRED', errors: [{ field: 'pairedZoneCode', message: expect.stringContaining('keqiao') }] });
    await expect(plan(id).then((r) => r.body.status)).resolves.toBe('draft');
    await http.patch(`/zone-plans/${id}`).set('authorization', as.qingyuan!).send({ pairedZoneCode: 'keqiao' }).expect(200);
    await http.post(`/zone-plans/${id}/submit`).set('authorization', as.qingyuan!).expect(200);
  });

  it('changes nothing on a late message about a revision older than the current one', async () => {
    const { id, ref } = await planUnderReview();
    await returnAt(ref, 1);
    await http.post(`/zone-plans/${id}/submit`).set('authorization', as.qingyuan!).send({ reason: '经核实无需修改。' }).expect(200);
    const before = [(await plan(id).expect(200)).body, await timeline(id)];
    expect(before[0]).toMatchObject({ status: 'submitted', revision: 2 });

    // Revision 1's return redelivered under another id, and its step's late assignment and approval.
    await returnAt(ref, 1);
    await deliver(TaskAssigned, { ...ref(1), taskId: randomUUID(), step: { ...steps[1], index: 2 }, stepCount: 3 });
    await expect(Promise.all([plan(id).then((r) => r.body), timeline(id)])).resolves.toEqual(before);
  });

  it('sends the applicant\'s reason for a withdrawal to workflow and keeps it in the timeline', async () => {
    const { id } = await planUnderReview();
    await http.post(`/zone-plans/${id}/withdraw`).set('authorization', as.qingyuan!).send({ reason: '规划调整，撤回重新编制。' }).expect(202);
    const [withdrawal] = await dataSource.query<{ data: unknown }[]>(`SELECT data FROM outbox WHERE job_name = 'submission.withdrawn' AND data -> 'payload' ->> 'submissionId' = $1`, [id]);
    expect(parseMessage(withdrawal?.data).payload).toMatchObject({ submissionId: id, reason: '规划调整，撤回重新编制。' });
    expect((await timeline(id)).at(-1)).toMatchObject({ event: 'withdrawal_requested', opinion: '规划调整，撤回重新编制。' });
    await http.post(`/zone-plans/${id}/withdraw`).set('authorization', as.qingyuan!).send({ reason: '' }).expect(400);
  });

  it('ends a plan withdrawn while returned: a resubmission cannot overtake the withdrawal', async () => {
    const { id, ref } = await planUnderReview();
    await returnAt(ref, 1);
    await http.post(`/zone-plans/${id}/withdraw`).set('authorization', as.qingyuan!).expect(202);
    await http.post(`/zone-plans/${id}/submit`).set('authorization', as.qingyuan!).send({ reason: '经核实无需修改。' }).expect(409);
    // Workflow closes the instance at revision 1: its withdrawal is final.
    await deliver(ApprovalWithdrawn, { ...ref(1), steps: [], withdrawnBy: '林主任' });
    await expect(plan(id).then((r) => r.body.status)).resolves.toBe('withdrawn');
  });

  it('shows a joint review with all its departments, and a reassigned task with the organisation that has it now', async () => {
    const { id, ref } = await planUnderReview();
    const parties = [
      { code: 'zj-nr', name: '浙江省自然资源厅' },
      { code: 'zj-drc', name: '浙江省发展和改革委员会' },
    ];
    const joint = (party: number) => ({ index: 2, key: 'joint_review', name: '省级部门会审', organisation: { ...parties[party]!, email: `${parties[party]!.code}@shanhai.example` } });
    for (const party of [1, 0]) await deliver(TaskAssigned, { ...ref(1), taskId: randomUUID(), step: joint(party), stepCount: 5, party, parties });
    await expect(plan(id).then((r) => r.body.currentStep)).resolves.toMatchObject({ index: 2, organisation: '浙江省自然资源厅、浙江省发展和改革委员会' });
    const moved = { ...steps[1], index: 2, organisation: { code: 'zj-eco', name: '浙江省生态环境厅', email: 'e@shanhai.example' } };
    await deliver(TaskAssigned, { ...ref(1), taskId: randomUUID(), step: moved, stepCount: 5, party: 1, reassigned: true });
    await expect(plan(id).then((r) => r.body.currentStep)).resolves.toMatchObject({ index: 2, organisation: '浙江省生态环境厅' });
  });

  it('keeps a returned plan returned when a late assignment of the same revision arrives', async () => {
    const { id, ref } = await planUnderReview();
    const assignedEarlier = new Date(Date.now() - 1000);
    await returnAt(ref, 1);
    await deliver(TaskAssigned, { ...ref(1), taskId: randomUUID(), step: steps[1], stepCount: 3 }, assignedEarlier);
    await expect(plan(id).then((r) => [r.body.status, r.body.correction?.returnedBy])).resolves.toEqual(['returned', '王审核']);
  });

  it('withdraws a returned plan through workflow', async () => {
    const { id, ref } = await planUnderReview();
    await returnAt(ref, 1);
    const asked = await http.post(`/zone-plans/${id}/withdraw`).set('authorization', as.qingyuan!).expect(202);
    expect(asked.body).toMatchObject({ status: 'returned', revision: 1 });
    const [withdrawal] = await dataSource.query<{ data: unknown }[]>(`SELECT data FROM outbox WHERE job_name = 'submission.withdrawn' AND data -> 'payload' ->> 'submissionId' = $1`, [id]);
    expect(parseMessage(withdrawal?.data).payload).toEqual({ submissionId: id, revision: 1, by: expect.any(String), actor: { userId: expect.any(String), name: expect.any(String), county: { code: expect.any(String), name: expect.any(String) } } });
    expect(asked.body.withdrawalRequestedAt).toEqual(expect.any(String));

    // Until workflow answers, no correction may overtake the withdrawal; asking again sends nothing more.
    const edit = await http.patch(`/zone-plans/${id}`).set('authorization', as.qingyuan!).send({ zoneName: '改名' }).expect(409);
    expect(edit.body).toMatchObject({ code: 'WITHDRAWAL_PENDING', submissionStatus: 'returned' });
    await expect(http.post(`/zone-plans/${id}/submit`).set('authorization', as.qingyuan!).send({ reason: '仍要补正' }).then((r) => [r.status, r.body.code])).resolves.toEqual([409, 'WITHDRAWAL_PENDING']);
    await expect(attach(id, 'land_use_plan', samplePdf('late')).then((r) => [r.status, r.body.code])).resolves.toEqual([409, 'WITHDRAWAL_PENDING']);
    await http.post(`/zone-plans/${id}/withdraw`).set('authorization', as.qingyuan!).expect(202);
    const sent = await dataSource.query<unknown[]>(`SELECT 1 FROM outbox WHERE job_name = 'submission.withdrawn' AND data -> 'payload' ->> 'submissionId' = $1`, [id]);
    expect(sent).toHaveLength(1);

    await deliver(ApprovalWithdrawn, { ...ref(1), steps: [], withdrawnBy: '林主任' });
    await expect(plan(id).then((r) => r.body.status)).resolves.toBe('withdrawn');
    expect((await timeline(id)).map((e) => e.event).slice(-3)).toEqual(['returned', 'withdrawal_requested', 'withdrawn']);
  });

  it('still refuses edits, uploads and a second submit while the plan is under review, as problems', async () => {
    const { id } = await planUnderReview();
    const edit = await http.patch(`/zone-plans/${id}`).set('authorization', as.qingyuan!).send({ zoneName: '改名' }).expect(409);
    expect(edit.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(edit.body).toMatchObject({ status: 409, code: 'NOT_EDITABLE', submissionStatus: 'in_review' });
    await expect(attach(id, 'land_use_plan', samplePdf('late')).then((r) => [r.status, r.body.code])).resolves.toEqual([409, 'NOT_EDITABLE']);
    await expect(http.post(`/zone-plans/${id}/submit`).set('authorization', as.qingyuan!).then((r) => [r.status, r.body.code])).resolves.toEqual([409, 'NOT_EDITABLE']);
  });

  it('records a delegation, and a delegate deciding for the reviewer', async () => {
    const { id, ref } = await planUnderReview();
    await deliver(TaskDelegated, {
      ...ref(1),
      taskId: randomUUID(),
      step: steps[1],
      delegatedBy: '李处长',
      delegate: { userId: randomUUID(), name: '王审核' },
      reason: '出差',
    });
    await deliver(StepApproved, { ...ref(1), taskId: randomUUID(), step: steps[1], decidedBy: '王审核', actingFor: '李处长', opinion: '同意' });
    const lines = await timeline(id);
    expect(lines.slice(-2)).toEqual([
      { event: 'delegated', summary: '省商务厅审核：转办至王审核', actor: '李处长', account: null, opinion: '出差', at: expect.any(String) },
      { event: 'step_approved', summary: '省商务厅审核：通过', actor: '王审核（代李处长）', account: null, opinion: '同意', at: expect.any(String) },
    ]);
    await expect(plan(id).then((r) => r.body.status)).resolves.toBe('in_review');
  });

  it('resubmits a returned promotion event as revision 2, still refusing a date gone by', async () => {
    const event = (id: string) => http.get(`/promotion-events/${id}`).set('authorization', as.qingyuan!);
    const { id } = (await http.post('/promotion-events').set('authorization', as.qingyuan!).send(qingyuanEventExample).expect(201)).body as { id: string };
    await http.post(`/promotion-events/${id}/submit`).set('authorization', as.qingyuan!).expect(200);
    const ref = (revision: number): InstanceRef => ({
      instanceId: randomUUID(),
      submission: aQingyuanSummary({ submissionId: id, kind: 'promotion_event', revision, title: qingyuanEventExample.title }),
      definition: { key: 'promotion_event', version: 1 },
    });
    await deliver(ApprovalReturned, {
      ...ref(1),
      taskId: randomUUID(),
      step: { index: 0, key: 'host_review', name: '主办单位审核', organisation: steps[0].organisation },
      decidedBy: '丽水市商务局 审核员',
      deficiencies: [{ target: 'field', ref: 'content.venue', note: '请写明会场地址' }],
    });
    await expect(event(id).then((r) => [r.body.status, r.body.correction?.deficiencies])).resolves.toEqual(['returned', [{ target: 'field', ref: 'content.venue', note: '请写明会场地址' }]]);

    await http.patch(`/promotion-events/${id}`).set('authorization', as.qingyuan!).send({ venue: '丽水市庆元县松源街道香菇城会议中心' }).expect(200);
    // The date rule holds for a resubmission too.
    await dataSource.query(`UPDATE submissions SET content = jsonb_set(content, '{date}', '"2022-06-29"') WHERE id = $1`, [id]);
    const past = await http.post(`/promotion-events/${id}/submit`).set('authorization', as.qingyuan!).expect(400);
    expect(past.body.errors.map((e: { field: string }) => e.field)).toEqual(['date']);
    await dataSource.query(`UPDATE submissions SET content = jsonb_set(content, '{date}', to_jsonb($2::text)) WHERE id = $1`, [id, qingyuanEventExample.date]);

    await expect(http.post(`/promotion-events/${id}/submit`).set('authorization', as.qingyuan!).then((r) => [r.status, r.body.status, r.body.revision, r.body.correction])).resolves.toEqual([
      200,
      'submitted',
      2,
      null,
    ]);
    const v2 = SubmissionSubmitted.payload.parse((await submittedMessages(id)).at(-1)?.payload);
    expect(v2).toMatchObject({ revision: 2, kind: 'promotion_event', hostOrganisation: 'lishui-commerce', content: { venue: '丽水市庆元县松源街道香菇城会议中心' }, attachments: [] });
  });
});
