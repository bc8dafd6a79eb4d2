import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMessage, QueueName, SubmissionSubmitted } from '@shanhai/contracts';
import { zonePlanChainV2 } from '@shanhai/domain';
import { TokenService, type Principal } from '@shanhai/platform';
import { aSubmissionSummary, createTestApp, eventually, type TestApp, aSubmittedPayload } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule, entities, migrations } from '../src/app.module.js';
import { seedDirectoryReplica } from './support/directory.js';


/**
 * The chain of zone_plan v2 as the engine migration published it, which must be the domain's
 * `zonePlanChainV2` (初审 → 审核 → 会审, all of three departments → 审批 → 复函), as the API shows steps.
 */
const zonePlanV2Steps = zonePlanChainV2.steps.map((step) => ({ timeLimitBusinessDays: null, ...step }));

/** zone_plan v3 as the time-limits migration shipped it: v2's chain, each step with its limit, and a committed limit. */
const zonePlanV3Limits = [5, 10, 10, 15, 5];

/** What an admin publishes as zone_plan v4: v1's chain with its second step renamed, and time limits (no joint review). */
const zonePlanV4 = {
  key: 'zone_plan',
  name: '经济开发区创建方案审批',
  steps: [
    { key: 'city_pre_review', name: '市商务局初审', reviewer: { kind: 'city_commerce_bureau' }, timeLimitBusinessDays: 10 },
    { key: 'province_review', name: '省商务厅联合审核', reviewer: { kind: 'organisation', code: 'zj-commerce' }, timeLimitBusinessDays: 15 },
    { key: 'province_approval', name: '省政府审批', reviewer: { kind: 'organisation', code: 'zj-gov' } },
  ],
};

interface TaskBody {
  id: string;
  instanceId: string;
  step: { index: number; name: string };
  organisation: { code: string };
}
type Versions = { items: { key: string; version: number }[] };

describe('workflow: definitions as versioned data', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let queue: Queue;
  let admin: string;
  const reviewers = new Map<string, string>();
  const sign = async (principal: Principal) => `Bearer ${(await t.app.get(TokenService).signAccess(principal)).token}`;
  const get = (url: string) => http.get(url).set('authorization', admin);
  const publish = (body: object) => http.post('/definitions').set('authorization', admin).send(body);
  const versions = async (): Promise<string[]> => ((await get('/definitions?all=true').expect(200)).body as Versions).items.map((d) => `${d.key}@${d.version}`);

  beforeAll(async () => {
    t = await createTestApp({ service: 'workflow', module: (config) => AppModule.forConfig(config), schema: { entities, migrations }, prepare: seedDirectoryReplica });
    http = request(t.app.getHttpServer());
    queue = new Queue(QueueName.Workflow, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    admin = await sign({ userId: randomUUID(), username: 'admin', name: '系统管理员', role: 'admin' });
    for (const organisation of ['lishui-commerce', 'zj-commerce', 'zj-nr', 'zj-drc', 'zj-eco', 'zj-gov', 'zj-gov-office']) {
      reviewers.set(organisation, await sign({ userId: randomUUID(), username: organisation, name: `${organisation} 审核人`, role: 'reviewer', organisation }));
    }
  });

  afterAll(async () => {
    await queue?.close();
    await t?.close();
  });

  /** Submits as intake would, and waits for the first task. */
  async function submit(s = aSubmissionSummary()): Promise<TaskBody> {
    const message = createMessage(SubmissionSubmitted, aSubmittedPayload(s), { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
    await queue.add(message.name, message, { jobId: message.id });
    const tasks = await eventually(() => get(`/tasks?submissionId=${s.submissionId}&status=pending`), (r) => r.body.items?.length === 1);
    return tasks.body.items[0] as TaskBody;
  }

  const approve = (task: TaskBody) =>
    http.post(`/tasks/${task.id}/decisions`).set('authorization', reviewers.get(task.organisation.code) ?? '').send({ outcome: 'approve', opinion: '同意' });

  type InstanceBody = { status: string; currentStep: number; stepCount: number; definition: { key: string; version: number }; tasks: (TaskBody & { status: string })[] };

  /** Approves every pending task of the instance's current step (all parties of a countersign step), returning the instance after the last decision. */
  async function approvePending(instanceId: string): Promise<InstanceBody> {
    const instance = (await get(`/instances/${instanceId}`).expect(200)).body as InstanceBody;
    const pending = instance.tasks.filter((x) => x.status === 'pending');
    if (!pending.length) throw new Error(`instance ${instanceId} has no pending task`);
    let decided = instance;
    for (const task of pending) decided = (await approve(task).expect(200)).body as InstanceBody;
    return decided;
  }

  it('starts with the chains that were code as version 1 of each kind, zone_plan version 2 with the joint review, and both kinds with time limits', async () => {
    await expect(versions()).resolves.toEqual(['zone_plan@1', 'zone_plan@2', 'zone_plan@3', 'promotion_event@1', 'promotion_event@2']);
    const v1 = await get('/definitions/zone_plan/versions/1').expect(200);
    expect(v1.body).toMatchObject({ key: 'zone_plan', version: 1, publishedBy: 'system' });
    expect(v1.body.steps).toEqual([
      { key: 'city_pre_review', name: '市商务局初审', mode: 'single', reviewer: { kind: 'city_commerce_bureau' }, timeLimitBusinessDays: null },
      { key: 'province_review', name: '省商务厅审核', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-commerce' }, timeLimitBusinessDays: null },
      { key: 'province_approval', name: '省政府审批', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-gov' }, timeLimitBusinessDays: null },
    ]);
    const v2 = await get('/definitions/zone_plan/versions/2').expect(200);
    expect(v2.body).toMatchObject({ key: 'zone_plan', version: 2, name: '经济开发区创建方案审批', publishedBy: 'system' });
    expect(v2.body.steps).toEqual(zonePlanV2Steps);
    const latest = (await get('/definitions').expect(200)).body as Versions;
    expect(latest.items.map((d) => `${d.key}@${d.version}`)).toEqual(['zone_plan@3', 'promotion_event@2']);
    const v3 = await get('/definitions/zone_plan/versions/3').expect(200);
    expect(v3.body).toMatchObject({ version: 3, committedLimitBusinessDays: 45, publishedBy: 'system' });
    expect(v3.body.steps).toEqual(zonePlanV2Steps.map((step, i) => ({ ...step, timeLimitBusinessDays: zonePlanV3Limits[i] })));
    const event = await get('/definitions/promotion_event/versions/2').expect(200);
    expect(event.body).toMatchObject({ committedLimitBusinessDays: 8 });
    expect(event.body.steps.map((s: { key: string; timeLimitBusinessDays: number }) => [s.key, s.timeLimitBusinessDays])).toEqual([['host_review', 3], ['office_approval', 5]]);
    await get('/definitions/zone_plan/versions/9').expect(404);
    await get('/definitions/zone_plan/versions/one').expect(400);
  });

  it('reads a version in digits only: 1e3, 0x10, 0 and numbers past the column are a 400 naming it, never a read of another version nor a 500', async () => {
    for (const version of ['1e3', '0x10', '0', '-1', '1.5', '%201', '9007199254740993', '99999999999']) {
      const response = await get(`/definitions/zone_plan/versions/${version}`).expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'version' }] });
    }
    await get('/definitions/zone_plan/versions/999999999').expect(404);
  });

  it('keeps an instance started on zone_plan v3 on v3 to the end after v4 is published, and starts new submissions on v4', async () => {
    const before = await submit();
    expect((await get(`/instances/${before.instanceId}`).expect(200)).body).toMatchObject({ definition: { key: 'zone_plan', version: 3 }, stepCount: 5 });

    const published = await publish(zonePlanV4).expect(201);
    expect(published.body).toMatchObject({ key: 'zone_plan', version: 4, publishedBy: '系统管理员', publishedAt: expect.any(String) });
    expect(published.body.steps.map((s: { name: string; timeLimitBusinessDays: number | null }) => [s.name, s.timeLimitBusinessDays])).toEqual([
      ['市商务局初审', 10],
      ['省商务厅联合审核', 15],
      ['省政府审批', null],
    ]);
    const latest = (await get('/definitions').expect(200)).body as Versions;
    expect(latest.items.map((d) => `${d.key}@${d.version}`)).toEqual(['zone_plan@4', 'promotion_event@2']);
    await expect(versions()).resolves.toEqual(['zone_plan@1', 'zone_plan@2', 'zone_plan@3', 'zone_plan@4', 'promotion_event@1', 'promotion_event@2']);

    // Still v3's five steps, joint review and reply letter included, not v4's three.
    for (let step = 0; step < 4; step += 1) expect(await approvePending(before.instanceId)).toMatchObject({ status: 'in_review', currentStep: step + 1 });
    const decided = await approvePending(before.instanceId);
    expect(decided).toMatchObject({ status: 'approved', currentStep: 4, stepCount: 5, definition: { key: 'zone_plan', version: 3 } });
    expect(decided.tasks.map((x) => [x.step.name, x.organisation.code])).toEqual([
      ['市商务局初审', 'lishui-commerce'],
      ['省商务厅审核', 'zj-commerce'],
      ['省级部门会审', 'zj-nr'],
      ['省级部门会审', 'zj-drc'],
      ['省级部门会审', 'zj-eco'],
      ['省政府审批', 'zj-gov'],
      ['省政府办公厅复函', 'zj-gov-office'],
    ]);

    const after = await submit();
    expect((await get(`/instances/${after.instanceId}`).expect(200)).body).toMatchObject({ definition: { key: 'zone_plan', version: 4 }, stepCount: 3 });
    const second = await approvePending(after.instanceId);
    expect(second.tasks.map((x) => [x.step.name, x.organisation.code])).toEqual([
      ['市商务局初审', 'lishui-commerce'],
      ['省商务厅联合审核', 'zj-commerce'],
    ]);
  });

  it('publishes a definition with a countersign (all_of) step, lists it, and runs new submissions on it', async () => {
    const next = Math.max(...(await versions()).filter((v) => v.startsWith('zone_plan@')).map((v) => Number(v.split('@')[1]))) + 1;
    const joint = {
      key: 'joint_review',
      name: '省商务厅、省自然资源厅会签',
      mode: 'all_of',
      reviewers: [
        { kind: 'organisation', code: 'zj-commerce' },
        { kind: 'organisation', code: 'zj-nr' },
      ],
      timeLimitBusinessDays: 15,
    };
    const countersigned = {
      key: 'zone_plan',
      name: '经济开发区创建方案审批（会签）',
      steps: [
        { key: 'city_pre_review', name: '市商务局初审', reviewer: { kind: 'city_commerce_bureau' } },
        joint,
        { key: 'province_approval', name: '省政府审批', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-gov' } },
      ],
    };
    const published = await publish(countersigned).expect(201);
    expect(published.body).toMatchObject({ key: 'zone_plan', version: next, name: '经济开发区创建方案审批（会签）', publishedBy: '系统管理员' });
    expect(published.body.steps).toEqual([
      { key: 'city_pre_review', name: '市商务局初审', mode: 'single', reviewer: { kind: 'city_commerce_bureau' }, timeLimitBusinessDays: null },
      joint,
      { key: 'province_approval', name: '省政府审批', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-gov' }, timeLimitBusinessDays: null },
    ]);
    expect((await get(`/definitions/zone_plan/versions/${next}`).expect(200)).body).toEqual(published.body);
    const latest = (await get('/definitions').expect(200)).body as { items: { key: string; version: number; steps: unknown[] }[] };
    expect(latest.items.map((d) => `${d.key}@${d.version}`)).toEqual([`zone_plan@${next}`, 'promotion_event@2']);
    expect(latest.items[0]!.steps[1]).toEqual(joint);
    await expect(versions()).resolves.toContain(`zone_plan@${next}`);

    // A new submission runs on it: after 初审, both organisations hold a task of the joint step, and it completes only when both approve.
    const started = await submit();
    const first = await approvePending(started.instanceId);
    expect(first).toMatchObject({ status: 'in_review', currentStep: 1, stepCount: 3, definition: { key: 'zone_plan', version: next } });
    const pending = first.tasks.filter((x) => x.status === 'pending');
    expect(pending.map((x) => [x.step.name, x.organisation.code])).toEqual([
      ['省商务厅、省自然资源厅会签', 'zj-commerce'],
      ['省商务厅、省自然资源厅会签', 'zj-nr'],
    ]);
    expect((await approve(pending[0]!).expect(200)).body).toMatchObject({ status: 'in_review', currentStep: 1 });
    expect((await approve(pending[1]!).expect(200)).body).toMatchObject({ status: 'in_review', currentStep: 2 });
  });

  it('refuses an invalid definition with every problem listed, and stores nothing', async () => {
    const stored = await versions();
    const invalid = {
      key: 'zone_plan',
      name: '经济开发区创建方案审批',
      steps: [
        { key: 'host_review', name: '主办单位审核', reviewer: { kind: 'host_organisation' } },
        { key: 'province_review', name: '省商务厅审核', reviewer: { kind: 'organisation', code: 'zj-nowhere' } },
        { key: 'province_review', name: '省政府审批', mode: 'all_of', reviewer: { kind: 'organisation', code: 'zj-gov' } },
        { key: 'reply_letter', name: '省政府办公厅复函', mode: 'in_turn', reviewer: { kind: 'organisation', code: 'zj-gov-office' } },
      ],
    };
    const refused = await publish(invalid).expect(400);
    expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.errors).toEqual([
      { field: 'steps.0.reviewer.kind', message: 'host_organisation reviews only promotion_event: a zone_plan names no host organisation' },
      { field: 'steps.1.reviewer.code', message: 'no organisation has the code zj-nowhere' },
      { field: 'steps.2.key', message: 'key province_review is already the key of steps.1' },
      { field: 'steps.2.reviewer', message: 'an all_of step names reviewers, not one reviewer' },
      { field: 'steps.2.reviewers', message: 'an all_of step has 2 to 10 reviewers (has 0)' },
      { field: 'steps.3.mode', message: 'mode must be one of single, all_of, any_of' },
    ]);

    const empty = await publish({ ...zonePlanV4, steps: [] }).expect(400);
    expect(empty.body.errors).toEqual([{ field: 'steps', message: 'steps must have 1 to 20 steps (has 0)' }]);

    // A single step names one reviewer, not a list.
    const singleWithReviewers = await publish({ ...zonePlanV4, steps: [{ ...zonePlanV4.steps[0], reviewers: [{ kind: 'organisation', code: 'zj-commerce' }] }] }).expect(400);
    expect(singleWithReviewers.body.errors).toEqual([{ field: 'steps.0.reviewers', message: 'reviewers is for all_of and any_of steps: a single step names one reviewer' }]);

    const unknownField = await publish({ ...zonePlanV4, version: 7, steps: [{ ...zonePlanV4.steps[0], parties: ['zj-gov'] }] }).expect(400);
    expect(unknownField.body.errors).toEqual([
      { field: 'version', message: 'unknown field' },
      { field: 'steps.0.parties', message: 'unknown field' },
    ]);

    await expect(versions()).resolves.toEqual(stored);
  });

  it('refuses a countersign step with one reviewer, with a reviewer instead of reviewers, or with an unknown organisation, naming each field', async () => {
    const stored = await versions();
    const refused = await publish({
      key: 'zone_plan',
      name: '经济开发区创建方案审批',
      steps: [
        { key: 'city_pre_review', name: '市商务局初审', reviewer: { kind: 'city_commerce_bureau' } },
        { key: 'province_review', name: '省商务厅审核', mode: 'all_of', reviewers: [{ kind: 'organisation', code: 'zj-commerce' }] },
        { key: 'consultation', name: '省级部门征求意见', mode: 'any_of', reviewer: { kind: 'organisation', code: 'zj-drc' } },
        {
          key: 'joint_review',
          name: '省级部门会审',
          mode: 'all_of',
          reviewers: [
            { kind: 'organisation', code: 'zj-nr' },
            { kind: 'organisation', code: 'zj-nowhere' },
            { kind: 'organisation', code: 'zj-eco' },
          ],
        },
      ],
    }).expect(400);
    expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.errors).toEqual([
      { field: 'steps.1.reviewers', message: 'an all_of step has 2 to 10 reviewers (has 1)' },
      { field: 'steps.2.reviewer', message: 'an any_of step names reviewers, not one reviewer' },
      { field: 'steps.2.reviewers', message: 'an any_of step has 2 to 10 reviewers (has 0)' },
      { field: 'steps.3.reviewers.1.code', message: 'no organisation has the code zj-nowhere' },
    ]);

    // Each problem alone is refused too, naming just its field.
    const alone = async (step: object) => ((await publish({ ...zonePlanV4, steps: [zonePlanV4.steps[0], step] }).expect(400)).body as { errors: { field: string }[] }).errors.map((e) => e.field);
    await expect(alone({ key: 'joint_review', name: '会审', mode: 'all_of', reviewers: [{ kind: 'organisation', code: 'zj-nr' }] })).resolves.toEqual(['steps.1.reviewers']);
    await expect(alone({ key: 'joint_review', name: '会审', mode: 'all_of', reviewer: { kind: 'organisation', code: 'zj-nr' } })).resolves.toEqual(['steps.1.reviewer', 'steps.1.reviewers']);
    await expect(
      alone({ key: 'joint_review', name: '会审', mode: 'all_of', reviewers: [{ kind: 'organisation', code: 'zj-nr' }, { kind: 'organisation', code: 'zj-nowhere' }] }),
    ).resolves.toEqual(['steps.1.reviewers.1.code']);

    await expect(versions()).resolves.toEqual(stored);
  });

  it('keeps published versions immutable: no operation changes one, and the database refuses to', async () => {
    for (const method of ['put', 'patch', 'delete'] as const) {
      const response = await http[method]('/definitions/zone_plan/versions/1').set('authorization', admin).send(zonePlanV4);
      expect([method, response.status]).toEqual([method, 404]);
    }
    const database = t.app.get(DataSource);
    await expect(database.query(`UPDATE definitions SET name = 'changed' WHERE key = 'zone_plan' AND version = 1`)).rejects.toThrow(/immutable/);
    await expect(database.query(`DELETE FROM definitions WHERE key = 'zone_plan' AND version = 1`)).rejects.toThrow(/immutable/);
    expect((await get('/definitions/zone_plan/versions/1').expect(200)).body.name).toBe('经济开发区创建方案审批');
  });

  it('numbers simultaneous publications of one kind one after the other', async () => {
    const event = {
      key: 'promotion_event',
      name: '招商推介会审批',
      steps: [
        { key: 'host_review', name: '主办单位审核', reviewer: { kind: 'host_organisation' }, timeLimitBusinessDays: 5 },
        { key: 'office_approval', name: '省商务厅办公室审批', reviewer: { kind: 'organisation', code: 'zj-commerce-office' } },
      ],
    };
    const responses = await Promise.all([publish(event), publish(event), publish(event)]);
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(responses.map((r) => r.body.version as number).sort()).toEqual([3, 4, 5]);
  });
});
