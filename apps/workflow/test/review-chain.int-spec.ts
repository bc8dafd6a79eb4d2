import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMessage, DirectoryOrganisationChanged, parseMessage, QueueName, SubmissionSubmitted, SubmissionWithdrawn, type SubmissionSummary } from '@shanhai/contracts';
import { replay, type InstanceEvent } from '@shanhai/domain';
import { TokenService, type Principal } from '@shanhai/platform';
import { aSubmissionSummary, createTestApp, eventually, type TestApp, aSubmittedPayload } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule, entities, migrations } from '../src/app.module.js';
import { Instance } from '../src/instances/instance.entity.js';
import { stateOf } from '../src/instances/instance-columns.js';
import { reviveDates } from './support/audit.js';
import { seedDirectoryReplica } from './support/directory.js';



interface TaskBody {
  id: string;
  instanceId: string;
  step: { index: number; name: string };
  organisation: { code: string };
  status: string;
}

describe('workflow: the review chain', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let admin: string;
  const tokens = new Map<string, string>();
  const queues: Partial<Record<string, Queue>> = {};
  const sign = async (principal: Principal) => `Bearer ${(await t.app.get(TokenService).signAccess(principal)).token}`;
  /** A reviewer of `organisation`, signed in. */
  const reviewerOf = (organisation: string, name = `${organisation} 审核人`) =>
    sign({ userId: randomUUID(), username: organisation, name, role: 'reviewer', organisation });
  /** Reads as an admin, who sees every task and instance. */
  const get = (url: string) => http.get(url).set('authorization', admin);
  const queue = (name: string): Queue =>
    (queues[name] ??= new Queue(name, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix }));

  beforeAll(async () => {
    t = await createTestApp({ service: 'workflow', module: (config) => AppModule.forConfig(config), schema: { entities, migrations }, prepare: seedDirectoryReplica });
    http = request(t.app.getHttpServer());
    admin = await sign({ userId: randomUUID(), username: 'admin', name: '系统管理员', role: 'admin' });
    // Decisions are made by signed-in reviewers; sign them up front so a request can be built synchronously.
    for (const organisation of ['lishui-commerce', 'wenzhou-commerce', 'zj-commerce', 'zj-commerce-office', 'zj-nr', 'zj-drc', 'zj-eco', 'zj-gov', 'zj-gov-office']) {
      for (const name of [undefined, '甲', '乙', '审核人']) tokens.set(`${organisation}|${name ?? ''}`, await reviewerOf(organisation, name));
    }
  });

  afterAll(async () => {
    await Promise.all(Object.values(queues).flatMap((q) => (q ? [q.close()] : [])));
    await t.close();
  });

  /** Submits as intake would, and waits for the first task. */
  async function submit(s = aSubmissionSummary()): Promise<{ submission: SubmissionSummary; task: TaskBody; messageId: string }> {
    const message = createMessage(SubmissionSubmitted, aSubmittedPayload(s), { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
    await queue(QueueName.Workflow).add(message.name, message, { jobId: message.id });
    const tasks = await eventually(() => get(`/tasks?submissionId=${s.submissionId}&status=pending`), (r) => r.body.items?.length === 1);
    return { submission: s, task: tasks.body.items[0] as TaskBody, messageId: message.id };
  }

  const pendingTask = async (submissionId: string): Promise<TaskBody | undefined> =>
    (await get(`/tasks?submissionId=${submissionId}&status=pending`)).body.items[0] as TaskBody | undefined;

  type TaskRef = Pick<TaskBody, 'id' | 'organisation'>;
  const decide = (task: TaskRef, body: object, name?: string) =>
    http.post(`/tasks/${task.id}/decisions`).set('authorization', tokens.get(`${task.organisation.code}|${name ?? ''}`) ?? '').send(body);
  const approve = (task: TaskRef, name?: string) => decide(task, { outcome: 'approve', opinion: '同意' }, name);

  it('assigns step 1 to the city commerce bureau of the applicant county', async () => {
    const { task } = await submit();
    expect(task).toMatchObject({ step: { index: 0, name: '市商务局初审' }, organisation: { code: 'lishui-commerce' }, status: 'pending' });
  });

  const pendingTasks = async (submissionId: string): Promise<TaskBody[]> => (await get(`/tasks?submissionId=${submissionId}&status=pending`)).body.items as TaskBody[];

  it('walks 初审 → 审核 → 会审 (all three departments) → 审批 → 复函 and announces each step and the approval', async () => {
    const { submission, task } = await submit();
    const assigned: string[][] = [];
    let current = [task];
    while (current.length) {
      assigned.push(current.map((x) => x.organisation.code));
      for (const x of current) await approve(x).expect(200);
      current = await pendingTasks(submission.submissionId);
    }
    expect(assigned).toEqual([['lishui-commerce'], ['zj-commerce'], ['zj-nr', 'zj-drc', 'zj-eco'], ['zj-gov'], ['zj-gov-office']]);
    const instance = await get(`/instances/${task.instanceId}`).expect(200);
    expect(instance.body).toMatchObject({ status: 'approved', stepCount: 5, definition: { key: 'zone_plan', version: 3 } });
    expect(instance.body.tasks.map((x: TaskBody) => x.status)).toEqual(Array(7).fill('approved'));

    const toNotifier = await eventually(
      () => queue(QueueName.Notifier).getJobs(['waiting']),
      (jobs) => jobs.some((j) => j.name === 'approval.approved' && (j.data as { payload: { instanceId: string } }).payload.instanceId === task.instanceId),
    );
    const names = toNotifier
      .map((j) => parseMessage(j.data))
      .filter((m) => 'instanceId' in m.payload && m.payload.instanceId === task.instanceId)
      .map((m) => m.name);
    expect(names.sort()).toEqual(['approval.approved', ...Array(7).fill('approval.task_assigned')]);
  });

  it('rebuilds the stored state from the recorded events', async () => {
    const { task } = await submit();
    await approve(task).expect(200);
    const [instance, events] = await Promise.all([t.app.get(DataSource).manager.findOneByOrFail(Instance, { id: task.instanceId }), get(`/instances/${task.instanceId}/audit`)]);
    const rebuilt = replay(events.body.map((e: { data: InstanceEvent }) => reviveDates(e.data)));
    expect(rebuilt).toEqual(stateOf(instance));
  });

  it('ends the chain on a rejection, which needs a reason', async () => {
    const { submission, task } = await submit();
    const missing = await decide(task, { outcome: 'reject' }).expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    const rejected = await decide(task, { outcome: 'reject', reason: '四至范围与国土空间规划不符' }, '审核人').expect(200);
    expect(rejected.body.status).toBe('rejected');
    await expect(pendingTask(submission.submissionId)).resolves.toBeUndefined();
    const again = await approve(task).expect(409);
    expect(again.body).toMatchObject({ code: 'TASK_CLOSED', current: { status: 'rejected', tasks: [{ status: 'rejected', decidedBy: '审核人' }] } });
  });

  it('lets exactly one of two simultaneous decisions on a step win, every time', async () => {
    for (let round = 0; round < 15; round += 1) {
      const { submission, task } = await submit();
      const [a, b] = await Promise.all([approve(task, '甲'), approve(task, '乙')]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      // Which check stops the loser depends on when it read: the task, the instance's step, or its version.
      expect(['TASK_CLOSED', 'STEP_NOT_CURRENT', 'STALE_VERSION']).toContain(loser.body.code);
      expect(loser.body.current.currentStep).toBe(1);
      const events = await get(`/instances/${task.instanceId}/audit`);
      expect(events.body.filter((e: { action: string }) => e.action === 'step_approved')).toHaveLength(1);
      expect((await pendingTask(submission.submissionId))?.step.index).toBe(1);
    }
  });

  it('starts one instance however often a submission is delivered', async () => {
    const { submission, messageId } = await submit();
    const message = createMessage(SubmissionSubmitted, aSubmittedPayload(submission), { id: messageId, occurredAt: new Date(), correlationId: 'spec' });
    await queue(QueueName.Workflow).add(message.name, message, { jobId: `redelivery-${messageId}` });
    await eventually(() => queue(QueueName.Workflow).getJob(`redelivery-${messageId}`), (j) => j?.finishedOn !== undefined);
    const tasks = await get(`/tasks?submissionId=${submission.submissionId}`);
    expect(tasks.body.total).toBe(1);
  });

  it('assigns a promotion event first to its host organisation, then to the department office', async () => {
    const event: SubmissionSummary = { ...aSubmissionSummary(), kind: 'promotion_event', title: '山海协作·庆元生态工业产业链招商推介会', hostOrganisation: 'lishui-commerce' };
    const { task } = await submit(event);
    expect(task).toMatchObject({ step: { index: 0, name: '主办单位审核' }, organisation: { code: 'lishui-commerce' }, status: 'pending' });
    const decided = await approve(task).expect(200);
    expect(decided.body).toMatchObject({ currentStep: 1, stepCount: 2 });
    const office = await pendingTask(event.submissionId);
    expect(office).toMatchObject({ step: { index: 1, name: '省商务厅办公室审批' }, organisation: { code: 'zj-commerce-office' } });
    await approve(office!).expect(200);
    const instance = await get(`/instances/${task.instanceId}`).expect(200);
    expect(instance.body).toMatchObject({ status: 'approved', stepCount: 2 });
  });

  it('refuses, once and for all, a promotion event that names no host organisation', async () => {
    const event: SubmissionSummary = { ...aSubmissionSummary(), kind: 'promotion_event' };
    const message = createMessage(SubmissionSubmitted, aSubmittedPayload(event), { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
    // Retries allowed, as in production: a refusal must not use them.
    await queue(QueueName.Workflow).add(message.name, message, { jobId: message.id, attempts: 5, backoff: { type: 'fixed', delay: 50 } });
    const job = await eventually(() => queue(QueueName.Workflow).getJob(message.id), (j) => j?.finishedOn !== undefined);
    expect(await job?.getState()).toBe('failed');
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toMatch(/^INVALID_CHAIN: /);
    expect((await get(`/tasks?submissionId=${event.submissionId}`)).body.total).toBe(0);
  });

  it('waits for the directory: a host organisation the replica does not hold yet is retried, and reviews once its message arrives', async () => {
    const event: SubmissionSummary = { ...aSubmissionSummary(), kind: 'promotion_event', hostOrganisation: `forestry-${randomUUID().slice(0, 8)}` };
    const message = createMessage(SubmissionSubmitted, aSubmittedPayload(event), { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
    await queue(QueueName.Workflow).add(message.name, message, { jobId: message.id, attempts: 20, backoff: { type: 'fixed', delay: 200 } });
    const retried = await eventually(() => queue(QueueName.Workflow).getJob(message.id), (j) => (j?.attemptsMade ?? 0) >= 1);
    expect(retried?.failedReason).toMatch(/not in workflow's directory replica yet/);
    const organisation = { code: event.hostOrganisation!, name: '浙江省林业局', kind: 'consulted_department', email: 'forestry@shanhai.example', cityCode: null, version: 1 };
    const directory = createMessage(DirectoryOrganisationChanged, organisation, { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
    await queue(QueueName.Workflow).add(directory.name, directory, { jobId: directory.id });
    const tasks = await eventually(() => get(`/tasks?submissionId=${event.submissionId}&status=pending`), (r) => r.body.items?.length === 1);
    expect(tasks.body.items[0]).toMatchObject({ step: { index: 0 }, organisation: { code: organisation.code, name: '浙江省林业局' }, status: 'pending' });
  });

  it("lets only the assigned organisation see and decide a step, and keeps applicants out", async () => {
    const { task } = await submit();
    const other = await reviewerOf('wenzhou-commerce');
    const mine = await reviewerOf('lishui-commerce');
    await http.post(`/tasks/${task.id}/decisions`).set('authorization', other).send({ outcome: 'approve' }).expect(404);
    await http.get(`/tasks/${task.id}`).set('authorization', other).expect(404);
    await http.get(`/instances/${task.instanceId}`).set('authorization', other).expect(404);
    const othersList = await http.get('/tasks?organisation=lishui-commerce').set('authorization', other).expect(200);
    expect(othersList.body.items.every((x: TaskBody) => x.organisation.code === 'wenzhou-commerce')).toBe(true);
    await http.get(`/tasks/${task.id}`).set('authorization', mine).expect(200);
    const applicant = await sign({ userId: randomUUID(), username: 'suichang', name: '遂昌县人民政府', role: 'applicant', county: 'suichang' });
    await http.get('/tasks').set('authorization', applicant).expect(403);
    await http.get('/tasks').expect(401);
    const decided = await http.post(`/tasks/${task.id}/decisions`).set('authorization', mine).send({ outcome: 'approve', reviewer: 'someone else' }).expect(400);
    expect(decided.body.errors).toEqual([{ field: 'reviewer', message: 'unknown field' }]);
  });

  it('keeps a withdrawal that comes before its instance, and applies it once the instance exists', async () => {
    const submission = aSubmissionSummary();
    const withdrawn = createMessage(SubmissionWithdrawn, { submissionId: submission.submissionId, revision: 1, by: '遂昌县人民政府 申报员' }, { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
    await queue(QueueName.Workflow).add(withdrawn.name, withdrawn, { jobId: withdrawn.id, attempts: 10, backoff: { type: 'fixed', delay: 200 } });
    const waiting = await eventually(() => queue(QueueName.Workflow).getJob(withdrawn.id), (j) => (j?.attemptsMade ?? 0) >= 1);
    expect(await waiting?.getState()).not.toBe('completed');
    const submitted = createMessage(SubmissionSubmitted, aSubmittedPayload(submission), { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
    await queue(QueueName.Workflow).add(submitted.name, submitted, { jobId: submitted.id });
    const tasks = await eventually(() => get(`/tasks?submissionId=${submission.submissionId}`), (r) => r.body.items?.length === 1);
    const task = tasks.body.items[0] as TaskBody;
    const instance = await eventually(() => get(`/instances/${task.instanceId}`), (r) => r.body.status === 'withdrawn');
    expect(instance.body.status).toBe('withdrawn');
    expect(await (await queue(QueueName.Workflow).getJob(withdrawn.id))?.getState()).toBe('completed');
  });

  it('lists the definitions in force', async () => {
    const response = await get('/definitions').expect(200);
    expect(response.body.items.map((d: { key: string; version: number }) => `${d.key}@${d.version}`)).toEqual(['zone_plan@3', 'promotion_event@2']);
  });

  it('closes the instance at its pending step when the applicant withdraws, and not once it is decided', async () => {
    /** Sends intake's withdrawal and waits until workflow has processed it. */
    const withdraw = async (submission: SubmissionSummary) => {
      const message = createMessage(SubmissionWithdrawn, { submissionId: submission.submissionId, revision: submission.revision, by: '遂昌县人民政府 申报员', reason: '规划调整' }, {
        id: randomUUID(),
        occurredAt: new Date(),
        correlationId: 'spec',
      });
      await queue(QueueName.Workflow).add(message.name, message, { jobId: message.id });
      const job = await eventually(() => queue(QueueName.Workflow).getJob(message.id), (j) => j?.finishedOn !== undefined);
      expect(await job?.getState()).toBe('completed');
    };
    const withdrawnFor = (name: string, instanceId: string) =>
      eventually(
        () => queue(name).getJobs(['waiting']),
        (jobs) => jobs.some((j) => j.name === 'approval.withdrawn' && (j.data as { payload: { instanceId: string } }).payload.instanceId === instanceId),
      ).then((jobs) => jobs.map((j) => parseMessage(j.data)).filter((m) => m.name === 'approval.withdrawn' && m.payload.instanceId === instanceId));

    const { submission, task } = await submit();
    await approve(task).expect(200);
    const second = (await pendingTask(submission.submissionId))!;
    await withdraw(submission);

    const instance = await get(`/instances/${task.instanceId}`).expect(200);
    expect(instance.body).toMatchObject({ status: 'withdrawn', currentStep: 1 });
    expect(instance.body.tasks.map((x: TaskBody) => x.status)).toEqual(['approved', 'withdrawn']);
    await expect(pendingTask(submission.submissionId)).resolves.toBeUndefined();
    const audit = await get(`/instances/${task.instanceId}/audit`).expect(200);
    expect(audit.body.at(-1)).toMatchObject({ action: 'withdrawn', actor: '遂昌县人民政府 申报员', actingFor: null, opinion: '规划调整', to: { status: 'withdrawn', step: 1 } });

    for (const name of [QueueName.Intake, QueueName.Notifier]) {
      const messages = await withdrawnFor(name, task.instanceId);
      expect(messages).toHaveLength(1);
      expect(messages[0]!.payload).toMatchObject({ withdrawnBy: '遂昌县人民政府 申报员', steps: [{ taskId: second.id, step: { index: 1, organisation: { code: 'zj-commerce' } } }] });
    }

    const late = await approve(second).expect(409);
    expect(late.body).toMatchObject({ code: 'TASK_CLOSED', current: { status: 'withdrawn', tasks: [{ status: 'approved' }, { status: 'withdrawn' }] } });

    // Once the chain is approved, a withdrawal that arrives late changes nothing.
    const approved = await submit();
    let current: TaskBody[] = [approved.task];
    while (current.length) {
      for (const x of current) await approve(x).expect(200);
      current = await pendingTasks(approved.submission.submissionId);
    }
    const entries = (await get(`/instances/${approved.task.instanceId}/audit`)).body.length as number;
    await withdraw(approved.submission);
    const after = await get(`/instances/${approved.task.instanceId}`).expect(200);
    expect(after.body.status).toBe('approved');
    expect(after.body.tasks.map((x: TaskBody) => x.status)).toEqual(Array(7).fill('approved'));
    expect((await get(`/instances/${approved.task.instanceId}/audit`)).body).toHaveLength(entries);
    const notified = await queue(QueueName.Intake).getJobs(['waiting']);
    expect(notified.some((j) => j.name === 'approval.withdrawn' && (j.data as { payload: { instanceId: string } }).payload.instanceId === approved.task.instanceId)).toBe(false);
  });

  it('refuses a decision on an unknown task without revealing anything', async () => {
    const response = await approve({ id: randomUUID(), organisation: { code: 'lishui-commerce' } }).expect(404);
    expect(response.body).toMatchObject({ code: 'NOT_FOUND' });
  });
});
