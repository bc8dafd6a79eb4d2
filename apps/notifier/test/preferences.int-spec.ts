import { startNotifier } from './support/notifier-app.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMessage, QueueName, TaskAssigned, type AnyMessage, type SubmissionSummary } from '@shanhai/contracts';
import { TokenService, type Principal } from '@shanhai/platform';
import { eventually, type TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { NotifierConfig } from '../src/config.js';
import { isStatutory, isTemplate, mutableTemplates, statutoryTemplates } from '../src/preferences/notice-policy.js';

const step = { index: 0, key: 'city_pre_review', name: '市商务局初审', organisation: { code: 'lishui-commerce', name: '丽水市商务局', email: 'lishui-commerce@shanhai.example' } };
const summary = (): SubmissionSummary => ({
  submissionId: randomUUID(),
  kind: 'zone_plan',
  revision: 1,
  title: '浙江松阳经济开发区',
  county: { code: 'songyang', name: '松阳县' },
  city: { code: 'lishui', name: '丽水市' },
  applicant: { name: '松阳县人民政府', email: `songyang-${randomUUID().slice(0, 8)}@shanhai.example` },
  stakeholders: [],
});
const assigned = (s: SubmissionSummary) =>
  createMessage(
    TaskAssigned,
    { instanceId: randomUUID(), submission: s, definition: { key: 'zone_plan', version: 1 }, taskId: randomUUID(), step, stepCount: 3 },
    { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' },
  );

describe('notifier: notice preferences and watchers', () => {
  let t: TestApp<NotifierConfig>;
  let http: ReturnType<typeof request>;
  let notifierQueue: Queue;
  let dataSource: DataSource;
  const statutory = statutoryTemplates();
  const [mutable] = mutableTemplates();

  beforeAll(async () => {
    // Nothing needs sending here: deliveries stay queued or fail, and only their rows are looked at.
    t = await startNotifier();
    http = request(t.app.getHttpServer());
    dataSource = t.app.get(DataSource);
    notifierQueue = new Queue(QueueName.Notifier, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
  });

  afterAll(async () => {
    await notifierQueue.close();
    await t.close();
  });

  const bearer = async (principal: Principal) => `Bearer ${(await t.app.get(TokenService).signAccess(principal)).token}`;
  const applicant = (email: string | null = `songyang-${randomUUID().slice(0, 8)}@shanhai.example`): Principal => ({
    userId: randomUUID(),
    username: 'songyang',
    name: '松阳县人民政府',
    role: 'applicant',
    county: 'songyang',
    ...(email ? { email } : {}),
  });
  const deliver = (message: AnyMessage) => notifierQueue.add(message.name, message, { jobId: message.id });
  const planned = (eventId: string) =>
    eventually(
      () => dataSource.query<{ planned: number }[]>('SELECT planned FROM notified_events WHERE event_id = $1', [eventId]),
      (rows) => rows.length === 1,
    );
  const deliveries = (eventId: string) =>
    dataSource.query<{ recipient: string; template: string }[]>('SELECT recipient, template FROM deliveries WHERE event_id = $1 ORDER BY template', [eventId]);

  it('has statutory and mutable templates to tell apart', () => {
    expect(statutory.length).toBeGreaterThan(0);
    expect(mutable).toEqual(expect.any(String));
    expect(isStatutory(mutable!)).toBe(false);
  });

  it('gives defaults to a user who never set any, keyed by the lower-cased email of the token', async () => {
    const me = await http.get('/preferences/me').set('authorization', await bearer(applicant('SongYang-Lead@Shanhai.Example'))).expect(200);
    expect(me.body).toEqual({ email: 'songyang-lead@shanhai.example', locale: 'zh-CN', muted: [], watching: [] });
  });

  it('needs a token, and refuses one without an email as problem+json naming it', async () => {
    await http.get('/preferences/me').expect(401);
    const refused = await http.get('/preferences/me').set('authorization', await bearer(applicant(null))).expect(400);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'authorization' }] });
    await http.put('/preferences/me').set('authorization', await bearer(applicant(null))).send({ locale: 'en', muted: [] }).expect(400);
    await http.put(`/preferences/me/watching/${randomUUID()}`).set('authorization', await bearer(applicant(null))).expect(400);
  });

  it('lets any role set its language and mute non-statutory notices, whatever the case of the address', async () => {
    for (const principal of [
      applicant(),
      { userId: randomUUID(), username: 'lishui-commerce', name: '丽水市商务局', role: 'reviewer' as const, organisation: 'lishui-commerce', email: `LC-${randomUUID().slice(0, 6)}@shanhai.example` },
      { userId: randomUUID(), username: 'keqiao-zone', name: '柯桥', role: 'stakeholder' as const, zone: 'keqiao', email: `kq-${randomUUID().slice(0, 6)}@shanhai.example` },
      { userId: randomUUID(), username: 'admin', name: '系统管理员', role: 'admin' as const, email: `admin-${randomUUID().slice(0, 6)}@shanhai.example` },
    ]) {
      const auth = await bearer(principal);
      const put = await http.put('/preferences/me').set('authorization', auth).send({ locale: 'en', muted: [mutable, mutable] }).expect(200);
      expect(put.body).toEqual({ email: principal.email!.toLowerCase(), locale: 'en', muted: [mutable], watching: [] });
      await expect(http.get('/preferences/me').set('authorization', auth).then((r) => r.body)).resolves.toEqual(put.body);
    }
  });

  it('refuses to mute a statutory notice or an unknown one, naming the field and the template', async () => {
    const auth = await bearer(applicant());
    const refused = await http.put('/preferences/me').set('authorization', auth).send({ locale: 'zh-CN', muted: [mutable, statutory[0], 'no.such_template'] }).expect(400);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    expect(refused.body.errors).toEqual([
      { field: 'muted.1', message: `${statutory[0]} is a statutory notice and cannot be muted` },
      { field: 'muted.2', message: 'no.such_template is not a notice template' },
    ]);
    const badShape = await http.put('/preferences/me').set('authorization', auth).send({ locale: 'fr', muted: 'all', extra: 1 }).expect(400);
    expect(badShape.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'locale', 'muted']);
    // Nothing was stored.
    expect((await http.get('/preferences/me').set('authorization', auth).expect(200)).body).toMatchObject({ locale: 'zh-CN', muted: [] });
  });

  it('watches and unwatches submissions, listing them oldest first; both are idempotent', async () => {
    const auth = await bearer(applicant());
    // The notifier heard of both (an event of each): the applicant of their county may watch them.
    const [sa, sb] = [summary(), summary()];
    for (const s of [sa, sb]) {
      const message = assigned(s);
      await deliver(message);
      await planned(message.id);
    }
    const [a, b] = [sa.submissionId, sb.submissionId];
    const first = await http.put(`/preferences/me/watching/${a}`).set('authorization', auth).expect(200);
    expect(first.body).toEqual({ submissionId: a, since: expect.any(String) });
    await http.put(`/preferences/me/watching/${b}`).set('authorization', auth).expect(200);
    const again = await http.put(`/preferences/me/watching/${a}`).set('authorization', auth).expect(200);
    expect(again.body.since).toBe(first.body.since);
    expect((await http.get('/preferences/me').set('authorization', auth)).body.watching.map((w: { submissionId: string }) => w.submissionId)).toEqual([a, b]);
    await http.delete(`/preferences/me/watching/${a}`).set('authorization', auth).expect(204);
    await http.delete(`/preferences/me/watching/${a}`).set('authorization', auth).expect(204);
    expect((await http.get('/preferences/me').set('authorization', auth)).body.watching.map((w: { submissionId: string }) => w.submissionId)).toEqual([b]);
    await http.put('/preferences/me/watching/not-a-uuid').set('authorization', auth).expect(400);
  });

  it('plans no delivery of a notice its recipient muted, and still the statutory ones; records the planned count', async () => {
    // Whichever task_assigned template is mutable is muted by its recipient; the other is statutory or not muted.
    const s = summary();
    const message = assigned(s);
    const recipientOf: Record<string, string> = { 'task_assigned.applicant': s.applicant.email, 'task_assigned.reviewer': step.organisation.email };
    const mutedHere = Object.keys(recipientOf).filter((id) => isTemplate(id) && !isStatutory(id));
    for (const template of mutedHere) {
      await http.put('/preferences/me').set('authorization', await bearer(applicant(recipientOf[template]!.toUpperCase()))).send({ locale: 'zh-CN', muted: [template] }).expect(200);
    }
    await deliver(message);
    const [row] = await planned(message.id);
    const sent = await deliveries(message.id);
    expect(sent.map((d) => d.template).sort()).toEqual(Object.keys(recipientOf).filter((id) => !mutedHere.includes(id)).sort());
    expect(row!.planned).toBe(sent.length);
    // Unmuted again, the next event tells them.
    for (const template of mutedHere) {
      await http.put('/preferences/me').set('authorization', await bearer(applicant(recipientOf[template]))).send({ locale: 'zh-CN', muted: [] }).expect(200);
    }
    const next = assigned(s);
    await deliver(next);
    await planned(next.id);
    expect((await deliveries(next.id)).map((d) => d.template).sort()).toEqual(['task_assigned.applicant', 'task_assigned.reviewer']);
  });

  it('never skips a statutory notice, even if a row claims it muted', async () => {
    const s = summary();
    const statutoryHere = ['task_assigned.reviewer', 'task_assigned.applicant'].filter((id) => isStatutory(id));
    await dataSource.query(`INSERT INTO notification_preferences (email, locale, muted) VALUES ($1, 'zh-CN', $3), ($2, 'zh-CN', $3) ON CONFLICT (email) DO UPDATE SET muted = $3`, [
      s.applicant.email,
      step.organisation.email,
      statutoryHere,
    ]);
    const message = assigned(s);
    await deliver(message);
    await planned(message.id);
    const templates = (await deliveries(message.id)).map((d) => d.template);
    for (const id of statutoryHere) expect(templates).toContain(id);
    await dataSource.query(`DELETE FROM notification_preferences WHERE email = $1`, [step.organisation.email]);
  });

  it("adds the submission's watchers to its notices, in the watcher's language", async () => {
    const s = summary();
    // The notifier must have heard of the submission before anyone but an admin may watch it.
    const heard = assigned(s);
    await deliver(heard);
    await planned(heard.id);
    const watcher = applicant(`watcher-${randomUUID().slice(0, 8)}@shanhai.example`);
    const auth = await bearer(watcher);
    await http.put('/preferences/me').set('authorization', auth).send({ locale: 'en', muted: [] }).expect(200);
    await http.put(`/preferences/me/watching/${s.submissionId}`).set('authorization', auth).expect(200);
    const message = assigned(s);
    await deliver(message);
    await planned(message.id);
    const toWatcher = await dataSource.query<{ template: string; subject: string }[]>('SELECT template, subject FROM deliveries WHERE event_id = $1 AND recipient = $2', [message.id, watcher.email]);
    expect(toWatcher).toHaveLength(1);
    expect(isStatutory(toWatcher[0]!.template)).toBe(false);
    // In English: the title as typed, in an English subject (no 【…】 brackets).
    expect(toWatcher[0]!.subject).toContain(s.title);
    expect(toWatcher[0]!.subject).not.toMatch(/[【】]/u);
    const [toApplicant] = await dataSource.query<{ subject: string }[]>('SELECT subject FROM deliveries WHERE event_id = $1 AND recipient = $2', [message.id, s.applicant.email]);
    expect(toApplicant!.subject).toMatch(/^【/u);
  });

  describe('who may watch a submission', () => {
    const reviewer = (organisation: string): Principal => ({
      userId: randomUUID(),
      username: `${organisation}-reviewer`,
      name: `${organisation} 审核员`,
      role: 'reviewer',
      organisation,
      email: `reviewer-${randomUUID().slice(0, 8)}@${organisation}.shanhai.example`,
    });
    const stakeholder = (email: string): Principal => ({ userId: randomUUID(), username: 'keqiao-zone', name: '柯桥经济技术开发区', role: 'stakeholder', zone: 'keqiao', email });
    const admin = (): Principal => ({ userId: randomUUID(), username: 'admin', name: '系统管理员', role: 'admin', email: `admin-${randomUUID().slice(0, 8)}@shanhai.example` });
    const heardOf = async (s: SubmissionSummary) => {
      const message = assigned(s);
      await deliver(message);
      await planned(message.id);
    };
    const watch = async (principal: Principal, submissionId: string) => http.put(`/preferences/me/watching/${submissionId}`).set('authorization', await bearer(principal));
    const expectNotFound = async (principal: Principal, submissionId: string) => {
      const refused = await watch(principal, submissionId);
      expect(refused.status).toBe(404);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 404, code: 'NOT_FOUND', detail: `no submission ${submissionId}` });
    };
    const recipientsOf = async (eventId: string) => (await deliveries(eventId)).map((d) => d.recipient);

    it('refuses strangers with 404, as if the submission did not exist, and never tells them of it', async () => {
      const s = summary();
      await heardOf(s);
      const otherCounty: Principal = { ...applicant(`qingyuan-${randomUUID().slice(0, 8)}@shanhai.example`), username: 'qingyuan', name: '庆元县人民政府', county: 'qingyuan' };
      const unrelated = reviewer('zj-nr');
      const notAStakeholder = stakeholder(`other-zone-${randomUUID().slice(0, 8)}@shanhai.example`);
      for (const stranger of [otherCounty, unrelated, notAStakeholder]) await expectNotFound(stranger, s.submissionId);
      // The same answer for a submission the notifier never heard of, even to its would-be applicant.
      await expectNotFound(applicant(), randomUUID());
      const got = await http.get('/preferences/me').set('authorization', await bearer(unrelated)).expect(200);
      expect(got.body.watching).toEqual([]);
      // Watches made before the check (no access recorded) or by someone not (or no longer) a party: not told.
      const legacy = `legacy-${randomUUID().slice(0, 8)}@shanhai.example`;
      await dataSource.query(`INSERT INTO submission_watchers (submission_id, email, name) VALUES ($1, $2, '旧订阅')`, [s.submissionId, legacy]);
      await dataSource.query(`INSERT INTO submission_watchers (submission_id, email, name, role, county) VALUES ($1, $2, '庆元县人民政府', 'applicant', 'qingyuan')`, [s.submissionId, otherCounty.email]);
      const next = assigned(s);
      await deliver(next);
      await planned(next.id);
      const told = await recipientsOf(next.id);
      expect(told.sort()).toEqual([s.applicant.email, step.organisation.email].sort());
      for (const stranger of [otherCounty, unrelated, notAStakeholder]) expect(told).not.toContain(stranger.email);
      expect(told).not.toContain(legacy);
    });

    it("lets the submission's parties watch it, and tells them of its progress", async () => {
      const keqiao = `KeQiao-${randomUUID().slice(0, 6)}@Zone.Shanhai.Example`;
      const s = { ...summary(), stakeholders: [{ name: '柯桥经济技术开发区', email: keqiao }] };
      await heardOf(s);
      const county = applicant(`songyang-staff-${randomUUID().slice(0, 8)}@shanhai.example`);
      const cityReviewer = reviewer(step.organisation.code);
      const pairedZone = stakeholder(keqiao.toLowerCase());
      const anAdmin = admin();
      for (const party of [county, cityReviewer, pairedZone, anAdmin]) {
        const watched = await watch(party, s.submissionId);
        expect(watched.status).toBe(200);
        expect(watched.body).toEqual({ submissionId: s.submissionId, since: expect.any(String) });
      }
      // A countersigning party named in a later step's task becomes a party too.
      const nextStep = { ...step, index: 1, key: 'province_review', name: '省商务厅审核', organisation: { code: 'zj-commerce', name: '浙江省商务厅', email: 'zj-commerce@shanhai.example' } };
      const province = reviewer('zj-nr');
      await expectNotFound(province, s.submissionId);
      const next = createMessage(
        TaskAssigned,
        { instanceId: randomUUID(), submission: s, definition: { key: 'zone_plan', version: 1 }, taskId: randomUUID(), step: nextStep, stepCount: 3, party: 0, parties: [{ code: 'zj-commerce', name: '浙江省商务厅' }, { code: 'zj-nr', name: '浙江省自然资源厅' }] },
        { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' },
      );
      await deliver(next);
      await planned(next.id);
      const told = await deliveries(next.id);
      for (const party of [county, cityReviewer, pairedZone, anAdmin]) {
        expect(told).toContainEqual({ recipient: party.email!.toLowerCase(), template: 'task_assigned.watcher' });
      }
      expect((await watch(province, s.submissionId)).status).toBe(200);
    });

    it('lets an admin watch a submission the notifier has not heard of yet', async () => {
      const submissionId = randomUUID();
      expect((await watch(admin(), submissionId)).status).toBe(200);
    });
  });
});
