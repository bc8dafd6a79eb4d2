import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMessage, parseMessage, QueueName, SubmissionSubmitted, type AnyMessage, type SubmissionSummary } from '@shanhai/contracts';
import { replay } from '@shanhai/domain';
import { TokenService, type Principal } from '@shanhai/platform';
import { aPlanContent, aSubmissionSummary, aSubmittedPayload, createTestApp, eventually, type TestApp } from '@shanhai/platform/testing';
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
  step: { index: number; key: string; name: string };
  round: number;
  party: number;
  organisation: { code: string };
  status: string;
  assignee?: { userId: string; name: string };
  actingFor: string | null;
  decidedBy: string | null;
  deficiencies: { target: string; ref: string; note: string }[];
}

const meta = () => ({ id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });

describe('workflow: the approval engine (会审, 补正, 转办)', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let admin: string;
  const queues: Partial<Record<string, Queue>> = {};
  const people = new Map<string, { principal: Principal; token: string }>();
  const sign = async (principal: Principal) => `Bearer ${(await t.app.get(TokenService).signAccess(principal)).token}`;
  const queue = (name: string): Queue => (queues[name] ??= new Queue(name, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix }));
  const get = (url: string) => http.get(url).set('authorization', admin);

  /** A signed-in reviewer: `organisation` alone, or `organisation|who` for a named colleague. */
  const person = (key: string) => people.get(key)!;

  beforeAll(async () => {
    t = await createTestApp({ service: 'workflow', module: (config) => AppModule.forConfig(config), schema: { entities, migrations }, prepare: seedDirectoryReplica });
    http = request(t.app.getHttpServer());
    admin = await sign({ userId: randomUUID(), username: 'admin', name: '系统管理员', role: 'admin' });
    const organisations = ['lishui-commerce', 'wenzhou-commerce', 'zj-commerce', 'zj-nr', 'zj-drc', 'zj-eco', 'zj-gov', 'zj-gov-office'];
    for (const organisation of organisations) {
      for (const who of ['', '甲', '李']) {
        const principal: Principal = { userId: randomUUID(), username: `${organisation}${who}`, name: `${organisation} 审核员${who}`, role: 'reviewer', organisation };
        people.set(who ? `${organisation}|${who}` : organisation, { principal, token: await sign(principal) });
      }
    }
  });

  afterAll(async () => {
    await Promise.all(Object.values(queues).flatMap((q) => (q ? [q.close()] : [])));
    await t.close();
  });

  async function send(payload: ReturnType<typeof aSubmittedPayload>): Promise<string> {
    const message = createMessage(SubmissionSubmitted, payload, meta());
    await queue(QueueName.Workflow).add(message.name, message, { jobId: message.id });
    return message.id;
  }

  async function submit(s: SubmissionSummary = aSubmissionSummary()): Promise<{ submission: SubmissionSummary; task: TaskBody }> {
    await send(aSubmittedPayload(s));
    const tasks = await eventually(() => get(`/tasks?submissionId=${s.submissionId}&status=pending`), (r) => r.body.items?.length === 1);
    return { submission: s, task: tasks.body.items[0] as TaskBody };
  }

  const pending = async (submissionId: string): Promise<TaskBody[]> => (await get(`/tasks?submissionId=${submissionId}&status=pending`)).body.items as TaskBody[];
  const decide = (task: Pick<TaskBody, 'id' | 'organisation'>, body: object, who = '') =>
    http.post(`/tasks/${task.id}/decisions`).set('authorization', person(who ? `${task.organisation.code}|${who}` : task.organisation.code).token).send(body);
  const approve = (task: Pick<TaskBody, 'id' | 'organisation'>, who = '') => decide(task, { outcome: 'approve', opinion: '同意' }, who);

  /** Approves every pending task until the step with `key` is the one pending. */
  async function advanceTo(submissionId: string, key: string): Promise<TaskBody[]> {
    for (;;) {
      const tasks = await pending(submissionId);
      if (tasks[0]?.step.key === key) return tasks;
      if (!tasks.length) throw new Error(`${key} was never reached`);
      for (const task of tasks) await approve(task).expect(200);
    }
  }

  /** Messages the outbox relayed for an instance to one service's queue, in the order they were queued. */
  async function relayed(name: QueueName, instanceId: string, until: (messages: AnyMessage[]) => boolean): Promise<AnyMessage[]> {
    const read = async () =>
      (await queue(name).getJobs(['waiting', 'completed', 'failed', 'active', 'delayed']))
        .map((j) => parseMessage(j.data))
        .filter((m) => 'instanceId' in m.payload && m.payload.instanceId === instanceId)
        .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    return eventually(read, until);
  }

  async function expectRebuiltFromAudit(instanceId: string): Promise<void> {
    const [instance, audit] = await Promise.all([t.app.get(DataSource).manager.findOneByOrFail(Instance, { id: instanceId }), get(`/instances/${instanceId}/audit`).expect(200)]);
    expect(replay(audit.body.map((e: { data: unknown }) => reviveDates(e.data)))).toEqual(stateOf(instance));
  }

  describe('the joint review (会审): all three departments must agree', () => {
    it('assigns the three departments at once, waits for every one, then moves to 审批', async () => {
      const { submission, task } = await submit();
      const joint = await advanceTo(submission.submissionId, 'joint_review');
      expect(joint.map((x) => [x.organisation.code, x.party, x.step.name])).toEqual([
        ['zj-nr', 0, '省级部门会审'],
        ['zj-drc', 1, '省级部门会审'],
        ['zj-eco', 2, '省级部门会审'],
      ]);
      // Parallel decisions by different departments all land: they queue on the instance, none is refused.
      const answers = await Promise.all(joint.slice(0, 2).map((x) => approve(x)));
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect((await pending(submission.submissionId)).map((x) => x.organisation.code)).toEqual(['zj-eco']);
      await approve(joint[2]!).expect(200);
      expect((await pending(submission.submissionId)).map((x) => [x.step.key, x.organisation.code])).toEqual([['province_approval', 'zj-gov']]);
      const each = await relayed(QueueName.Intake, task.instanceId, (ms) => ms.filter((m) => m.name === 'approval.step_approved').length >= 5);
      expect(each.filter((m) => m.name === 'approval.step_approved' && m.payload.step.key === 'joint_review').map((m) => 'step' in m.payload && m.payload.step.organisation.code)).toEqual(
        expect.arrayContaining(['zj-nr', 'zj-drc', 'zj-eco']),
      );
      await expectRebuiltFromAudit(task.instanceId);
    });

    it('ends the review when one department rejects, closing the others', async () => {
      const { submission, task } = await submit();
      const joint = await advanceTo(submission.submissionId, 'joint_review');
      await approve(joint[0]!).expect(200);
      const rejected = await decide(joint[1]!, { outcome: 'reject', reason: '不符合产业政策' }).expect(200);
      expect(rejected.body.status).toBe('rejected');
      const statuses = rejected.body.tasks.filter((x: TaskBody) => x.step.key === 'joint_review').map((x: TaskBody) => x.status);
      expect(statuses).toEqual(['approved', 'rejected', 'closed']);
      const late = await approve(joint[2]!).expect(409);
      expect(late.body).toMatchObject({ code: 'TASK_CLOSED', current: { status: 'rejected' } });
      await expectRebuiltFromAudit(task.instanceId);
    });

    it('lets one of two simultaneous decisions by the same department win, every time', async () => {
      for (let i = 0; i < 8; i += 1) {
        const { submission } = await submit();
        const [nr] = await advanceTo(submission.submissionId, 'joint_review');
        const [a, b] = await Promise.all([approve(nr!, ''), approve(nr!, '甲')]);
        expect([a.status, b.status].sort()).toEqual([200, 409]);
        const loser = a.status === 409 ? a : b;
        expect(loser.body).toMatchObject({ code: 'TASK_CLOSED', current: { currentStep: 2 } });
      }
    });
  });

  describe('any-of steps (或签), published as data', () => {
    it('is decided by the first department to approve; the others need not act', async () => {
      const draft = {
        key: 'promotion_event',
        name: '招商推介会审批（或签）',
        steps: [
          { key: 'host_review', name: '主办单位审核', reviewer: { kind: 'host_organisation' } },
          { key: 'any_department', name: '省级部门或签', mode: 'any_of', reviewers: [{ kind: 'organisation', code: 'zj-nr' }, { kind: 'organisation', code: 'zj-drc' }] },
        ],
      };
      const published = await http.post('/definitions').set('authorization', admin).send(draft).expect(201);
      expect(published.body.steps[1]).toMatchObject({ mode: 'any_of', reviewers: [{ code: 'zj-nr' }, { code: 'zj-drc' }] });
      const { submission, task } = await submit(aSubmissionSummary({ kind: 'promotion_event', title: '山海协作推介会', hostOrganisation: 'lishui-commerce' }));
      await approve(task).expect(200);
      const either = await pending(submission.submissionId);
      expect(either.map((x) => x.organisation.code)).toEqual(['zj-nr', 'zj-drc']);
      const done = await approve(either[1]!).expect(200);
      expect(done.body).toMatchObject({ status: 'approved' });
      expect(done.body.tasks.slice(1).map((x: TaskBody) => x.status)).toEqual(['closed', 'approved']);
      await expectRebuiltFromAudit(task.instanceId);
    });
  });

  describe('return for correction (补正) and resubmission as revision N+1', () => {
    it('lists every deficiency in one notice, waits for the corrected revision, and re-enters at the step that returned it', async () => {
      const { submission, task } = await submit();
      const [review] = await advanceTo(submission.submissionId, 'province_review');
      const notice = {
        outcome: 'return',
        opinion: '请补正后重新提交。',
        deficiencies: [
          { target: 'field', ref: 'content.blocks.0.areaKm2', note: '面积与土地利用规划不一致。' },
          { target: 'field', ref: 'content.plannedInvestmentYi', note: '请补充计划投资额。' },
          { target: 'attachment', ref: 'site_selection_opinion', note: '缺少选址意见。' },
        ],
      };
      const returned = await decide(review!, notice).expect(200);
      expect(returned.body).toMatchObject({ status: 'returned', currentStep: 1, revision: 1 });
      expect(returned.body.tasks.find((x: TaskBody) => x.id === review!.id)).toMatchObject({ status: 'returned', deficiencies: notice.deficiencies, opinion: '请补正后重新提交。' });
      expect(await pending(submission.submissionId)).toEqual([]);
      // Nothing can be decided while the applicant corrects.
      const meanwhile = await approve(review!).expect(409);
      expect(meanwhile.body.code).toBe('TASK_CLOSED');

      const toIntake = await relayed(QueueName.Intake, task.instanceId, (ms) => ms.some((m) => m.name === 'approval.returned'));
      expect(toIntake.find((m) => m.name === 'approval.returned')?.payload).toMatchObject({ deficiencies: notice.deficiencies, decidedBy: 'zj-commerce 审核员', step: { key: 'province_review' } });

      const corrected = aPlanContent({ blocks: [{ ...(aPlanContent().blocks as object[])[0], areaKm2: 2.9 }], plannedInvestmentYi: 12.5 });
      await send(aSubmittedPayload({ ...submission, revision: 2 }, { content: corrected }));
      const again = await eventually(() => pending(submission.submissionId), (tasks) => tasks.length === 1);
      expect(again[0]).toMatchObject({ step: { key: 'province_review' }, organisation: { code: 'zj-commerce' }, round: review!.round + 1 });
      const instance = await get(`/instances/${task.instanceId}`).expect(200);
      expect(instance.body).toMatchObject({ status: 'in_review', revision: 2, currentStep: 1 });

      const diff = await get(`/instances/${task.instanceId}/diff`).expect(200);
      expect(diff.body).toEqual({
        from: 1,
        to: 2,
        fields: [
          { path: 'content.blocks.0.areaKm2', change: 'changed', before: 3.2, after: 2.9, label: { zh: '上江区块 面积（平方公里）', en: '上江区块: area (km²)' } },
          { path: 'content.plannedInvestmentYi', change: 'added', after: 12.5, label: { zh: '计划投资（亿元）', en: 'planned investment (100 million yuan)' } },
        ],
        attachments: [],
      });
      const first = await get(`/instances/${task.instanceId}/diff?from=0&to=1`).expect(200);
      expect(first.body.fields.every((f: { change: string }) => f.change === 'added')).toBe(true);
      await get(`/instances/${task.instanceId}/diff?from=2&to=1`).expect(400);
      await get(`/instances/${task.instanceId}/diff?to=3`).expect(404);

      const messages = await relayed(QueueName.Intake, task.instanceId, (ms) => ms.some((m) => m.name === 'approval.resubmitted'));
      expect(messages.find((m) => m.name === 'approval.resubmitted')?.payload).toMatchObject({ revision: 2, step: { key: 'province_review' }, submission: { revision: 2 } });

      // A redelivered revision 2 changes nothing.
      const entries = (await get(`/instances/${task.instanceId}/audit`)).body.length as number;
      await send(aSubmittedPayload({ ...submission, revision: 2 }, { content: corrected }));
      await new Promise((r) => setTimeout(r, 300));
      expect((await get(`/instances/${task.instanceId}/audit`)).body).toHaveLength(entries);

      let tasks = again;
      while (tasks.length) {
        for (const x of tasks) await approve(x).expect(200);
        tasks = await pending(submission.submissionId);
      }
      const done = await get(`/instances/${task.instanceId}`).expect(200);
      expect(done.body).toMatchObject({ status: 'approved', revision: 2 });
      const audit = (await get(`/instances/${task.instanceId}/audit`)).body as { action: string; revision: number }[];
      expect(audit.filter((e) => ['returned', 'resubmitted'].includes(e.action)).map((e) => [e.action, e.revision])).toEqual([
        ['returned', 1],
        ['resubmitted', 2],
      ]);
      await expectRebuiltFromAudit(task.instanceId);
    });

    it('refuses a notice without deficiencies, or one naming a field or attachment the submission does not have, naming each and changing nothing', async () => {
      const { task } = await submit();
      const none = await decide(task, { outcome: 'return' }).expect(400);
      expect(none.body.errors.map((e: { field: string }) => e.field)).toEqual(['deficiencies']);
      const bad = await decide(task, {
        outcome: 'return',
        deficiencies: [
          { target: 'field', ref: 'content.nonsense', note: 'x' },
          { target: 'attachment', ref: 'selfie', note: 'x' },
          { target: 'field', ref: 'title', note: '标题不规范' },
          { target: 'form', ref: 'title', note: '' },
        ],
      }).expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['deficiencies.3.note', 'deficiencies.3.target'].sort());
      // A member an object could have but the revision left out is a field (an optional one not filled in); a block it does not have is not.
      const unknown = await decide(task, {
        outcome: 'return',
        deficiencies: [
          { target: 'field', ref: 'content.blocks.5.areaKm2', note: 'x' },
          { target: 'attachment', ref: 'selfie', note: 'x' },
          { target: 'field', ref: 'title', note: '标题不规范' },
        ],
      }).expect(400);
      expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(['deficiencies.0.ref', 'deficiencies.1.ref']);
      // Given beside another outcome, a malformed notice or delegate is refused too, not dropped unread.
      const beside = await decide(task, { outcome: 'approve', deficiencies: [{ ref: 'x'.repeat(201) }], to: 'li' }).expect(400);
      expect(beside.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['deficiencies.0.note', 'deficiencies.0.ref', 'deficiencies.0.target', 'to']);
      const blank = await decide(task, { outcome: 'return', deficiencies: [{ target: 'field', ref: 'title', note: '   ' }] }).expect(422);
      expect(blank.body.code).toBe('DEFICIENCIES_REQUIRED');
      const instance = await get(`/instances/${task.instanceId}`).expect(200);
      expect(instance.body).toMatchObject({ status: 'in_review', tasks: [{ status: 'pending' }] });
    });

    it('returns from a joint review: every department reviews the corrected revision again', async () => {
      const { submission, task } = await submit();
      const joint = await advanceTo(submission.submissionId, 'joint_review');
      await approve(joint[0]!).expect(200);
      await decide(joint[2]!, { outcome: 'return', deficiencies: [{ target: 'attachment', ref: 'plan_eia_review_opinion', note: '规划环评审查意见已过期。' }] }).expect(200);
      await send(aSubmittedPayload({ ...submission, revision: 2 }, { attachments: [{ kind: 'plan_eia_review_opinion', filename: '规划环评审查意见（新）.pdf', sha256: 'a'.repeat(64) }] }));
      const again = await eventually(() => pending(submission.submissionId), (tasks) => tasks.length === 3);
      expect(again.map((x) => [x.organisation.code, x.round])).toEqual(['zj-nr', 'zj-drc', 'zj-eco'].map((code) => [code, joint[0]!.round + 1]));
      const diff = await get(`/instances/${task.instanceId}/diff`).expect(200);
      expect(diff.body.attachments.map((a: { kind: string; change: string }) => [a.kind, a.change])).toEqual([
        ['application_letter', 'removed'],
        ['land_use_plan', 'removed'],
        ['plan_eia_review_opinion', 'added'],
      ]);
      await expectRebuiltFromAudit(task.instanceId);
    });
  });

  describe('delegation (转办) and reassignment', () => {
    it('hands a task to a colleague, who alone decides it, acting for the delegator', async () => {
      const { submission, task } = await submit();
      const [review] = await advanceTo(submission.submissionId, 'province_review');
      const li = person('zj-commerce|李').principal;
      const self = await decide(review!, { outcome: 'delegate', to: { userId: person('zj-commerce').principal.userId, name: 'me' } }).expect(422);
      expect(self.body).toMatchObject({ code: 'SELF_DELEGATION', detail: 'a task is delegated to a colleague, not to oneself' });
      await decide(review!, { outcome: 'delegate' }).expect(400);
      const delegated = await decide(review!, { outcome: 'delegate', to: { userId: li.userId, name: li.name }, reason: '请李处主办' }).expect(200);
      expect(delegated.body.tasks.find((x: TaskBody) => x.id === review!.id)).toMatchObject({ status: 'pending', assignee: { userId: li.userId, name: li.name }, delegatedBy: 'zj-commerce 审核员' });

      const mine = await http.get('/tasks?mine=true&status=pending').set('authorization', person('zj-commerce|李').token).expect(200);
      expect(mine.body.items.map((x: TaskBody) => x.id)).toEqual([review!.id]);
      const notMine = await http.get('/tasks?mine=true').set('authorization', person('zj-commerce|甲').token).expect(200);
      expect(notMine.body.items).toEqual([]);

      const other = await approve(review!, '甲').expect(403);
      expect(other.body.code).toBe('NOT_ASSIGNEE');
      const decided = await approve(review!, '李').expect(200);
      expect(decided.body.tasks.find((x: TaskBody) => x.id === review!.id)).toMatchObject({ status: 'approved', decidedBy: li.name, actingFor: 'zj-commerce 审核员' });

      const audit = (await get(`/instances/${task.instanceId}/audit`)).body as { action: string; actor: string; actingFor: string | null; opinion: string | null }[];
      expect(audit.filter((e) => ['delegated', 'step_approved'].includes(e.action)).slice(-2)).toEqual([
        expect.objectContaining({ action: 'delegated', actor: 'zj-commerce 审核员', actingFor: null, opinion: '请李处主办' }),
        expect.objectContaining({ action: 'step_approved', actor: li.name, actingFor: 'zj-commerce 审核员' }),
      ]);
      const messages = await relayed(QueueName.Intake, task.instanceId, (ms) => ms.some((m) => m.name === 'approval.delegated') && ms.filter((m) => m.name === 'approval.step_approved').length >= 2);
      expect(messages.find((m) => m.name === 'approval.delegated')?.payload).toMatchObject({ delegatedBy: 'zj-commerce 审核员', delegate: { userId: li.userId }, reason: '请李处主办' });
      expect(messages.filter((m) => m.name === 'approval.step_approved').at(-1)?.payload).toMatchObject({ decidedBy: li.name, actingFor: 'zj-commerce 审核员' });
      await expectRebuiltFromAudit(task.instanceId);
    });

    it('lets an admin reassign a pending task to another organisation, and refuses what cannot be', async () => {
      const { submission, task } = await submit();
      const reassign = (body: object) => http.post(`/tasks/${task.id}/reassignment`).set('authorization', admin).send(body);
      const unknown = await reassign({ organisation: 'nowhere' }).expect(400);
      expect(unknown.body.errors).toEqual([{ field: 'organisation', message: 'no organisation has the code nowhere' }]);
      await reassign({ organisation: 'lishui-commerce' }).expect(422);
      const moved = await reassign({ organisation: 'wenzhou-commerce', reason: '机构调整' }).expect(200);
      expect(moved.body.tasks[0]).toMatchObject({ id: task.id, organisation: { code: 'wenzhou-commerce' }, status: 'pending' });
      await approve(task).expect(404);
      await approve({ ...task, organisation: { code: 'wenzhou-commerce' } }).expect(200);
      const assigned = await relayed(QueueName.Notifier, task.instanceId, (ms) => ms.filter((m) => m.name === 'approval.task_assigned').length >= 3);
      expect(assigned.filter((m) => m.name === 'approval.task_assigned').map((m) => 'step' in m.payload && m.payload.step.organisation.code)).toEqual(['lishui-commerce', 'wenzhou-commerce', 'zj-commerce']);
      await reassign({ organisation: 'zj-gov' }).expect(409);
      expect((await pending(submission.submissionId)).map((x) => x.step.key)).toEqual(['province_review']);

      // A delegation to someone who cannot act is taken back by reassigning to the same organisation.
      const [review] = await pending(submission.submissionId);
      await decide(review!, { outcome: 'delegate', to: { userId: randomUUID(), name: '已调离的同事' } }).expect(200);
      await approve(review!).expect(403);
      const back = await http.post(`/tasks/${review!.id}/reassignment`).set('authorization', admin).send({ organisation: 'zj-commerce', reason: '收回转办' }).expect(200);
      expect(back.body.tasks.find((x: TaskBody) => x.id === review!.id)).not.toHaveProperty('assignee');
      await approve(review!).expect(200);
      expect((await pending(submission.submissionId)).map((x) => x.step.key)).toEqual(['joint_review', 'joint_review', 'joint_review']);
      await expectRebuiltFromAudit(task.instanceId);
    });
  });

  describe('races between commands on one task', () => {
    it('gives a reviewer\'s decision and an admin\'s reassignment of the same task, released at once, exactly one winner, round after round', async () => {
      for (let round = 0; round < 8; round += 1) {
        const { task } = await submit();
        const [decided, moved] = await Promise.all([
          approve(task),
          http.post(`/tasks/${task.id}/reassignment`).set('authorization', admin).send({ organisation: 'wenzhou-commerce', reason: '机构调整' }),
        ]);
        const statuses = [decided.status, moved.status];
        expect(statuses.filter((s) => s === 200)).toHaveLength(1);
        // A decision that read the task after the move landed is told it has no such task (404), as any later one is.
        expect(statuses.filter((s) => s !== 200).every((s) => s === 409 || s === 404)).toBe(true);
        const after = (await get(`/tasks/${task.id}`).expect(200)).body as TaskBody & { decidedBy: string | null };
        // Never both: decided by the old organisation and now someone else's.
        if (decided.status === 200) expect(after).toMatchObject({ status: 'approved', organisation: { code: 'lishui-commerce' } });
        else expect(after).toMatchObject({ status: 'pending', organisation: { code: 'wenzhou-commerce' }, decidedBy: null });
        await expectRebuiltFromAudit(task.instanceId);
      }
    });
  });

  describe('Idempotency-Key on commands', () => {
    it('replays a retried return and delegation, refuses the key with another body, and records each once', async () => {
      const { submission, task } = await submit();
      const returnBody = { outcome: 'return', deficiencies: [{ target: 'field', ref: 'title', note: '名称与批复文件不一致。' }] };
      const key = randomUUID();
      const decideWithKey = (body: object) => http.post(`/tasks/${task.id}/decisions`).set('authorization', person('lishui-commerce').token).set('Idempotency-Key', key).send(body);
      const first = await decideWithKey(returnBody).expect(200);
      const retry = await decideWithKey(returnBody).expect(200);
      expect([retry.headers['idempotent-replayed'], retry.body]).toEqual(['true', first.body]);
      const reused = await decideWithKey({ ...returnBody, opinion: '另一个意见' }).expect(422);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const audit = (await get(`/instances/${task.instanceId}/audit`)).body as { action: string }[];
      expect(audit.filter((e) => e.action === 'returned')).toHaveLength(1);

      await send(aSubmittedPayload({ ...submission, revision: 2 }));
      const [again] = await eventually(() => pending(submission.submissionId), (tasks) => tasks.length === 1);
      const colleague = person('lishui-commerce|李').principal;
      const delegate = () =>
        http.post(`/tasks/${again!.id}/decisions`).set('authorization', person('lishui-commerce').token).set('Idempotency-Key', `delegate-${again!.id}`).send({ outcome: 'delegate', to: { userId: colleague.userId, name: colleague.name } });
      const [a, b] = [await delegate().expect(200), await delegate().expect(200)];
      expect(b.body).toEqual(a.body);
      const delegated = ((await get(`/instances/${task.instanceId}/audit`)).body as { action: string }[]).filter((e) => e.action === 'delegated');
      expect(delegated).toHaveLength(1);
    });
  });

  describe('task lists', () => {
    it('filters by kind, step and state, and pages', async () => {
      const reviewer = person('lishui-commerce').token;
      for (let i = 0; i < 3; i += 1) await submit();
      const page = await http.get('/tasks?kind=zone_plan&step=city_pre_review&status=pending&limit=2&offset=0').set('authorization', reviewer).expect(200);
      expect(page.body.items).toHaveLength(2);
      expect(page.body.total).toBeGreaterThanOrEqual(3);
      const next = await http.get(`/tasks?kind=zone_plan&step=city_pre_review&status=pending&limit=2&offset=2`).set('authorization', reviewer).expect(200);
      expect(next.body.items.map((x: TaskBody) => x.id)).not.toContain(page.body.items[0].id);
      const none = await http.get('/tasks?kind=promotion_event&step=city_pre_review').set('authorization', reviewer).expect(200);
      expect(none.body).toEqual({ items: [], total: 0 });
      const bad = await http.get('/tasks?kind=plan&status=maybe&mine=yes').set('authorization', reviewer).expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['kind', 'mine', 'status']);
    });
  });
});
