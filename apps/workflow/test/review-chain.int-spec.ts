import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMessage, parseMessage, QueueName, SubmissionSubmitted, type SubmissionSummary } from '@shanhai/contracts';
import { replay, type InstanceEvent } from '@shanhai/domain';
import { createTestApp, type TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import { AppModule, entities, migrations } from '../src/app.module.js';

async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const summary = (): SubmissionSummary => ({
  submissionId: randomUUID(),
  kind: 'zone_plan',
  revision: 1,
  title: '浙江遂昌经济开发区',
  county: { code: 'suichang', name: '遂昌县' },
  city: { code: 'lishui', name: '丽水市' },
  applicant: { name: '遂昌县人民政府', email: 'suichang@shanhai.example' },
  stakeholders: [],
});

interface TaskBody {
  id: string;
  instanceId: string;
  step: { index: number; name: string };
  organisation: { code: string };
  status: string;
}

describe('workflow: the three-step review chain', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  const queues: Partial<Record<string, Queue>> = {};
  const queue = (name: string): Queue =>
    (queues[name] ??= new Queue(name, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix }));

  beforeAll(async () => {
    t = await createTestApp({ service: 'workflow', module: (config) => AppModule.forConfig(config), schema: { entities, migrations } });
    http = request(t.app.getHttpServer());
  });

  afterAll(async () => {
    await Promise.all(Object.values(queues).flatMap((q) => (q ? [q.close()] : [])));
    await t.close();
  });

  /** Submits as intake would, and waits for the first task. */
  async function submit(s = summary()): Promise<{ submission: SubmissionSummary; task: TaskBody; messageId: string }> {
    const message = createMessage(SubmissionSubmitted, s, { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
    await queue(QueueName.Workflow).add(message.name, message, { jobId: message.id });
    const tasks = await eventually(() => http.get(`/tasks?submissionId=${s.submissionId}&status=pending`), (r) => r.body.items?.length === 1);
    return { submission: s, task: tasks.body.items[0] as TaskBody, messageId: message.id };
  }

  const pendingTask = async (submissionId: string): Promise<TaskBody | undefined> =>
    (await http.get(`/tasks?submissionId=${submissionId}&status=pending`)).body.items[0] as TaskBody | undefined;

  const approve = (taskId: string, reviewer = '审核人') => http.post(`/tasks/${taskId}/decisions`).send({ outcome: 'approve', reviewer, opinion: '同意' });

  it('assigns step 1 to the city commerce bureau of the applicant county', async () => {
    const { task } = await submit();
    expect(task).toMatchObject({ step: { index: 0, name: '市商务局初审' }, organisation: { code: 'lishui-commerce' }, status: 'pending' });
  });

  it('walks 初审 → 审核 → 审批 and announces each step and the approval', async () => {
    const { submission, task } = await submit();
    const organisations = [task.organisation.code];
    let current: TaskBody | undefined = task;
    for (let step = 0; step < 3; step += 1) {
      const decided = await approve(current!.id).expect(200);
      expect(decided.body.currentStep).toBe(step === 2 ? 2 : step + 1);
      current = await pendingTask(submission.submissionId);
      if (current) organisations.push(current.organisation.code);
    }
    expect(organisations).toEqual(['lishui-commerce', 'zj-commerce', 'zj-gov']);
    const instance = await http.get(`/instances/${task.instanceId}`).expect(200);
    expect(instance.body).toMatchObject({ status: 'approved', stepCount: 3 });
    expect(instance.body.tasks.map((x: TaskBody) => x.status)).toEqual(['approved', 'approved', 'approved']);

    const toNotifier = await eventually(
      () => queue(QueueName.Notifier).getJobs(['waiting']),
      (jobs) => jobs.some((j) => j.name === 'approval.approved' && (j.data as { payload: { instanceId: string } }).payload.instanceId === task.instanceId),
    );
    const names = toNotifier
      .map((j) => parseMessage(j.data))
      .filter((m) => 'instanceId' in m.payload && m.payload.instanceId === task.instanceId)
      .map((m) => m.name);
    expect(names.sort()).toEqual(['approval.approved', 'approval.task_assigned', 'approval.task_assigned', 'approval.task_assigned']);
  });

  it('rebuilds the stored state from the recorded events', async () => {
    const { task } = await submit();
    await approve(task.id).expect(200);
    const [instance, events] = await Promise.all([http.get(`/instances/${task.instanceId}`), http.get(`/instances/${task.instanceId}/events`)]);
    const rebuilt = replay(events.body.map((e: { data: InstanceEvent }) => e.data));
    expect(rebuilt).toEqual({ status: instance.body.status, currentStep: instance.body.currentStep, stepCount: instance.body.stepCount });
  });

  it('ends the chain on a rejection, which needs a reason', async () => {
    const { submission, task } = await submit();
    const missing = await http.post(`/tasks/${task.id}/decisions`).send({ outcome: 'reject', reviewer: '审核人' }).expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    const rejected = await http.post(`/tasks/${task.id}/decisions`).send({ outcome: 'reject', reviewer: '审核人', reason: '四至范围与国土空间规划不符' }).expect(200);
    expect(rejected.body.status).toBe('rejected');
    await expect(pendingTask(submission.submissionId)).resolves.toBeUndefined();
    const again = await approve(task.id).expect(409);
    expect(again.body).toMatchObject({ code: 'TASK_CLOSED', current: { status: 'rejected', tasks: [{ status: 'rejected', decidedBy: '审核人' }] } });
  });

  it('lets exactly one of two simultaneous decisions on a step win, every time', async () => {
    for (let round = 0; round < 15; round += 1) {
      const { submission, task } = await submit();
      const [a, b] = await Promise.all([approve(task.id, '甲'), approve(task.id, '乙')]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      expect(['TASK_CLOSED', 'STALE_VERSION']).toContain(loser.body.code);
      expect(loser.body.current.currentStep).toBe(1);
      const events = await http.get(`/instances/${task.instanceId}/events`);
      expect(events.body.filter((e: { type: string }) => e.type === 'step_approved')).toHaveLength(1);
      expect((await pendingTask(submission.submissionId))?.step.index).toBe(1);
    }
  });

  it('starts one instance however often a submission is delivered', async () => {
    const { submission, messageId } = await submit();
    const message = createMessage(SubmissionSubmitted, submission, { id: messageId, occurredAt: new Date(), correlationId: 'spec' });
    await queue(QueueName.Workflow).add(message.name, message, { jobId: `redelivery-${messageId}` });
    await eventually(() => queue(QueueName.Workflow).getJob(`redelivery-${messageId}`), (j) => j?.finishedOn !== undefined);
    const tasks = await http.get(`/tasks?submissionId=${submission.submissionId}`);
    expect(tasks.body.total).toBe(1);
  });

  it('refuses a decision on an unknown task without revealing anything', async () => {
    const response = await approve(randomUUID()).expect(404);
    expect(response.body).toMatchObject({ code: 'NOT_FOUND' });
  });
});
