import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMessage, QueueName, SubmissionSubmitted, type SubmissionSummary } from '@shanhai/contracts';
import { TokenService, type Principal } from '@shanhai/platform';
import { createTestApp, guardedOperationsMissing, type TestApp, aSubmittedPayload } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import { AppModule, entities, migrations } from '../src/app.module.js';
import { publishExamples } from '../src/definitions/dto/publish-definition.request.js';
import { seedDirectoryReplica } from './support/directory.js';

/**
 * Every workflow operation × every kind of caller; the spec fails on any other status.
 *   assigned  a reviewer of the organisation the task is assigned to; other: a reviewer of another
 */
const callers = ['none', 'applicant', 'zone', 'assigned', 'other', 'admin'] as const;
type Caller = (typeof callers)[number];
const principals: Record<Exclude<Caller, 'none'>, Principal> = {
  applicant: { userId: randomUUID(), username: 'suichang', name: '遂昌县人民政府', role: 'applicant', county: 'suichang' },
  zone: { userId: randomUUID(), username: 'keqiao-zone', name: '绍兴柯桥经济技术开发区', role: 'stakeholder', zone: 'keqiao' },
  assigned: { userId: randomUUID(), username: 'lishui-commerce', name: '丽水市商务局 审核员', role: 'reviewer', organisation: 'lishui-commerce' },
  other: { userId: randomUUID(), username: 'zj-gov', name: '浙江省人民政府 审批人', role: 'reviewer', organisation: 'zj-gov' },
  admin: { userId: randomUUID(), username: 'admin', name: '系统管理员', role: 'admin' },
};
type Expected = Record<Caller, number>;
const row = (none: number, applicant: number, zone: number, assigned: number, other: number, admin: number): Expected => ({ none, applicant, zone, assigned, other, admin });

interface Fixture {
  task: string;
  instance: string;
}
interface Case {
  method: 'get' | 'post' | 'put';
  path: string;
  url: (f: Fixture) => string;
  expected: Expected;
  body?: object;
}

const cases: Case[] = [
  { method: 'get', path: '/tasks', url: () => '/tasks', expected: row(401, 403, 403, 200, 200, 200) },
  { method: 'get', path: '/tasks/{id}', url: (f) => `/tasks/${f.task}`, expected: row(401, 403, 403, 200, 404, 200) },
  // Only the assigned organisation decides; an admin reassigns (approval engine), it does not decide.
  { method: 'post', path: '/tasks/{id}/decisions', url: (f) => `/tasks/${f.task}/decisions`, body: { outcome: 'approve', opinion: '同意' }, expected: row(401, 403, 403, 200, 404, 403) },
  { method: 'get', path: '/instances/{id}', url: (f) => `/instances/${f.instance}`, expected: row(401, 403, 403, 200, 404, 200) },
  { method: 'get', path: '/instances/{id}/audit', url: (f) => `/instances/${f.instance}/audit`, expected: row(401, 403, 403, 200, 404, 200) },
  { method: 'get', path: '/instances/{id}/diff', url: (f) => `/instances/${f.instance}/diff`, expected: row(401, 403, 403, 200, 404, 200) },
  // Only admins reassign; a reviewer delegates within its organisation through decisions instead.
  { method: 'post', path: '/tasks/{id}/reassignment', url: (f) => `/tasks/${f.task}/reassignment`, body: { organisation: 'wenzhou-commerce', reason: '机构调整' }, expected: row(401, 403, 403, 403, 403, 200) },
  // 延期 is a reviewer's of the step, as a decision is (the fixture's step has a time limit to extend).
  { method: 'post', path: '/tasks/{id}/extension', url: (f) => `/tasks/${f.task}/extension`, body: { days: 2, reason: '需补充征求意见' }, expected: row(401, 403, 403, 200, 404, 403) },
  { method: 'get', path: '/calendars', url: () => '/calendars', expected: row(401, 200, 200, 200, 200, 200) },
  { method: 'get', path: '/calendars/{year}', url: () => '/calendars/2026', expected: row(401, 200, 200, 200, 200, 200) },
  { method: 'put', path: '/calendars/{year}', url: () => '/calendars/2027', body: { holidays: ['2027-01-01'], makeUpWorkdays: [] }, expected: row(401, 403, 403, 403, 403, 200) },
  { method: 'get', path: '/definitions', url: () => '/definitions', expected: row(401, 403, 403, 200, 200, 200) },
  { method: 'get', path: '/definitions/{key}/versions/{version}', url: () => '/definitions/zone_plan/versions/1', expected: row(401, 403, 403, 200, 200, 200) },
  // Each allowed call publishes the next zone_plan version: the same chain, so later fixtures start alike.
  { method: 'post', path: '/definitions', url: () => '/definitions', body: publishExamples.zonePlanWithTimeLimits.value, expected: row(401, 403, 403, 403, 403, 201) },
  { method: 'post', path: '/admin/audit/verify', url: () => '/admin/audit/verify', expected: row(401, 403, 403, 403, 403, 200) },
  // Each fixture's instance advanced its chain since the last checkpoint: a new one is made (201).
  { method: 'post', path: '/admin/audit/checkpoints', url: () => '/admin/audit/checkpoints', expected: row(401, 403, 403, 403, 403, 201) },
];

describe('workflow: who may do what', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let queue: Queue;
  const tokens: Partial<Record<Caller, string>> = {};

  beforeAll(async () => {
    t = await createTestApp({ service: 'workflow', module: (config) => AppModule.forConfig(config), schema: { entities, migrations }, prepare: seedDirectoryReplica });
    http = request(t.app.getHttpServer());
    queue = new Queue(QueueName.Workflow, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    for (const [caller, principal] of Object.entries(principals)) tokens[caller as Caller] = `Bearer ${(await t.app.get(TokenService).signAccess(principal)).token}`;
  });

  afterAll(async () => {
    await queue?.close();
    await t?.close();
  });

  /** A fresh instance whose first task is assigned to lishui-commerce. */
  async function fixture(): Promise<Fixture> {
    const submission: SubmissionSummary = {
      submissionId: randomUUID(),
      kind: 'zone_plan',
      revision: 1,
      title: '浙江遂昌经济开发区',
      county: { code: 'suichang', name: '遂昌县' },
      city: { code: 'lishui', name: '丽水市' },
      applicant: { name: '遂昌县人民政府', email: 'suichang@county.shanhai.example' },
      stakeholders: [],
    };
    const message = createMessage(SubmissionSubmitted, aSubmittedPayload(submission), { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
    await queue.add(message.name, message, { jobId: message.id });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { body } = await http.get(`/tasks?submissionId=${submission.submissionId}`).set('authorization', tokens.admin!);
      const task = (body as { items: { id: string; instanceId: string }[] }).items[0];
      if (task) return { task: task.id, instance: task.instanceId };
      if (Date.now() > deadline) throw new Error('no task was assigned');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it.each(cases.map((c) => [`${c.method.toUpperCase()} ${c.path}`, c] as const))('%s', async (_, c) => {
    const got: Partial<Expected> = {};
    for (const caller of callers) {
      // Each caller gets a fresh instance, so an allowed decision does not close the step for the next.
      const f = await fixture();
      let test = http[c.method](c.url(f));
      if (caller !== 'none') test = test.set('authorization', tokens[caller]!);
      got[caller] = (await (c.body ? test.send(c.body) : test)).status;
    }
    expect(got).toEqual(c.expected);
  });

  it('covers every operation workflow documents that needs a token', async () => {
    const document = (await http.get('/docs-json').expect(200)).body as Parameters<typeof guardedOperationsMissing>[0];
    expect(guardedOperationsMissing(document, cases.map((c) => `${c.method} ${c.path}`))).toEqual([]);
  });
});
