import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMessage, QueueName, SubmissionSubmitted } from '@shanhai/contracts';
import { replay, type InstanceEvent } from '@shanhai/domain';
import { TokenService, type Principal } from '@shanhai/platform';
import { aSubmissionSummary, createTestApp, eventually, type TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import pg from 'pg';
import request from 'supertest';
import { AppModule, entities, migrations } from '../src/app.module.js';

const workflowRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);


interface TaskBody {
  id: string;
  instanceId: string;
  organisation: { code: string };
}

interface EntryBody {
  seq: number;
  action: string;
  actor: string;
  actingFor: string | null;
  opinion: string | null;
  data: InstanceEvent;
  hash: string;
}

/** PostgreSQL refusing for lack of a privilege: not the append-only trigger, which would say so. */
const permissionDenied = { code: '42501', message: 'permission denied for table audit_entries' };

describe('workflow: the append-only, hash-chained audit trail', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let queue: Queue;
  /** The tables' owner, as migrations (and an attacker with owner rights) connect. */
  let owner: pg.Client;
  let admin: string;
  const sign = async (principal: Principal) => `Bearer ${(await t.app.get(TokenService).signAccess(principal)).token}`;
  const reviewers = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp({ service: 'workflow', module: (config) => AppModule.forConfig(config), schema: { entities, migrations } });
    http = request(t.app.getHttpServer());
    queue = new Queue(QueueName.Workflow, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    owner = new pg.Client({ connectionString: t.config.databaseUrl });
    await owner.connect();
    admin = await sign({ userId: randomUUID(), username: 'admin', name: '系统管理员', role: 'admin' });
    for (const organisation of ['lishui-commerce', 'zj-commerce', 'zj-gov']) {
      reviewers.set(organisation, await sign({ userId: randomUUID(), username: organisation, name: `${organisation} 审核人`, role: 'reviewer', organisation }));
    }
  });

  afterAll(async () => {
    await owner?.end();
    await queue?.close();
    await t?.close();
  });

  const pendingTask = async (submissionId: string): Promise<TaskBody | undefined> =>
    (await http.get(`/tasks?submissionId=${submissionId}&status=pending`).set('authorization', admin)).body.items[0] as TaskBody | undefined;

  async function submit(): Promise<{ submissionId: string; task: TaskBody }> {
    const s = aSubmissionSummary();
    const message = createMessage(SubmissionSubmitted, s, { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
    await queue.add(message.name, message, { jobId: message.id });
    const task = await eventually(() => pendingTask(s.submissionId), (x) => x !== undefined);
    if (!task) throw new Error('no task was assigned');
    return { submissionId: s.submissionId, task };
  }

  const decide = (task: TaskBody, body: object) => http.post(`/tasks/${task.id}/decisions`).set('authorization', reviewers.get(task.organisation.code) ?? '').send(body);

  /** Approves every step; returns the instance id. */
  async function approveAll(): Promise<string> {
    const { submissionId, task } = await submit();
    for (let current: TaskBody | undefined = task, step = 1; current; current = await pendingTask(submissionId), step += 1) {
      await decide(current, { outcome: 'approve', opinion: `第${step}步同意` }).expect(200);
    }
    return task.instanceId;
  }

  const trail = async (instanceId: string): Promise<EntryBody[]> => (await http.get(`/instances/${instanceId}/audit`).set('authorization', admin).expect(200)).body;
  const verify = () => http.post('/admin/audit/verify').set('authorization', admin).expect(200);
  const idOf = async (instanceId: string, seq: number): Promise<string> =>
    ((await owner.query('SELECT id FROM audit_entries WHERE instance_id = $1 AND seq = $2', [instanceId, seq])).rows[0] as { id: string }).id;

  it('records each event of a full chain: who, for whom, the opinion, the state change, and the event to replay', async () => {
    const instanceId = await approveAll();
    const entries = await trail(instanceId);
    expect(entries.map((e) => [e.seq, e.action, e.actor, e.actingFor, e.opinion])).toEqual([
      [1, 'started', '遂昌县人民政府', null, null],
      [2, 'step_assigned', '遂昌县人民政府', null, null],
      [3, 'step_approved', 'lishui-commerce 审核人', 'lishui-commerce', '第1步同意'],
      [4, 'step_assigned', 'lishui-commerce 审核人', 'lishui-commerce', null],
      [5, 'step_approved', 'zj-commerce 审核人', 'zj-commerce', '第2步同意'],
      [6, 'step_assigned', 'zj-commerce 审核人', 'zj-commerce', null],
      [7, 'step_approved', 'zj-gov 审核人', 'zj-gov', '第3步同意'],
      [8, 'approved', 'zj-gov 审核人', 'zj-gov', null],
    ]);
    expect(entries[7]).toMatchObject({
      from: { status: 'in_review', step: 2 },
      to: { status: 'approved', step: 2 },
      revision: 1,
      definition: { key: 'zone_plan', version: 1 },
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const instance = await http.get(`/instances/${instanceId}`).set('authorization', admin).expect(200);
    expect(replay(entries.map((e) => e.data))).toEqual({ status: 'approved', currentStep: 2, stepCount: 3 });
    expect(instance.body).toMatchObject({ status: 'approved', currentStep: 2, stepCount: 3 });
  });

  it('keeps one unbroken chain while instances start and decisions land at the same time', async () => {
    const started = await Promise.all(Array.from({ length: 6 }, () => submit()));
    await Promise.all(started.map(({ task }, i) => decide(task, i % 2 ? { outcome: 'approve' } : { outcome: 'reject', reason: '材料不全' }).expect(200)));
    const { body } = await verify();
    const { rows } = await owner.query('SELECT count(*)::int AS n FROM audit_entries');
    expect(body).toEqual({ ok: true, count: (rows[0] as { n: number }).n, headHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The full chain above (8), six starts (2 each), three rejections (1) and three approvals (2).
    expect(body.count).toBeGreaterThanOrEqual(8 + 6 * 2 + 3 * 1 + 3 * 2);
  });

  it('refuses to change, delete or truncate an entry, even for the table owner', async () => {
    await expect(owner.query("UPDATE audit_entries SET opinion = '改' WHERE seq = 3")).rejects.toThrow(/audit_entries is append-only: UPDATE refused/);
    await expect(owner.query('DELETE FROM audit_entries WHERE seq = 3')).rejects.toThrow(/append-only: DELETE refused/);
    await expect(owner.query('TRUNCATE audit_entries')).rejects.toThrow(/append-only: TRUNCATE refused/);
    await expect(verify().then((r) => r.body.ok)).resolves.toBe(true);
  });

  it("lets the service's database role append entries but not update or delete them", async () => {
    const login = `shanhai_test_app_${randomBytes(4).toString('hex')}`;
    await owner.query(`CREATE ROLE ${login} LOGIN IN ROLE shanhai_workflow_app`);
    const url = new URL(t.config.databaseUrl);
    url.username = login;
    const app = new pg.Client({ connectionString: url.toString() });
    try {
      await app.connect();
      await expect(app.query('SELECT current_user AS me').then((r) => (r.rows[0] as { me: string }).me)).resolves.toBe(login);
      const [entry] = (await app.query('SELECT * FROM audit_entries ORDER BY id DESC LIMIT 1')).rows as Record<string, unknown>[];
      // What the service does in a decision: write its own tables and append to the trail (rolled back, to keep the chain whole).
      await app.query('BEGIN');
      await app.query("UPDATE tasks SET opinion = opinion WHERE instance_id = $1", [entry!.instance_id]);
      const appended = await app.query(
        `INSERT INTO audit_entries (instance_id, seq, actor, action, to_status, revision, definition_key, definition_version, at, data, prev_hash, hash)
         SELECT instance_id, seq + 100, actor, action, to_status, revision, definition_key, definition_version, at, data, hash, hash FROM audit_entries WHERE id = $1
         RETURNING id`,
        [entry!.id],
      );
      expect(appended.rowCount).toBe(1);
      await app.query('ROLLBACK');

      await expect(app.query("UPDATE audit_entries SET opinion = '改' WHERE id = $1", [entry!.id])).rejects.toMatchObject(permissionDenied);
      await expect(app.query('DELETE FROM audit_entries WHERE id = $1', [entry!.id])).rejects.toMatchObject(permissionDenied);
      await expect(app.query('TRUNCATE audit_entries')).rejects.toMatchObject(permissionDenied);
      await expect(app.query('ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only')).rejects.toThrow(/must be owner/);
    } finally {
      await app.end();
      await owner.query(`DROP ROLE IF EXISTS ${login}`);
    }
    await expect(verify().then((r) => r.body.ok)).resolves.toBe(true);
  });

  it('names exactly the entry whose opinion an owner changed behind the trigger, over HTTP and from the CLI', async () => {
    const instanceId = await approveAll();
    const tampered = { id: await idOf(instanceId, 5), instanceId, seq: 5, reason: 'hash mismatch' };
    const rewrite = async (opinion: string) => {
      // As an attacker with the owner's rights would: step around the trigger, change the row, put the trigger back.
      await owner.query('ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only');
      await owner.query('UPDATE audit_entries SET opinion = $1 WHERE id = $2', [opinion, tampered.id]);
      await owner.query('ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only');
    };
    await rewrite('不同意');
    try {
      const { body } = await verify();
      expect(body).toMatchObject({ ok: false, firstBroken: tampered });
      const cli = await verifyFromShell();
      expect([cli.code, cli.stdout]).toEqual([1, `audit: BROKEN at entry ${tampered.id} (instance ${instanceId}, seq 5): hash mismatch; ${body.count} entries before it check out\n`]);
    } finally {
      await rewrite('第2步同意');
    }
    await expect(verify().then((r) => r.body.ok)).resolves.toBe(true);
    const cli = await verifyFromShell();
    expect([cli.code, cli.stdout]).toEqual([0, expect.stringMatching(/^audit: ok, \d+ entries, head [0-9a-f]{64}\n$/)]);
  });

  it('lets only admins verify the audit', async () => {
    await http.post('/admin/audit/verify').expect(401);
    await http.post('/admin/audit/verify').set('authorization', reviewers.get('lishui-commerce')!).expect(403);
  });

  /** `node dist/audit-verify.js` (what `npm run audit:verify` runs) against this spec's database. */
  async function verifyFromShell(): Promise<{ code: number; stdout: string }> {
    const cli = path.join(workflowRoot, 'dist/audit-verify.js');
    if (!existsSync(cli)) throw new Error(`${cli} is missing: build apps/workflow first`);
    const env = { PATH: process.env.PATH, WORKFLOW_DATABASE_URL: t.config.databaseUrl, LOG_FORMAT: 'json' };
    try {
      const { stdout } = await run(process.execPath, [cli], { env });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, stdout: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
    }
  }
});
