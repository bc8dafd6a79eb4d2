import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMessage, QueueName, TaskAssigned } from '@shanhai/contracts';
import { attachmentKinds } from '@shanhai/domain';
import { guardedOperationsMissing, type TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import type { IntakeConfig } from '../src/config.js';
import { keqiaoZoneExample, lishuiCommerceExample, qingyuanCountyExample, suichangFuyangPairingExample } from '../src/directory/dto/directory-admin.request.js';
import { qingyuanReportExample } from '../src/promotion-events/dto/event-report.request.js';
import { qingyuanEventExample } from '../src/promotion-events/dto/promotion-event.request.js';
import { qingyuanPlanExample } from '../src/submissions/dto/zone-plan.request.js';
import { bearer, startIntake } from './support/intake-app.js';
import { samplePdf } from './support/samples.js';

/**
 * Every intake operation × every kind of caller. A cell is the status the caller must get; the
 * spec fails on any other, so an unexpected access (or an unexpected refusal) cannot slip in.
 *   owner     the applicant county the submission belongs to (qingyuan)
 *   county    another county's applicant (suichang)
 *   assigned  a reviewer whose organisation a step of the submission was assigned to (lishui-commerce)
 *   reviewer  a reviewer with nothing assigned (zj-gov)
 *   zone      the stakeholder zone the plan is paired with (keqiao-zone)
 *   admin
 *   none      no token
 */
const callers = ['none', 'owner', 'county', 'assigned', 'reviewer', 'zone', 'admin'] as const;
type Caller = (typeof callers)[number];
const users: Record<Exclude<Caller, 'none'>, string> = {
  owner: 'qingyuan',
  county: 'suichang',
  assigned: 'lishui-commerce',
  reviewer: 'zj-gov',
  zone: 'keqiao-zone',
  admin: 'admin',
};

type Expected = Record<Caller, number>;
const row = (none: number, owner: number, county: number, assigned: number, reviewer: number, zone: number, admin: number): Expected => ({
  none,
  owner,
  county,
  assigned,
  reviewer,
  zone,
  admin,
});

interface Fixtures {
  /** A user an admin may rename: the other county's applicant. */
  user: string;
  draft: string;
  submitted: string;
  attachment: string;
  event: string;
}

interface Case {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** The documented path, e.g. /zone-plans/{id}. */
  path: string;
  url: (f: Fixtures) => string;
  expected: Expected;
  body?: object;
  /** A request that changes state gets a fresh fixture for the caller who may make it. */
  fresh?: boolean;
  upload?: boolean;
}

const list = row(401, 200, 200, 200, 200, 200, 200);
/** Admin-only operations: `ok` for the admin, 403 for anyone else signed in. */
const admin = (ok: number) => row(401, 403, 403, 403, 403, 403, ok);
const read = (f: keyof Fixtures) => (fx: Fixtures) => fx[f];

const cases: Case[] = [
  { method: 'get', path: '/me', url: () => '/me', expected: list },
  { method: 'get', path: '/directory/counties', url: () => '/directory/counties', expected: list },
  { method: 'get', path: '/directory/zones', url: () => '/directory/zones', expected: list },
  { method: 'get', path: '/directory/pairings', url: () => '/directory/pairings', expected: list },
  { method: 'get', path: '/directory/organisations', url: () => '/directory/organisations', expected: list },

  // The directory is maintained by admins; writing the seeded values back changes nothing.
  { method: 'put', path: '/directory/counties/{code}', url: () => '/directory/counties/qingyuan', body: qingyuanCountyExample, expected: admin(200) },
  { method: 'put', path: '/directory/zones/{code}', url: () => '/directory/zones/keqiao', body: keqiaoZoneExample, expected: admin(200) },
  { method: 'put', path: '/directory/pairings/{countyCode}/{zoneCode}', url: () => '/directory/pairings/suichang/fuyang', body: suichangFuyangPairingExample, expected: admin(201) },
  { method: 'delete', path: '/directory/pairings/{countyCode}/{zoneCode}', url: () => '/directory/pairings/suichang/fuyang', expected: admin(204) },
  { method: 'put', path: '/directory/organisations/{code}', url: () => '/directory/organisations/lishui-commerce', body: lishuiCommerceExample, expected: admin(200) },
  { method: 'get', path: '/directory/users', url: () => '/directory/users', expected: admin(200) },
  { method: 'get', path: '/auth/sign-ins', url: () => '/auth/sign-ins', expected: admin(200) },
  { method: 'get', path: '/auth/lockouts', url: () => '/auth/lockouts', expected: admin(200) },
  // No such lock-out: the admin is told so, anyone else may not ask.
  { method: 'delete', path: '/auth/lockouts/{kind}/{key}', url: () => '/auth/lockouts/account/nobody-locked', expected: admin(404) },
  {
    method: 'post',
    path: '/directory/users',
    url: () => '/directory/users',
    body: { username: 'lishui-reviewer-2', password: 'a-long-enough-password', role: 'reviewer', name: '丽水市商务局 审核员 二', email: 'lishui-2@shanhai.example', organisation: 'lishui-commerce' },
    expected: admin(201),
  },
  { method: 'patch', path: '/directory/users/{id}', url: (f) => `/directory/users/${f.user}`, body: { name: '遂昌县人民政府（更名）' }, expected: admin(200) },

  { method: 'post', path: '/zone-plans', url: () => '/zone-plans', body: qingyuanPlanExample, expected: row(401, 201, 201, 403, 403, 403, 403) },
  { method: 'get', path: '/zone-plans', url: () => '/zone-plans', expected: list },
  // A draft is its county's alone (and the admin's).
  { method: 'get', path: '/zone-plans/{id}', url: read('draft'), expected: row(401, 200, 404, 404, 404, 404, 200) },
  { method: 'get', path: '/zone-plans/{id}/timeline', url: (f) => `${f.draft}/timeline`, expected: row(401, 200, 404, 404, 404, 404, 200) },
  // Once submitted and assigned, the assigned organisation and the paired zone may read it.
  { method: 'get', path: '/zone-plans/{id}', url: read('submitted'), expected: row(401, 200, 404, 200, 404, 200, 200) },
  { method: 'get', path: '/zone-plans/{id}/timeline', url: (f) => `${f.submitted}/timeline`, expected: row(401, 200, 404, 200, 404, 200, 200) },
  { method: 'patch', path: '/zone-plans/{id}', url: read('draft'), body: { leadingIndustries: ['竹木制品'] }, expected: row(401, 200, 404, 403, 403, 403, 403) },
  { method: 'patch', path: '/zone-plans/{id}', url: read('submitted'), body: { leadingIndustries: ['竹木制品'] }, expected: row(401, 409, 404, 403, 403, 403, 403) },
  // The owner is refused for the missing attachments, never for who it is.
  { method: 'post', path: '/zone-plans/{id}/submit', url: (f) => `${f.draft}/submit`, expected: row(401, 422, 404, 403, 403, 403, 403) },
  { method: 'post', path: '/zone-plans/{id}/withdraw', url: (f) => `${f.draft}/withdraw`, fresh: true, expected: row(401, 200, 404, 403, 403, 403, 403) },
  // 催办: applicants only (403 for every other role), of the county, once a plan is under review (a draft is 422).
  { method: 'post', path: '/zone-plans/{id}/urge', url: (f) => `${f.submitted}/urge`, body: {}, expected: row(401, 200, 404, 403, 403, 403, 403) },
  { method: 'post', path: '/zone-plans/{id}/attachments', url: (f) => `${f.draft}/attachments`, upload: true, expected: row(401, 201, 404, 403, 403, 403, 403) },
  { method: 'get', path: '/zone-plans/{id}/attachments', url: (f) => `${f.submitted}/attachments`, expected: row(401, 200, 404, 200, 404, 200, 200) },
  { method: 'get', path: '/zone-plans/{id}/attachments/{attachmentId}', url: (f) => `${f.submitted}/attachments/${f.attachment}`, expected: row(401, 200, 404, 200, 404, 200, 200) },

  { method: 'post', path: '/promotion-events', url: () => '/promotion-events', body: qingyuanEventExample, expected: row(401, 201, 201, 403, 403, 403, 403) },
  { method: 'get', path: '/promotion-events', url: () => '/promotion-events', expected: list },
  { method: 'get', path: '/promotion-events/{id}', url: read('event'), expected: row(401, 200, 404, 404, 404, 404, 200) },
  { method: 'patch', path: '/promotion-events/{id}', url: (f) => f.event, body: { theme: '山海协作 产业链招商' }, expected: row(401, 200, 404, 403, 403, 403, 403) },
  { method: 'post', path: '/promotion-events/{id}/submit', url: (f) => `${f.event}/submit`, fresh: true, expected: row(401, 200, 404, 403, 403, 403, 403) },
  { method: 'post', path: '/promotion-events/{id}/withdraw', url: (f) => `${f.event}/withdraw`, fresh: true, expected: row(401, 200, 404, 403, 403, 403, 403) },
  { method: 'post', path: '/promotion-events/{id}/urge', url: (f) => `${f.event}/urge`, body: {}, expected: row(401, 422, 404, 403, 403, 403, 403) },
  { method: 'get', path: '/promotion-events/{id}/timeline', url: (f) => `${f.event}/timeline`, expected: row(401, 200, 404, 404, 404, 404, 200) },
  // The report opens once the event is approved and over: for the owner a draft is not open yet.
  { method: 'put', path: '/promotion-events/{id}/report', url: (f) => `${f.event}/report`, body: qingyuanReportExample, expected: row(401, 409, 404, 403, 403, 403, 403) },
  { method: 'get', path: '/promotion-events/{id}/report', url: (f) => `${f.event}/report`, expected: row(401, 404, 404, 404, 404, 404, 404) },
];

describe('intake: who may do what', () => {
  let t: TestApp<IntakeConfig>;
  let http: ReturnType<typeof request>;
  const tokens: Partial<Record<Caller, string>> = {};
  let fixtures: Fixtures;

  beforeAll(async () => {
    t = await startIntake();
    http = request(t.app.getHttpServer());
    for (const [caller, username] of Object.entries(users)) tokens[caller as Caller] = await bearer(t, username);
    const me = await as('county', http.get('/me')).expect(200);
    fixtures = {
      user: me.body.id as string,
      draft: `/zone-plans/${await newPlan()}`,
      submitted: `/zone-plans/${await newPlan()}`,
      attachment: '',
      event: `/promotion-events/${await newEvent()}`,
    };
    const submitted = fixtures.submitted.split('/')[2]!;
    const ids: string[] = [];
    for (const kind of attachmentKinds) ids.push(await attach(submitted, kind));
    fixtures.attachment = ids[0]!;
    await as('owner', http.post(`${fixtures.submitted}/submit`)).expect(200);
    await assignTo(submitted, 'lishui-commerce');
  });

  afterAll(async () => {
    await t?.close();
  });

  const as = (caller: Caller, test: request.Test): request.Test => (caller === 'none' ? test : test.set('authorization', tokens[caller]!));
  const newPlan = async () => (await as('owner', http.post('/zone-plans')).send(qingyuanPlanExample).expect(201)).body.id as string;
  const newEvent = async () => (await as('owner', http.post('/promotion-events')).send(qingyuanEventExample).expect(201)).body.id as string;
  const attach = async (id: string, kind: string) =>
    (await as('owner', http.post(`/zone-plans/${id}/attachments`)).field('kind', kind).attach('file', samplePdf(kind), `${kind}.pdf`).expect(201)).body.id as string;

  /** As workflow would: the first step goes to the organisation, which may then read the plan. */
  async function assignTo(submissionId: string, organisation: string): Promise<void> {
    const queue = new Queue(QueueName.Intake, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    try {
      const submission = {
        submissionId,
        kind: 'zone_plan' as const,
        revision: 1,
        title: '浙江庆元经济开发区',
        county: { code: 'qingyuan', name: '庆元县' },
        city: { code: 'lishui', name: '丽水市' },
        applicant: { name: '庆元县人民政府', email: 'qingyuan@county.shanhai.example' },
        stakeholders: [],
      };
      const step = { index: 0, key: 'city_pre_review', name: '市商务局初审', organisation: { code: organisation, name: '丽水市商务局', email: `${organisation}@shanhai.example` } };
      const message = createMessage(
        TaskAssigned,
        { instanceId: randomUUID(), submission, definition: { key: 'zone_plan', version: 1 }, taskId: randomUUID(), step, stepCount: 3 },
        { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' },
      );
      await queue.add(message.name, message, { jobId: message.id });
      const deadline = Date.now() + 10_000;
      while ((await queue.getJob(message.id))?.finishedOn === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await queue.close();
    }
  }

  async function call(c: Case, caller: Caller): Promise<number> {
    let f = fixtures;
    if (c.fresh && c.expected[caller] < 300) {
      f = { ...fixtures, draft: `/zone-plans/${await newPlan()}`, event: `/promotion-events/${await newEvent()}` };
    }
    let test = as(caller, http[c.method](c.url(f)));
    if (c.upload) test = test.field('kind', 'feasibility_report').attach('file', samplePdf(caller), 'report.pdf');
    else if (c.body) test = test.send(c.body);
    return (await test).status;
  }

  it.each(cases.map((c) => [`${c.method.toUpperCase()} ${c.url({ user: '<user>', draft: '/zone-plans/<draft>', submitted: '/zone-plans/<submitted>', attachment: '<attachment>', event: '/promotion-events/<event>' })}`, c] as const))(
    '%s',
    async (_, c) => {
      const got: Partial<Expected> = {};
      for (const caller of callers) got[caller] = await call(c, caller);
      expect(got).toEqual(c.expected);
    },
  );

  it('covers every operation intake documents that needs a token', async () => {
    const document = (await http.get('/docs-json').expect(200)).body as Parameters<typeof guardedOperationsMissing>[0];
    expect(guardedOperationsMissing(document, cases.map((c) => `${c.method} ${c.path}`))).toEqual([]);
  });
});
