import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMessage, QueueName, SubmissionSubmitted, type SubmissionSummary } from '@shanhai/contracts';
import { replay } from '@shanhai/domain';
import { ManualClock, MetricsService, TokenService, type Principal } from '@shanhai/platform';
import { aSubmissionSummary, aSubmittedPayload, createTestApp, eventually, type TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule, entities, migrations } from '../src/app.module.js';
import { stateOf } from '../src/instances/instance-columns.js';
import { Instance } from '../src/instances/instance.entity.js';
import { reviveDates } from './support/audit.js';
import { seedDirectoryReplica } from './support/directory.js';

/** zone_plan with time limits: 初审 3 working days (extended by at most 2), then 审核 5; 40 promised for the whole review. */
const withLimits = {
  key: 'zone_plan',
  name: '经济开发区创建方案审批',
  committedLimitBusinessDays: 40,
  steps: [
    { key: 'city_pre_review', name: '市商务局初审', reviewer: { kind: 'city_commerce_bureau' }, timeLimitBusinessDays: 3, maxExtensionBusinessDays: 2 },
    { key: 'province_review', name: '省商务厅审核', reviewer: { kind: 'organisation', code: 'zj-commerce' }, timeLimitBusinessDays: 5 },
  ],
};
/** 09:00 in China on a date. */
const chinaMorning = (date: string) => `${date}T01:00:00.000Z`;

interface TaskBody {
  id: string;
  instanceId: string;
  round: number;
  status: string;
  dueOn: string | null;
  overdue: boolean;
  clock?: { status: string; dueOn: string | null; remainingDays: number | null; extendedDays: number; problem?: string };
}

describe('workflow: the legal clock (办理时限, 承诺时限, 延期)', () => {
  const clock = new ManualClock(chinaMorning('2026-09-30'));
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let queue: Queue;
  let admin: string;
  let lishui: string;
  const sign = async (principal: Principal) => `Bearer ${(await t.app.get(TokenService).signAccess(principal)).token}`;
  const as = (token: string) => ({ get: (url: string) => http.get(url).set('authorization', token), post: (url: string) => http.post(url).set('authorization', token) });

  beforeAll(async () => {
    t = await createTestApp({ service: 'workflow', module: (config) => AppModule.forConfig(config), schema: { entities, migrations }, prepare: seedDirectoryReplica, clock });
    http = request(t.app.getHttpServer());
    queue = new Queue(QueueName.Workflow, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    admin = await sign({ userId: randomUUID(), username: 'admin', name: '系统管理员', role: 'admin' });
    lishui = await sign({ userId: randomUUID(), username: 'lishui-commerce', name: '丽水市商务局 审核员', role: 'reviewer', organisation: 'lishui-commerce' });
    await as(admin).post('/definitions').send(withLimits).expect(201);
  });

  afterAll(async () => {
    await queue?.close();
    await t?.close();
  });

  /** Sends revision `revision` as intake would, and waits for its pending task. */
  async function submit(s: SubmissionSummary, revision = 1): Promise<TaskBody> {
    const message = createMessage(SubmissionSubmitted, aSubmittedPayload({ ...s, revision }), { id: randomUUID(), occurredAt: clock.now(), correlationId: 'spec' });
    await queue.add(message.name, message, { jobId: message.id });
    const found = await eventually(() => as(admin).get(`/tasks?submissionId=${s.submissionId}&status=pending`), (r) => r.body.items?.length === 1 && r.body.items[0].revision === revision);
    return found.body.items[0] as TaskBody;
  }
  const instance = async (id: string) => (await as(admin).get(`/instances/${id}`).expect(200)).body;
  const audit = async (id: string) => (await as(admin).get(`/instances/${id}/audit`).expect(200)).body as { action: string; data: Record<string, unknown> }[];
  const ids = async (query: string) => ((await as(admin).get(`/tasks?${query}`).expect(200)).body.items as TaskBody[]).map((x) => x.id);

  const s = aSubmissionSummary();
  let first: TaskBody;
  let second: TaskBody;

  it('computes the due date when a step starts: 3 working days from Sep 30 is the make-up Saturday Oct 10', async () => {
    first = await submit(s);
    expect(first).toMatchObject({ dueOn: '2026-10-10', overdue: false, clock: { status: 'running', dueOn: '2026-10-10' } });
    const view = await instance(first.instanceId);
    expect(view.deadlines.committed).toMatchObject({ status: 'running', limitDays: 40, startedOn: '2026-09-30', dueOn: '2026-12-01' });
    expect(view.tasks[0]).toMatchObject({ dueOn: '2026-10-10' });
    const actions = (await audit(first.instanceId)).map((e) => e.action);
    expect(actions).toEqual(['started', 'deadline_set', 'step_assigned', 'deadline_set']);
  });

  it('stops both clocks on a return on the first working day back, with 2 days of the step left', async () => {
    clock.set(chinaMorning('2026-10-08'));
    await as(lishui).post(`/tasks/${first.id}/decisions`).send({ outcome: 'return', deficiencies: [{ target: 'field', ref: 'title', note: '名称有误。' }] }).expect(200);
    const view = await instance(first.instanceId);
    expect(view.deadlines.steps).toMatchObject([{ step: 0, round: 1, status: 'paused', pausedOn: '2026-10-08', remainingDays: 2, dueOn: '2026-10-10' }]);
    expect(view.deadlines.committed).toMatchObject({ status: 'paused', remainingDays: 39 });
  });

  it('resumes a week later with the 2 days left, not the whole limit', async () => {
    clock.set(chinaMorning('2026-10-15'));
    second = await submit(s, 2);
    // Thursday Oct 15 + 2 working days: Friday, then Monday.
    expect(second).toMatchObject({ round: 2, dueOn: '2026-10-19', clock: { status: 'running', remainingDays: null } });
    const view = await instance(second.instanceId);
    expect(view.deadlines.steps.map((c: { round: number; status: string }) => [c.round, c.status])).toEqual([[1, 'resumed'], [2, 'running']]);
    expect(view.deadlines.committed).toMatchObject({ status: 'running', startedOn: '2026-10-15' });
    expect((await audit(second.instanceId)).slice(-4).map((e) => e.action)).toEqual(['resubmitted', 'clock_resumed', 'step_assigned', 'clock_resumed']);
  });

  it('extends once, within the bound, and tells the applicant; a second extension is refused', async () => {
    const tooLong = await as(lishui).post(`/tasks/${second.id}/extension`).send({ days: 3, reason: '需征求意见' }).expect(422);
    expect(tooLong.body).toMatchObject({ code: 'EXTENSION_TOO_LONG' });
    await as(lishui).post(`/tasks/${second.id}/extension`).send({ days: 2, reason: '   ' }).expect(422);
    const extended = await as(lishui).post(`/tasks/${second.id}/extension`).send({ days: 2, reason: '需征求省自然资源厅意见' }).expect(200);
    expect(extended.body.tasks.at(-1)).toMatchObject({ dueOn: '2026-10-21', clock: { extendedDays: 2, extensionReason: '需征求省自然资源厅意见' } });
    const again = await as(lishui).post(`/tasks/${second.id}/extension`).send({ days: 1, reason: '再延' }).expect(409);
    expect(again.body).toMatchObject({ code: 'ALREADY_EXTENDED', current: { id: second.instanceId } });
    const [sent] = await t.app.get(DataSource).query<{ payload: Record<string, unknown> }[]>(
      `SELECT data->'payload' AS payload FROM outbox WHERE job_name = 'approval.deadline_extended' AND data->'payload'->>'instanceId' = $1`,
      [second.instanceId],
    );
    expect(sent?.payload).toMatchObject({ days: 2, dueOn: '2026-10-21', reason: '需征求省自然资源厅意见', extendedBy: '丽水市商务局 审核员', taskId: second.id });
    expect((await audit(second.instanceId)).at(-1)).toMatchObject({ action: 'deadline_extended', data: { days: 2, dueOn: '2026-10-21' } });
  });

  it('filters the task list by due date and by overdue, as the clock moves', async () => {
    expect(await ids('due_before=2026-10-22')).toContain(second.id);
    expect(await ids('due_before=2026-10-21')).not.toContain(second.id);
    expect(await ids('overdue=true')).not.toContain(second.id);
    // The last moment of the due day in China is still on time; the next is overdue.
    clock.set('2026-10-21T15:59:59.999Z');
    expect(await ids('overdue=true')).not.toContain(second.id);
    clock.set('2026-10-21T16:00:00.000Z');
    expect(await ids('overdue=true')).toContain(second.id);
    expect(await ids('overdue=false')).not.toContain(second.id);
    expect((await as(admin).get(`/tasks/${second.id}`).expect(200)).body).toMatchObject({ overdue: true });
    const bad = await as(admin).get('/tasks?due_before=2026-13-01&overdue=yes').expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['due_before', 'overdue']);
  });

  it('closes the step clock when it is decided: a decided task is never overdue', async () => {
    await as(lishui).post(`/tasks/${second.id}/decisions`).send({ outcome: 'approve' }).expect(200);
    const view = await instance(second.instanceId);
    expect(view.deadlines.steps.map((c: { step: number; round: number; status: string }) => [c.step, c.round, c.status])).toEqual([[0, 1, 'resumed'], [0, 2, 'done'], [1, 3, 'running']]);
    expect(view.tasks.find((x: TaskBody) => x.id === second.id)).toMatchObject({ overdue: false });
  });

  it('opens a step whose due date falls in a year without a calendar, leaves the date unset and alerts; loading the year computes it, in the audit', async () => {
    clock.set(chinaMorning('2026-12-29'));
    const late = await submit(aSubmissionSummary());
    expect(late).toMatchObject({ status: 'pending', dueOn: null, clock: { dueOn: null, problem: expect.stringContaining('2027') } });
    const metrics = await t.app.get(MetricsService).registry.getSingleMetricAsString('shanhai_calendar_missing_total');
    expect(metrics).toMatch(/shanhai_calendar_missing_total\{year="2027"[^}]*\} [1-9]/);
    await http.put('/calendars/2027').set('authorization', admin).send({ holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], makeUpWorkdays: [] }).expect(200);
    // Dec 30, Dec 31, then Jan 4 after New Year.
    expect((await as(admin).get(`/tasks/${late.id}`).expect(200)).body).toMatchObject({ dueOn: '2027-01-04', clock: { dueOn: '2027-01-04' } });
    const entries = await audit(late.instanceId);
    expect(entries.filter((e) => e.action === 'deadline_recomputed').map((e) => e.data)).toEqual(
      expect.arrayContaining([expect.objectContaining({ clock: 'step', year: 2027, previousDueOn: null, dueOn: '2027-01-04' })]),
    );
  });

  it('replays every audit trail to the stored state, clock events and extension included', async () => {
    const manager = t.app.get(DataSource).manager;
    for (const row of await manager.find(Instance)) {
      const rebuilt = replay((await audit(row.id)).map((e) => reviveDates(e.data)));
      expect(rebuilt).toEqual(stateOf(row));
    }
    expect(stateOf(await manager.findOneByOrFail(Instance, { id: second.instanceId })).extendedSteps).toEqual([0]);
  });
});
