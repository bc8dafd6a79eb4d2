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
import { aSubmissionSummary, createTestApp, eventually, type TestApp, aSubmittedPayload } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import pg from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule, entities, migrations } from '../src/app.module.js';
import { Instance } from '../src/instances/instance.entity.js';
import { stateOf } from '../src/instances/instance-columns.js';
import { reviveDates } from './support/audit.js';
import { seedDirectoryReplica } from './support/directory.js';

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
  account: { userId: string; name: string; organisation?: { code: string; name: string }; county?: { code: string; name: string } } | null;
  actingFor: string | null;
  opinion: string | null;
  from: { status: string | null; step: number | null };
  to: { status: string; step: number };
  data: InstanceEvent;
  hash: string;
}

/** zone_plan v2 (the newest), in the order its tasks are assigned: 初审 → 审核 → 会审 (all three) → 审批 → 复函. */
const zonePlanParties = [['lishui-commerce'], ['zj-commerce'], ['zj-nr', 'zj-drc', 'zj-eco'], ['zj-gov'], ['zj-gov-office']];
/** The colleague zj-drc's reviewer delegates the joint review to, in every full walk. */
const drcDelegate = { userId: randomUUID(), name: 'zj-drc 经办人' };

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
    t = await createTestApp({ service: 'workflow', module: (config) => AppModule.forConfig(config), schema: { entities, migrations }, prepare: seedDirectoryReplica });
    http = request(t.app.getHttpServer());
    queue = new Queue(QueueName.Workflow, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    owner = new pg.Client({ connectionString: t.config.databaseUrl });
    await owner.connect();
    admin = await sign({ userId: randomUUID(), username: 'admin', name: '系统管理员', role: 'admin' });
    for (const organisation of zonePlanParties.flat()) {
      reviewers.set(organisation, await sign({ userId: randomUUID(), username: organisation, name: `${organisation} 审核人`, role: 'reviewer', organisation }));
    }
    reviewers.set(drcDelegate.userId, await sign({ ...drcDelegate, username: 'zj-drc-2', role: 'reviewer', organisation: 'zj-drc' }));
  });

  afterAll(async () => {
    await owner?.end();
    await queue?.close();
    await t?.close();
  });

  const pendingTasks = async (submissionId: string): Promise<TaskBody[]> =>
    (await http.get(`/tasks?submissionId=${submissionId}&status=pending`).set('authorization', admin)).body.items as TaskBody[];
  const pendingTask = async (submissionId: string): Promise<TaskBody | undefined> => (await pendingTasks(submissionId))[0];

  async function submit(): Promise<{ submissionId: string; task: TaskBody }> {
    const s = aSubmissionSummary();
    const message = createMessage(SubmissionSubmitted, aSubmittedPayload(s), { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
    await queue.add(message.name, message, { jobId: message.id });
    const task = await eventually(() => pendingTask(s.submissionId), (x) => x !== undefined);
    if (!task) throw new Error('no task was assigned');
    return { submissionId: s.submissionId, task };
  }

  /** Decides as a reviewer of the task's organisation, or as `as` (a user id signed in above). */
  const decide = (task: TaskBody, body: object, as = task.organisation.code) => http.post(`/tasks/${task.id}/decisions`).set('authorization', reviewers.get(as) ?? '').send(body);

  /**
   * Approves every step, each party with its own opinion (`第3步同意（zj-nr）` on the joint review),
   * except that zj-drc's reviewer delegates the joint review to a colleague, who approves it for
   * them. Returns the instance id and the parties of each step, as assigned.
   */
  async function approveAll(): Promise<{ instanceId: string; assigned: string[][] }> {
    const { submissionId, task } = await submit();
    const assigned: string[][] = [];
    for (let current = [task], step = 1; current.length; current = await pendingTasks(submissionId), step += 1) {
      assigned.push(current.map((x) => x.organisation.code));
      for (const x of current) {
        const opinion = current.length > 1 ? `第${step}步同意（${x.organisation.code}）` : `第${step}步同意`;
        if (x.organisation.code !== 'zj-drc') {
          await decide(x, { outcome: 'approve', opinion }).expect(200);
          continue;
        }
        await decide(x, { outcome: 'delegate', to: drcDelegate, reason: '请经办人会审' }).expect(200);
        await decide(x, { outcome: 'approve', opinion }, drcDelegate.userId).expect(200);
      }
    }
    return { instanceId: task.instanceId, assigned };
  }

  const trail = async (instanceId: string): Promise<EntryBody[]> => (await http.get(`/instances/${instanceId}/audit`).set('authorization', admin).expect(200)).body;
  const verify = () => http.post('/admin/audit/verify').set('authorization', admin).expect(200);
  const idOf = async (instanceId: string, seq: number): Promise<string> =>
    ((await owner.query('SELECT id FROM audit_entries WHERE instance_id = $1 AND seq = $2', [instanceId, seq])).rows[0] as { id: string }).id;

  it('names the signed-in account of every entry, never a field of the submission: the applicant with its county, a reviewer with its organisation', async () => {
    const summary = { ...aSubmissionSummary(), applicant: { name: '联系人 张三', email: 'zhang@county.shanhai.example' } };
    const applicant = { userId: randomUUID(), name: '遂昌县 经办人', county: summary.county };
    const message = createMessage(SubmissionSubmitted, { ...aSubmittedPayload(summary), submittedBy: applicant }, { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
    await queue.add(message.name, message, { jobId: message.id });
    const task = await eventually(() => pendingTask(summary.submissionId), (x) => x !== undefined);
    await decide(task!, { outcome: 'return', deficiencies: [{ target: 'field', ref: 'title', note: '请写全称。' }] }).expect(200);
    const corrected = createMessage(SubmissionSubmitted, { ...aSubmittedPayload({ ...summary, revision: 2 }), submittedBy: applicant }, { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
    await queue.add(corrected.name, corrected, { jobId: corrected.id });
    await eventually(() => pendingTask(summary.submissionId), (x) => x !== undefined && x.id !== task!.id);
    const entries = await trail(task!.instanceId);
    const of = (action: string) => entries.filter((e) => e.action === action).map((e) => [e.actor, e.account]);
    expect(of('started')).toEqual([['遂昌县 经办人', applicant]]);
    expect(of('resubmitted')).toEqual([['遂昌县 经办人', applicant]]);
    expect(of('returned')).toEqual([['lishui-commerce 审核人', { userId: expect.any(String), name: 'lishui-commerce 审核人', organisation: { code: 'lishui-commerce', name: '丽水市商务局' } }]]);
    expect(JSON.stringify(entries)).not.toContain('联系人 张三');
    await verify().expect((r) => expect(r.body).toMatchObject({ ok: true }));
  });

  it('records each event of the full v2 chain, joint review included: who, for whom, the opinion, the state change, and the events that replay to the stored state', async () => {
    const { instanceId, assigned } = await approveAll();
    expect(assigned).toEqual(zonePlanParties);
    const entries = await trail(instanceId);
    const lishui = 'lishui-commerce 审核人';
    const commerce = 'zj-commerce 审核人';
    const drc = 'zj-drc 审核人';
    const gov = 'zj-gov 审核人';
    const office = 'zj-gov-office 审核人';
    expect(entries.map((e) => [e.seq, e.action, e.actor, e.actingFor, e.opinion, e.to.step])).toEqual([
      [1, 'started', '遂昌县人民政府', null, null, 0],
      [2, 'step_assigned', '遂昌县人民政府', null, null, 0],
      [3, 'step_approved', lishui, null, '第1步同意', 0],
      [4, 'step_completed', lishui, null, null, 0],
      [5, 'step_assigned', lishui, null, null, 1],
      [6, 'step_approved', commerce, null, '第2步同意', 1],
      [7, 'step_completed', commerce, null, null, 1],
      [8, 'step_assigned', commerce, null, null, 2],
      [9, 'step_approved', 'zj-nr 审核人', null, '第3步同意（zj-nr）', 2],
      [10, 'delegated', drc, null, '请经办人会审', 2],
      // The delegate decides for the reviewer who delegated the task to them.
      [11, 'step_approved', 'zj-drc 经办人', drc, '第3步同意（zj-drc）', 2],
      // The last of the three completes the joint review.
      [12, 'step_approved', 'zj-eco 审核人', null, '第3步同意（zj-eco）', 2],
      [13, 'step_completed', 'zj-eco 审核人', null, null, 2],
      [14, 'step_assigned', 'zj-eco 审核人', null, null, 3],
      [15, 'step_approved', gov, null, '第4步同意', 3],
      [16, 'step_completed', gov, null, null, 3],
      [17, 'step_assigned', gov, null, null, 4],
      [18, 'step_approved', office, null, '第5步同意', 4],
      [19, 'step_completed', office, null, null, 4],
      [20, 'approved', office, null, null, 4],
    ]);
    // Each step's parties, as the entries recorded them, and which party each decision was.
    expect(entries.filter((e) => e.data.type === 'step_assigned').map((e) => e.data)).toEqual(
      zonePlanParties.map((parties, step) => ({ type: 'step_assigned', step, round: step + 1, parties, at: expect.any(String) })),
    );
    expect(entries.slice(8, 12).map((e) => e.data)).toEqual([
      expect.objectContaining({ type: 'step_approved', step: 2, round: 3, party: 0, actor: 'zj-nr 审核人' }),
      expect.objectContaining({ type: 'delegated', step: 2, round: 3, party: 1, actor: drc, to: drcDelegate }),
      expect.objectContaining({ type: 'step_approved', step: 2, round: 3, party: 1, actor: 'zj-drc 经办人', actingFor: drc }),
      expect.objectContaining({ type: 'step_approved', step: 2, round: 3, party: 2, actor: 'zj-eco 审核人' }),
    ]);
    expect(entries[19]).toMatchObject({
      from: { status: 'in_review', step: 4 },
      to: { status: 'approved', step: 4 },
      revision: 1,
      definition: { key: 'zone_plan', version: 2 },
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const rebuilt = replay(entries.map((e) => reviveDates(e.data)));
    const stored = await t.app.get(DataSource).manager.findOneByOrFail(Instance, { id: instanceId });
    expect(rebuilt).toEqual(stateOf(stored));
    expect(rebuilt).toEqual({
      status: 'approved',
      revision: 1,
      currentStep: 4,
      round: 5,
      chain: [
        { mode: 'single', parties: ['lishui-commerce'] },
        { mode: 'single', parties: ['zj-commerce'] },
        { mode: 'all_of', parties: ['zj-nr', 'zj-drc', 'zj-eco'] },
        { mode: 'single', parties: ['zj-gov'] },
        { mode: 'single', parties: ['zj-gov-office'] },
      ],
      parties: [{ organisation: 'zj-gov-office', status: 'approved', assignee: null, delegatedBy: null }],
    });
    const instance = await http.get(`/instances/${instanceId}`).set('authorization', admin).expect(200);
    expect(instance.body).toMatchObject({ status: 'approved', currentStep: 4, stepCount: 5, definition: { key: 'zone_plan', version: 2 } });
  });

  it('keeps one unbroken chain while instances start and decisions land at the same time', async () => {
    const started = await Promise.all(Array.from({ length: 6 }, () => submit()));
    await Promise.all(started.map(({ task }, i) => decide(task, i % 2 ? { outcome: 'approve' } : { outcome: 'reject', reason: '材料不全' }).expect(200)));
    const { body } = await verify();
    const { rows } = await owner.query('SELECT count(*)::int AS n FROM audit_entries');
    expect(body).toEqual({ ok: true, count: (rows[0] as { n: number }).n, headHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The full chain above (20), six starts (2 each), three rejections (1) and three approvals of a first step (approved, completed, next assigned: 3).
    expect(body.count).toBeGreaterThanOrEqual(20 + 6 * 2 + 3 * 1 + 3 * 3);
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
    const { instanceId } = await approveAll();
    // zj-commerce's approval (审核), with its opinion.
    const original = (await trail(instanceId))[5]!;
    expect(original).toMatchObject({ seq: 6, action: 'step_approved', opinion: '第2步同意' });
    const tampered = { id: await idOf(instanceId, 6), instanceId, seq: 6, reason: 'hash mismatch' };
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
      expect([cli.code, cli.stdout]).toEqual([1, `audit: BROKEN at entry ${tampered.id} (instance ${instanceId}, seq 6): hash mismatch; ${body.count} entries before it check out\n`]);
    } finally {
      await rewrite(original.opinion!);
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
