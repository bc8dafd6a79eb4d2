import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createMessage, DeadlineTimerJob, QueueName, SubmissionSubmitted, type SubmissionSummary } from '@shanhai/contracts';
import { Clock, ManualClock, MetricsService, TokenService, type Principal } from '@shanhai/platform';
import { aSubmissionSummary, aSubmittedPayload, createTestApp, eventually, type TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule, entities, migrations } from '../src/app.module.js';
import { CalendarsService } from '../src/calendars/calendars.service.js';
import type { WorkflowConfig } from '../src/config.js';
import { timerJobId, workingDaysBefore } from '../src/deadlines/deadline-timers.js';
import { DeadlineTimers, type TimerRef } from '../src/instances/deadline-timers.service.js';
import { seedDirectoryReplica } from './support/directory.js';

/** zone_plan: 初审 3 working days, escalated to the province's department when overdue; then 审核 5. */
const withTimers = {
  key: 'zone_plan',
  name: '经济开发区创建方案审批',
  remindBeforeBusinessDays: 2,
  steps: [
    { key: 'city_pre_review', name: '市商务局初审', reviewer: { kind: 'city_commerce_bureau' }, timeLimitBusinessDays: 3, escalateTo: { kind: 'organisation', code: 'zj-commerce' } },
    { key: 'province_review', name: '省商务厅审核', reviewer: { kind: 'organisation', code: 'zj-commerce' }, timeLimitBusinessDays: 5 },
  ],
};
/** 09:00 in China on a date. */
const chinaMorning = (date: string) => `${date}T01:00:00.000Z`;

interface TaskBody {
  id: string;
  instanceId: string;
  round: number;
  dueOn: string | null;
}

describe('workflow: reminders and escalation of a step time limit (ADR 0015)', () => {
  const clock = new ManualClock(chinaMorning('2026-09-30'));
  let t: TestApp<WorkflowConfig>;
  let http: ReturnType<typeof request>;
  let queue: Queue;
  let timersQueue: Queue;
  let db: DataSource;
  let admin: string;
  let lishui: string;
  const sign = async (principal: Principal) => `Bearer ${(await t.app.get(TokenService).signAccess(principal)).token}`;
  const as = (token: string) => ({ get: (url: string) => http.get(url).set('authorization', token), post: (url: string) => http.post(url).set('authorization', token) });

  /** Another workflow process on the same database and queues, on the same clock. */
  async function replica(): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forConfig(t.config)] })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    return app;
  }

  beforeAll(async () => {
    // The sweeper's schedule is far off: the spec runs sweeps itself, at the times it sets.
    t = await createTestApp<WorkflowConfig>({ service: 'workflow', module: (config) => AppModule.forConfig(config), schema: { entities, migrations }, prepare: seedDirectoryReplica, clock, extra: { timers: { sweepMs: 3_600_000 } } });
    http = request(t.app.getHttpServer());
    db = t.app.get(DataSource);
    queue = new Queue(QueueName.Workflow, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    timersQueue = new Queue(QueueName.WorkflowTimers, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    admin = await sign({ userId: randomUUID(), username: 'admin', name: '系统管理员', role: 'admin' });
    lishui = await sign({ userId: randomUUID(), username: 'lishui-commerce', name: '丽水市商务局 审核员', role: 'reviewer', organisation: 'lishui-commerce' });
    const published = await as(admin).post('/definitions').send(withTimers).expect(201);
    expect(published.body).toMatchObject({ remindBeforeBusinessDays: 2, steps: [{ escalateTo: { kind: 'organisation', code: 'zj-commerce' } }, {}] });
  });

  afterAll(async () => {
    await queue?.close();
    await timersQueue?.close();
    await t?.close();
  });

  async function submit(s: SubmissionSummary, revision = 1): Promise<TaskBody> {
    const message = createMessage(SubmissionSubmitted, aSubmittedPayload({ ...s, revision }), { id: randomUUID(), occurredAt: clock.now(), correlationId: 'spec' });
    await queue.add(message.name, message, { jobId: message.id });
    const found = await eventually(() => as(admin).get(`/tasks?submissionId=${s.submissionId}&status=pending`), (r) => r.body.items?.length === 1 && r.body.items[0].revision === revision);
    return found.body.items[0] as TaskBody;
  }
  /** The timers' audit entries of an instance's step 0, as [action, kind or target, round, dueOn]. */
  async function fired(instanceId: string): Promise<string[][]> {
    const entries = (await as(admin).get(`/instances/${instanceId}/audit`).expect(200)).body as { action: string; data: Record<string, unknown> }[];
    return entries
      .filter((e) => (e.action === 'reminded' || e.action === 'escalated') && e.data.step === 0)
      .map((e) => [e.action, String(e.data.kind ?? e.data.to), String(e.data.round), String(e.data.dueOn)]);
  }
  /** The reminder and escalation messages of an instance in the outbox. */
  const sent = async (instanceId: string) =>
    db.query<{ name: string; payload: Record<string, unknown> }[]>(
      `SELECT job_name AS name, data->'payload' AS payload FROM outbox WHERE job_name IN ('approval.reminder', 'approval.escalated') AND data->'payload'->>'instanceId' = $1 ORDER BY seq`,
      [instanceId],
    );
  const ref = (task: TaskBody, kind: TimerRef['kind'], dueOn = task.dueOn!): TimerRef => ({ instanceId: task.instanceId, step: 0, round: task.round, kind, dueOn });
  const timers = () => t.app.get(DeadlineTimers);
  /** Waits until the instance's timer jobs are in Redis, waiting for their moment, before the spec moves the clock past one. */
  async function armed(instanceId: string): Promise<void> {
    const ids = async () => (await db.query<{ job_id: string }[]>(`SELECT job_id FROM outbox WHERE job_name = $1 AND data->>'instanceId' = $2`, [DeadlineTimerJob.key, instanceId])).map((r) => r.job_id);
    await eventually(async () => Promise.all((await ids()).map((id) => timersQueue.getJobState(id))), (states) => states.length > 0 && states.every((x) => x === 'delayed' || x === 'completed'));
  }

  let first: TaskBody;

  it('arms three timers in the transaction that sets the due date: 2 working days before (Oct 8, 09:00), the due day (Oct 10), and overdue (Oct 11, 00:00)', async () => {
    first = await submit(aSubmissionSummary());
    expect(first.dueOn).toBe('2026-10-10');
    // Oct 10 is a make-up Saturday; the working days before it are Friday Oct 9, then Thursday Oct 8.
    expect(workingDaysBefore(await t.app.get(CalendarsService).workingDays(db.manager), '2026-10-10', 2)).toBe('2026-10-08');
    const rows = await db.query<{ job_id: string; data: { kind: string; fireAt: string } }[]>(
      `SELECT job_id, data FROM outbox WHERE job_name = $1 AND data->>'instanceId' = $2 AND (data->>'step')::int = 0 ORDER BY job_id`,
      [DeadlineTimerJob.key, first.instanceId],
    );
    expect(rows.map((r) => [r.job_id, r.data.kind, r.data.fireAt]).sort()).toEqual(
      [
        [timerJobId({ ...first, step: 0, dueOn: '2026-10-10' }, 'escalate'), 'escalate', '2026-10-10T16:00:00.000Z'],
        [timerJobId({ ...first, step: 0, dueOn: '2026-10-10' }, 'remind_before'), 'remind_before', '2026-10-08T01:00:00.000Z'],
        [timerJobId({ ...first, step: 0, dueOn: '2026-10-10' }, 'remind_due'), 'remind_due', '2026-10-10T01:00:00.000Z'],
      ].sort(),
    );
  });

  it('fires nothing early: a job or a sweep before the moment is a no-op', async () => {
    clock.set('2026-10-08T00:59:59.999Z');
    await expect(timers().fire(ref(first, 'remind_before'))).resolves.toBe(false);
    await timers().sweep();
    expect(await fired(first.instanceId)).toEqual([]);
  });

  it('reminds 2 working days before, once, however often the job or the sweeper comes', async () => {
    clock.set(chinaMorning('2026-10-08'));
    await Promise.all([timers().sweep(), timers().fire(ref(first, 'remind_before')), timers().fire(ref(first, 'remind_before'))]);
    await timers().sweep();
    await expect(timers().fire(ref(first, 'remind_before'))).resolves.toBe(false);
    expect(await fired(first.instanceId)).toEqual([['reminded', 'before', '1', '2026-10-10']]);
    const [reminder] = await sent(first.instanceId);
    expect(reminder).toMatchObject({ name: 'approval.reminder', payload: { kind: 'before', daysLeft: 2, dueOn: '2026-10-10', round: 1, steps: [{ taskId: first.id }] } });
  });

  it('reminds on the due day, and a late remind-before job then sends nothing', async () => {
    clock.set(chinaMorning('2026-10-10'));
    await timers().fire(ref(first, 'remind_due'));
    await expect(timers().fire(ref(first, 'remind_due'))).resolves.toBe(false);
    await expect(timers().fire(ref(first, 'remind_before'))).resolves.toBe(false);
    await timers().sweep();
    expect((await fired(first.instanceId)).map((f) => f[1])).toEqual(['before', 'due']);
  });

  it('escalates once overdue to the definition target, flags the step overdue and counts it in /metrics', async () => {
    clock.set('2026-10-10T15:59:59.999Z');
    await timers().sweep();
    expect((await fired(first.instanceId)).map((f) => f[0])).toEqual(['reminded', 'reminded']);
    clock.set('2026-10-10T16:00:00.000Z');
    await Promise.all([timers().sweep(), timers().fire(ref(first, 'escalate'))]);
    await timers().sweep();
    expect((await fired(first.instanceId)).at(-1)).toEqual(['escalated', 'zj-commerce', '1', '2026-10-10']);
    expect((await sent(first.instanceId)).map((m) => m.name)).toEqual(['approval.reminder', 'approval.reminder', 'approval.escalated']);
    expect((await sent(first.instanceId)).at(-1)?.payload).toMatchObject({ escalatedTo: { code: 'zj-commerce', name: '浙江省商务厅' }, supervisors: false, dueOn: '2026-10-10' });
    const task = (await as(admin).get(`/tasks/${first.id}`).expect(200)).body;
    expect(task).toMatchObject({ overdue: true });
    const metrics = t.app.get(MetricsService).registry;
    expect(await metrics.getSingleMetricAsString('shanhai_deadlines_overdue')).toMatch(/shanhai_deadlines_overdue(\{[^}]*\})? 1$/m);
    const counted = await metrics.getSingleMetricAsString('shanhai_reminders_sent_total');
    expect(counted).toMatch(/kind="before"[^\n]*\} 1$/m);
    expect(counted).toMatch(/kind="due"[^\n]*\} 1$/m);
    expect(counted).toMatch(/kind="escalation"[^\n]*\} 1$/m);
  });

  it('fires nothing for a step decided before its due date', async () => {
    clock.set(chinaMorning('2026-10-12'));
    const task = await submit(aSubmissionSummary());
    expect(task.dueOn).toBe('2026-10-15');
    await as(lishui).post(`/tasks/${task.id}/decisions`).send({ outcome: 'approve' }).expect(200);
    for (const at of [chinaMorning('2026-10-13'), chinaMorning('2026-10-15'), '2026-10-15T16:00:00.000Z']) {
      clock.set(at);
      await timers().sweep();
      for (const kind of ['remind_before', 'remind_due', 'escalate'] as const) await expect(timers().fire(ref(task, kind))).resolves.toBe(false);
    }
    expect(await fired(task.instanceId)).toEqual([]);
  });

  it('re-arms a returned step with the new due date when the correction arrives; the old jobs do nothing', async () => {
    clock.set(chinaMorning('2026-10-19'));
    const s = aSubmissionSummary();
    const before = await submit(s);
    expect(before.dueOn).toBe('2026-10-22');
    await armed(before.instanceId);
    // 16:00 in China, the day it arrived: before its first reminder (Oct 20, 09:00).
    clock.set('2026-10-19T08:00:00.000Z');
    await as(lishui).post(`/tasks/${before.id}/decisions`).send({ outcome: 'return', deficiencies: [{ target: 'field', ref: 'title', note: '名称有误。' }] }).expect(200);
    // While it is back with the applicant, nothing fires.
    clock.set('2026-10-22T16:00:00.000Z');
    await timers().sweep();
    await expect(timers().fire(ref(before, 'escalate'))).resolves.toBe(false);
    clock.set(chinaMorning('2026-10-26'));
    const after = await submit(s, 2);
    // Monday Oct 26 with the 3 working days left: due Thursday Oct 29.
    expect(after).toMatchObject({ round: 2, dueOn: '2026-10-29' });
    const rearmed = await db.query<{ job_id: string }[]>(`SELECT job_id FROM outbox WHERE job_name = $1 AND data->>'instanceId' = $2 AND (data->>'round')::int = 2 AND (data->>'step')::int = 0`, [DeadlineTimerJob.key, after.instanceId]);
    expect(rearmed.map((r) => r.job_id).sort()).toEqual((['escalate', 'remind_before', 'remind_due'] as const).map((kind) => timerJobId({ ...after, step: 0, dueOn: '2026-10-29' }, kind)).sort());
    await armed(after.instanceId);
    clock.set(chinaMorning('2026-10-29'));
    await expect(timers().fire(ref(before, 'remind_due', '2026-10-22'))).resolves.toBe(false);
    await expect(timers().fire(ref(after, 'remind_before'))).resolves.toBe(false);
    await timers().fire(ref(after, 'remind_due'));
    await timers().sweep();
    expect(await fired(after.instanceId)).toEqual([['reminded', 'due', '2', '2026-10-29']]);
  });

  it('sends each reminder once with two workflow replicas taking the same jobs, twice over', async () => {
    clock.set(chinaMorning('2026-11-02'));
    const task = await submit(aSubmissionSummary());
    expect(task.dueOn).toBe('2026-11-05');
    const second = await replica();
    try {
      clock.set(chinaMorning('2026-11-05'));
      const data = { ...ref(task, 'remind_due'), fireAt: chinaMorning('2026-11-05') };
      // The same timer under other ids too (a job re-added after Redis lost it): the row decides, not the id.
      await timersQueue.addBulk(['a', 'b', 'c', 'd'].map((n) => ({ name: DeadlineTimerJob.key, data, opts: { jobId: `spec-${n}-${task.instanceId}` } })));
      await Promise.all([timers().sweep(), second.get(DeadlineTimers).sweep(), second.get(DeadlineTimers).fire(ref(task, 'remind_due'))]);
      await eventually(async () => Promise.all(['a', 'b', 'c', 'd'].map((n) => timersQueue.getJobState(`spec-${n}-${task.instanceId}`))), (states) => states.every((s) => s === 'completed'));
      expect(await fired(task.instanceId)).toEqual([['reminded', 'due', '1', '2026-11-05']]);
      expect((await sent(task.instanceId)).map((m) => m.name)).toEqual(['approval.reminder']);
    } finally {
      await second.close();
    }
  });

  it('fires what came due while workflow was down, once, when it starts again', async () => {
    clock.set(chinaMorning('2026-11-09'));
    const task = await submit(aSubmissionSummary());
    expect(task.dueOn).toBe('2026-11-12');
    await armed(task.instanceId);
    // Killed just before the due day ends; started again after it, on the same database and queues.
    const before = await replica();
    clock.set('2026-11-12T15:59:00.000Z');
    await before.close();
    clock.set('2026-11-13T02:00:00.000Z');
    const after = await replica();
    try {
      await Promise.all([after.get(DeadlineTimers).sweep(), timers().sweep()]);
      await after.get(DeadlineTimers).sweep();
      // Downtime swallowed the due day's reminder: once overdue, only the escalation is sent.
      expect(await fired(task.instanceId)).toEqual([['escalated', 'zj-commerce', '1', '2026-11-12']]);
      await expect(after.get(DeadlineTimers).fire(ref(task, 'escalate'))).resolves.toBe(false);
      await expect(after.get(DeadlineTimers).fire(ref(task, 'remind_due'))).resolves.toBe(false);
      expect((await sent(task.instanceId)).map((m) => m.name)).toEqual(['approval.escalated']);
    } finally {
      await after.close();
    }
  });

  it('re-arms a countersign step returned by one party for its re-entered round, and reminds every pending party once', async () => {
    const countersigned = {
      ...withTimers,
      steps: [{ key: 'joint_pre_review', name: '市商务局、省自然资源厅会签', mode: 'all_of', reviewers: [{ kind: 'city_commerce_bureau' }, { kind: 'organisation', code: 'zj-nr' }], timeLimitBusinessDays: 3 }, withTimers.steps[1]],
    };
    await as(admin).post('/definitions').send(countersigned).expect(201);
    const s = aSubmissionSummary();
    const pendingOf = async (revision: number) =>
      (await eventually(() => as(admin).get(`/tasks?submissionId=${s.submissionId}&status=pending`), (r) => r.body.items?.length === 2 && r.body.items[0].revision === revision)).body.items as TaskBody[];
    clock.set(chinaMorning('2026-11-16'));
    const message = (revision: number) => createMessage(SubmissionSubmitted, aSubmittedPayload({ ...s, revision }), { id: randomUUID(), occurredAt: clock.now(), correlationId: 'spec' });
    let submitted = message(1);
    await queue.add(submitted.name, submitted, { jobId: submitted.id });
    const [mine] = (await pendingOf(1)).filter((x) => (x as TaskBody & { organisation: { code: string } }).organisation.code === 'lishui-commerce');
    expect(mine).toMatchObject({ round: 1, dueOn: '2026-11-19' });
    await armed(mine!.instanceId);
    // 16:00 in China, the day it arrived: before its first reminder (Nov 17, 09:00).
    clock.set('2026-11-16T08:00:00.000Z');
    await as(lishui).post(`/tasks/${mine!.id}/decisions`).send({ outcome: 'return', deficiencies: [{ target: 'field', ref: 'title', note: '名称有误。' }] }).expect(200);
    clock.set(chinaMorning('2026-11-23'));
    submitted = message(2);
    await queue.add(submitted.name, submitted, { jobId: submitted.id });
    const again = await pendingOf(2);
    // Monday Nov 23 with the 3 working days left at the return: due Thursday Nov 26, for both parties.
    expect(again.map((x) => [x.round, x.dueOn])).toEqual([[2, '2026-11-26'], [2, '2026-11-26']]);
    await armed(mine!.instanceId);
    clock.set(chinaMorning('2026-11-26'));
    await expect(timers().fire(ref(mine!, 'remind_due', '2026-11-19'))).resolves.toBe(false);
    await Promise.all([timers().fire(ref(again[0]!, 'remind_due')), timers().sweep()]);
    await timers().sweep();
    expect(await fired(mine!.instanceId)).toEqual([['reminded', 'due', '2', '2026-11-26']]);
    const [reminder, ...more] = await sent(mine!.instanceId);
    expect(more).toEqual([]);
    expect((reminder?.payload.steps as { taskId: string }[]).map((x) => x.taskId).sort()).toEqual(again.map((x) => x.id).sort());
  });

  it("escalates a step the definition names no target for to its own organisation's supervisors", async () => {
    const { escalateTo: _target, ...ownStep } = withTimers.steps[0]!;
    await as(admin).post('/definitions').send({ ...withTimers, steps: [ownStep, withTimers.steps[1]] }).expect(201);
    clock.set(chinaMorning('2026-11-30'));
    const task = await submit(aSubmissionSummary());
    expect(task.dueOn).toBe('2026-12-03');
    clock.set('2026-12-03T16:00:00.000Z');
    await timers().fire(ref(task, 'escalate'));
    const entries = (await as(admin).get(`/instances/${task.instanceId}/audit`).expect(200)).body as { action: string; data: Record<string, unknown> }[];
    expect(entries.find((e) => e.action === 'escalated')?.data).toMatchObject({ to: 'lishui-commerce', supervisors: true, dueOn: '2026-12-03' });
    expect((await sent(task.instanceId)).at(-1)?.payload).toMatchObject({ escalatedTo: { code: 'lishui-commerce', name: '丽水市商务局' }, supervisors: true });
  });
});
