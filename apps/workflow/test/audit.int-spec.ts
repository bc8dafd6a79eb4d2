import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMessage, QueueName, SubmissionSubmitted } from '@shanhai/contracts';
import { replay, start, type InstanceEvent } from '@shanhai/domain';
import { countRoundTrips, dataSourceOptions, dropDatabase, migrate, TokenService, type Principal } from '@shanhai/platform';
import { aSubmissionSummary, createTestApp, eventually, type TestApp, aSubmittedPayload, uniqueDatabaseUrl } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import pg from 'pg';
import request from 'supertest';
import { DataSource, type QueryRunner } from 'typeorm';
import { AppModule, entities, migrations } from '../src/app.module.js';
import { chain, GENESIS_HASH, LEGACY_HASH_FORMAT, type AuditFields } from '../src/audit/audit-chain.js';
import { AuditCheckpoints } from '../src/audit/audit-checkpoints.service.js';
import { auditFields } from '../src/audit/audit-entries.js';
import { verifyAuditTrail } from '../src/audit/audit-verification.js';
import { AuditService } from '../src/audit/audit.service.js';
import { DEVELOPMENT_AUDIT_KEY, loadConfig, type WorkflowConfig } from '../src/config.js';
import { Instance } from '../src/instances/instance.entity.js';
import { stateOf } from '../src/instances/instance-columns.js';
import { AuditChains1764232200000 } from '../src/migrations/1764232200000-audit-chains.js';
import { deleteRows, reviveDates, rewriteRows } from './support/audit.js';
import { seedDirectoryReplica } from './support/directory.js';

const workflowRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

type ChainedFields = AuditFields & { readonly prevHash: string; readonly hash: string };

/** The spec asks for checkpoints itself; the timer (its own spec below) must not add any meanwhile. */
const noTimer = { audit: { checkpointMs: 3_600_000 } };
const hex64 = /^[0-9a-f]{64}$/;

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

/** zone_plan v3 (the newest: v2's chain with time limits), in the order its tasks are assigned: 初审 → 审核 → 会审 (all three) → 审批 → 复函. */
const zonePlanParties = [['lishui-commerce'], ['zj-commerce'], ['zj-nr', 'zj-drc', 'zj-eco'], ['zj-gov'], ['zj-gov-office']];
/** The colleague zj-drc's reviewer delegates the joint review to, in every full walk. */
const drcDelegate = { userId: randomUUID(), name: 'zj-drc 经办人' };

/** PostgreSQL refusing for lack of a privilege: not the append-only trigger, which would say so. */
const permissionDenied = { code: '42501', message: 'permission denied for table audit_entries' };

describe('workflow: the append-only, hash-chained audit trail', () => {
  let t: TestApp<WorkflowConfig>;
  let http: ReturnType<typeof request>;
  let queue: Queue;
  /** The tables' owner, as migrations (and an attacker with owner rights) connect. */
  let owner: pg.Client;
  let admin: string;
  const sign = async (principal: Principal) => `Bearer ${(await t.app.get(TokenService).signAccess(principal)).token}`;
  const reviewers = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp<WorkflowConfig>({ service: 'workflow', module: (config) => AppModule.forConfig(config), schema: { entities, migrations }, prepare: seedDirectoryReplica, extra: noTimer });
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
  const checkpoint = () => http.post('/admin/audit/checkpoints').set('authorization', admin);
  const lastSeqOf = async (instanceId: string): Promise<number> =>
    ((await owner.query('SELECT max(seq)::int AS seq FROM audit_entries WHERE instance_id = $1', [instanceId])).rows[0] as { seq: number }).seq;
  const countOf = async (table: string): Promise<number> => ((await owner.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0] as { n: number }).n;
  const latestCheckpoint = async (): Promise<{ id: string; hash: string; head_count: number }> =>
    (await owner.query('SELECT id::text, hash, head_count FROM audit_checkpoints ORDER BY id DESC LIMIT 1')).rows[0] as { id: string; hash: string; head_count: number };
  /** Verify says ok again once the tampering is undone. */
  const intactAgain = () => expect(verify().then((r) => r.body.ok)).resolves.toBe(true);

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

  it('records each event of the full v3 chain, joint review included: who, for whom, the opinion, the state change, and the events that replay to the stored state', async () => {
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
      // The committed limit (承诺时限) starts with the review, each step's limit with the step.
      [2, 'deadline_set', '遂昌县人民政府', null, null, 0],
      [3, 'step_assigned', '遂昌县人民政府', null, null, 0],
      [4, 'deadline_set', '遂昌县人民政府', null, null, 0],
      [5, 'step_approved', lishui, null, '第1步同意', 0],
      [6, 'step_completed', lishui, null, null, 0],
      [7, 'step_assigned', lishui, null, null, 1],
      [8, 'deadline_set', lishui, null, null, 1],
      [9, 'step_approved', commerce, null, '第2步同意', 1],
      [10, 'step_completed', commerce, null, null, 1],
      [11, 'step_assigned', commerce, null, null, 2],
      [12, 'deadline_set', commerce, null, null, 2],
      [13, 'step_approved', 'zj-nr 审核人', null, '第3步同意（zj-nr）', 2],
      [14, 'delegated', drc, null, '请经办人会审', 2],
      // The delegate decides for the reviewer who delegated the task to them.
      [15, 'step_approved', 'zj-drc 经办人', drc, '第3步同意（zj-drc）', 2],
      // The last of the three completes the joint review.
      [16, 'step_approved', 'zj-eco 审核人', null, '第3步同意（zj-eco）', 2],
      [17, 'step_completed', 'zj-eco 审核人', null, null, 2],
      [18, 'step_assigned', 'zj-eco 审核人', null, null, 3],
      [19, 'deadline_set', 'zj-eco 审核人', null, null, 3],
      [20, 'step_approved', gov, null, '第4步同意', 3],
      [21, 'step_completed', gov, null, null, 3],
      [22, 'step_assigned', gov, null, null, 4],
      [23, 'deadline_set', gov, null, null, 4],
      [24, 'step_approved', office, null, '第5步同意', 4],
      [25, 'step_completed', office, null, null, 4],
      [26, 'approved', office, null, null, 4],
    ]);
    // Each step's parties, as the entries recorded them, and which party each decision was.
    expect(entries.filter((e) => e.data.type === 'step_assigned').map((e) => e.data)).toEqual(
      zonePlanParties.map((parties, step) => ({ type: 'step_assigned', step, round: step + 1, parties, at: expect.any(String) })),
    );
    expect(entries.slice(12, 16).map((e) => e.data)).toEqual([
      expect.objectContaining({ type: 'step_approved', step: 2, round: 3, party: 0, actor: 'zj-nr 审核人' }),
      expect.objectContaining({ type: 'delegated', step: 2, round: 3, party: 1, actor: drc, to: drcDelegate }),
      expect.objectContaining({ type: 'step_approved', step: 2, round: 3, party: 1, actor: 'zj-drc 经办人', actingFor: drc }),
      expect.objectContaining({ type: 'step_approved', step: 2, round: 3, party: 2, actor: 'zj-eco 审核人' }),
    ]);
    expect(entries[25]).toMatchObject({
      from: { status: 'in_review', step: 4 },
      to: { status: 'approved', step: 4 },
      revision: 1,
      definition: { key: 'zone_plan', version: 3 },
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
    expect(instance.body).toMatchObject({ status: 'approved', currentStep: 4, stepCount: 5, definition: { key: 'zone_plan', version: 3 } });
  });

  it("keeps every instance's chain unbroken while instances start and decisions land at the same time", async () => {
    const started = await Promise.all(Array.from({ length: 6 }, () => submit()));
    await Promise.all(started.map(({ task }, i) => decide(task, i % 2 ? { outcome: 'approve' } : { outcome: 'reject', reason: '材料不全' }).expect(200)));
    const { body } = await verify();
    expect(body).toEqual({ ok: true, count: await countOf('audit_entries'), checkpoints: 0, checkpointHash: null, headHash: expect.stringMatching(hex64) });
    // Each instance's chain head, kept with every append.
    const heads = await owner.query('SELECT h.instance_id FROM audit_chain_heads h JOIN audit_entries e ON e.instance_id = h.instance_id AND e.seq = h.seq AND e.hash = h.hash');
    expect(heads.rowCount).toBe(await countOf('instances'));
    // The full chain above (20), six starts (2 each), three rejections (1) and three approvals of a first step (approved, completed, next assigned: 3).
    expect(body.count).toBeGreaterThanOrEqual(20 + 6 * 2 + 3 * 1 + 3 * 3);
  });

  it('refuses to change, delete or truncate an entry, a checkpoint, its heads or the legacy boundary, even for the table owner', async () => {
    await expect(owner.query("UPDATE audit_entries SET opinion = '改' WHERE seq = 3")).rejects.toThrow(/audit_entries is append-only: UPDATE refused/);
    await expect(owner.query('DELETE FROM audit_entries WHERE seq = 3')).rejects.toThrow(/append-only: DELETE refused/);
    await expect(owner.query('TRUNCATE audit_entries')).rejects.toThrow(/append-only: TRUNCATE refused/);
    await checkpoint().expect(201);
    // A column of each, set to itself: the trigger refuses the UPDATE whatever it changes.
    for (const [table, column] of [['audit_checkpoints', 'at'], ['audit_checkpoint_heads', 'seq'], ['audit_legacy', 'until_id']] as const) {
      await expect(owner.query(`UPDATE ${table} SET ${column} = ${column}`)).rejects.toThrow(new RegExp(`${table} is append-only: UPDATE refused`));
      await expect(owner.query(`DELETE FROM ${table}`)).rejects.toThrow(new RegExp(`${table} is append-only: DELETE refused`));
      await expect(owner.query(`TRUNCATE ${table} CASCADE`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    }
    await expect(verify().then((r) => r.body)).resolves.toMatchObject({ ok: true, checkpoints: 1 });
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

      // What a checkpoint does: append checkpoints and move the heads' checkpointed_seq (rolled back too).
      await app.query('BEGIN');
      const [cp] = (await app.query(
        `INSERT INTO audit_checkpoints (at, head_count, digest, prev_hash, hash, key_id, signature) VALUES (now(), 1, $1, $1, $1, 'k', $1) RETURNING id`,
        ['0'.repeat(64)],
      )).rows as { id: string }[];
      await app.query('INSERT INTO audit_checkpoint_heads (checkpoint_id, instance_id, seq, hash) VALUES ($1, $2, 1, $3)', [cp!.id, entry!.instance_id, '0'.repeat(64)]);
      await app.query('UPDATE audit_chain_heads SET checkpointed_seq = checkpointed_seq');
      await app.query('ROLLBACK');
      const denied = (table: string) => ({ code: '42501', message: `permission denied for table ${table}` });
      for (const table of ['audit_checkpoints', 'audit_checkpoint_heads']) {
        await expect(app.query(`DELETE FROM ${table}`)).rejects.toMatchObject(denied(table));
        await expect(app.query(`TRUNCATE ${table}`)).rejects.toMatchObject(denied(table));
      }
      await expect(app.query('UPDATE audit_checkpoints SET at = at')).rejects.toMatchObject(denied('audit_checkpoints'));
      await expect(app.query('INSERT INTO audit_legacy (until_id, head_hash) VALUES (0, $1)', ['0'.repeat(64)])).rejects.toMatchObject(denied('audit_legacy'));
      await expect(app.query('UPDATE audit_legacy SET until_id = 0')).rejects.toMatchObject(denied('audit_legacy'));
      // A chain head deleted would keep its chain's deletion out of the next checkpoint.
      await expect(app.query('DELETE FROM audit_chain_heads')).rejects.toMatchObject(denied('audit_chain_heads'));
    } finally {
      await app.end();
      await owner.query(`DROP ROLE IF EXISTS ${login}`);
    }
    await expect(verify().then((r) => r.body.ok)).resolves.toBe(true);
  });

  it('names exactly the entry whose opinion an owner changed behind the trigger, over HTTP and from the CLI', async () => {
    const { instanceId } = await approveAll();
    // zj-commerce's approval (审核), with its opinion.
    const original = (await trail(instanceId))[8]!;
    expect(original).toMatchObject({ seq: 9, action: 'step_approved', opinion: '第2步同意' });
    const tampered = { id: await idOf(instanceId, 9), instanceId, seq: 9, reason: 'hash mismatch' };
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
      expect([cli.code, cli.stdout]).toEqual([1, `audit: BROKEN at entry ${tampered.id} (instance ${instanceId}, seq 9): hash mismatch; ${body.count} entries before it check out\n`]);
    } finally {
      await rewrite(original.opinion!);
    }
    const { body } = await verify();
    expect(body.ok).toBe(true);
    const cli = await verifyFromShell();
    expect([cli.code, cli.stdout]).toEqual([0, `audit: ok, ${body.count} entries, ${body.checkpoints} checkpoints, last checkpoint ${body.checkpointHash ?? 'none'}, heads ${body.headHash}\n`]);
  });

  it('appends to two instances at the same time without either waiting for the other, and takes no advisory lock', async () => {
    const [x, y] = await Promise.all([submit(), submit()]);
    const dataSource = t.app.get(DataSource);
    const audit = t.app.get(AuditService);
    const runners = [dataSource.createQueryRunner(), dataSource.createQueryRunner(), dataSource.createQueryRunner()] as const;
    const [one, two, three] = runners;
    /** As the store does: the instance's row held, then its events audited. */
    const appendTo = async (runner: QueryRunner, instanceId: string) => {
      const instance = await runner.manager.findOneOrFail(Instance, { where: { id: instanceId }, lock: { mode: 'pessimistic_write' } });
      const subject = { instanceId, revision: instance.revision, definitionKey: instance.definitionKey, definitionVersion: instance.definitionVersion };
      await audit.append(runner.manager, subject, { actor: 'spec', actingFor: null }, stateOf(instance), [{ type: 'approved', step: 0, at: new Date() }]);
    };
    try {
      for (const runner of runners) {
        await runner.connect();
        await runner.startTransaction();
        // Waiting on any lock (advisory or row) fails fast instead of hanging.
        await runner.query("SET LOCAL lock_timeout = '500ms'");
      }
      await appendTo(one, x.task.instanceId);
      // `one` is open and holds everything it took: an append to another instance goes through.
      await expect(appendTo(two, y.task.instanceId)).resolves.toBeUndefined();
      const pids = await Promise.all([one, two].map(async (r) => ((await r.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[])[0]!.pid));
      const advisory = await owner.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = ANY ($1)", [pids]);
      expect(advisory.rows).toEqual([{ n: 0 }]);
      // The same instance still waits for `one` (the caller's row lock): the control that shows the timeout bites.
      await expect(appendTo(three, x.task.instanceId)).rejects.toThrow(/lock timeout/);
    } finally {
      for (const runner of runners) {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
    }
    await expect(verify().then((r) => r.body.ok)).resolves.toBe(true);
  });

  it("appends a decision's events in two round trips: the instance's last entry, then the entries and the chain head in one statement", async () => {
    const { task } = await submit();
    const dataSource = t.app.get(DataSource);
    const counter = countRoundTrips(dataSource);
    const runner = dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
      const instance = await runner.manager.findOneOrFail(Instance, { where: { id: task.instanceId }, lock: { mode: 'pessimistic_write' } });
      const subject = { instanceId: instance.id, revision: instance.revision, definitionKey: instance.definitionKey, definitionVersion: instance.definitionVersion };
      const now = new Date();
      // What an approval of a single-party step appends: approved, completed, the next step assigned.
      const events: InstanceEvent[] = [
        { type: 'step_approved', step: 0, round: 1, party: 0, actor: 'spec', at: now },
        { type: 'step_completed', step: 0, round: 1, at: now },
        { type: 'step_assigned', step: 1, round: 2, parties: ['zj-commerce'], at: now },
      ];
      const { statements } = await counter.measure(() => t.app.get(AuditService).append(runner.manager, subject, { actor: 'spec', actingFor: null }, stateOf(instance), events));
      expect(statements.map((q) => q.trim().split(/\s+/).slice(0, 4).join(' '))).toEqual(['SELECT seq, hash FROM', 'WITH appended AS (']);
      const appended = (await runner.query('SELECT seq FROM audit_entries WHERE instance_id = $1 ORDER BY seq', [task.instanceId])) as { seq: number }[];
      const head = (await runner.query('SELECT seq FROM audit_chain_heads WHERE instance_id = $1', [task.instanceId])) as { seq: number }[];
      expect([appended.map((e) => e.seq), head]).toEqual([[1, 2, 3, 4, 5, 6, 7], [{ seq: 7 }]]);
    } finally {
      counter.stop();
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('signs a checkpoint of the chain heads that advanced since the last one, and makes none while nothing did', async () => {
    await checkpoint(); // whatever the specs before left uncheckpointed
    const before = await latestCheckpoint();
    const { task } = await submit();
    const seq = await lastSeqOf(task.instanceId);
    const made = await checkpoint().expect(201);
    expect(made.body).toEqual({
      outcome: 'created',
      checkpoint: { id: expect.any(String), at: expect.any(String), headCount: 1, digest: expect.stringMatching(hex64), prevHash: before.hash, hash: expect.stringMatching(hex64), keyId: 'dev-audit-2026', signature: expect.stringMatching(hex64) },
    });
    // What it recorded: the new instance's last entry.
    const recorded = await owner.query('SELECT instance_id, seq, hash FROM audit_checkpoint_heads WHERE checkpoint_id = $1', [made.body.checkpoint.id]);
    const last = await owner.query('SELECT hash FROM audit_entries WHERE instance_id = $1 AND seq = $2', [task.instanceId, seq]);
    expect(recorded.rows).toEqual([{ instance_id: task.instanceId, seq, hash: (last.rows[0] as { hash: string }).hash }]);
    await checkpoint().expect(200).expect((r) => expect(r.body).toEqual({ outcome: 'nothing to checkpoint' }));
    const { body } = await verify();
    expect(body).toMatchObject({ ok: true, checkpoints: await countOf('audit_checkpoints'), checkpointHash: made.body.checkpoint.hash });
  });

  it("names an instance whose entries were all deleted after a checkpoint recorded its chain: missing entry, over HTTP and from the CLI", async () => {
    const { instanceId } = await approveAll();
    const made = (await checkpoint().expect(201)).body as { checkpoint: { id: string } };
    const seq = await lastSeqOf(instanceId);
    const restore = await deleteRows(owner, 'audit_entries', 'instance_id = $1', [instanceId]);
    try {
      const { body } = await verify();
      expect(body).toMatchObject({ ok: false, count: await countOf('audit_entries'), firstBroken: { id: null, instanceId, seq, reason: 'missing entry', checkpointId: made.checkpoint.id } });
      const cli = await verifyFromShell();
      expect([cli.code, cli.stdout]).toEqual([1, `audit: BROKEN at instance ${instanceId}, seq ${seq} (named by checkpoint ${made.checkpoint.id}): missing entry; ${body.count} entries check out\n`]);
    } finally {
      await restore();
    }
    await intactAgain();
  });

  it('names an instance cut short before any checkpoint recorded it once the next checkpoint runs: its chain head still says how far it went', async () => {
    await checkpoint();
    const { task } = await submit();
    const seq = await lastSeqOf(task.instanceId);
    const restore = await deleteRows(owner, 'audit_entries', 'instance_id = $1 AND seq = $2', [task.instanceId, seq]);
    try {
      // The chain alone still holds: the window a checkpoint closes (ADR 0013).
      await expect(verify().then((r) => r.body.ok)).resolves.toBe(true);
      const made = (await checkpoint().expect(201)).body as { checkpoint: { id: string } };
      await expect(verify().then((r) => r.body)).resolves.toMatchObject({
        ok: false,
        firstBroken: { id: null, instanceId: task.instanceId, seq, reason: 'missing entry', checkpointId: made.checkpoint.id },
      });
    } finally {
      await restore();
    }
    await intactAgain();
  });

  it('names a rewritten chain that still links: the checkpoint recorded another hash', async () => {
    await checkpoint();
    const { task } = await submit();
    const seq = await lastSeqOf(task.instanceId);
    await checkpoint().expect(201);
    // Every hash of the instance recomputed over a changed opinion, links and all: only the checkpoint knows.
    const entries = await t.app.get(AuditService).entriesOf(task.instanceId);
    const rewritten = new Map(chain(entries.map((e, i) => ({ ...e, actor: i === 0 ? '改' : e.actor })), GENESIS_HASH).map((e) => [e.id, e]));
    const restore = await rewriteRows(owner, 'audit_entries', 'instance_id = $1', [task.instanceId], (row) => ({ ...row, actor: rewritten.get(String(row.id))!.actor, prev_hash: rewritten.get(String(row.id))!.prevHash, hash: rewritten.get(String(row.id))!.hash }));
    try {
      await expect(verify().then((r) => r.body)).resolves.toMatchObject({
        ok: false,
        firstBroken: { id: await idOf(task.instanceId, seq), instanceId: task.instanceId, seq, reason: 'differs from checkpoint' },
      });
    } finally {
      await restore();
    }
    await intactAgain();
  });

  it('names a checkpoint whose head row was deleted, that was changed or removed, or whose key it does not know', async () => {
    for (let i = 0; i < 2; i += 1) {
      await submit();
      await checkpoint().expect(201);
    }
    const [last, previous] = (await owner.query('SELECT id::text, hash FROM audit_checkpoints ORDER BY id DESC LIMIT 2')).rows as { id: string; hash: string }[];
    const total = await countOf('audit_checkpoints');
    /** Verify names `last`, counting the checkpoints before it; then the tampering is undone. */
    const named = async (reason: string, restore: () => Promise<void>, before = total - 1) => {
      try {
        const { body } = await verify();
        expect(body).toMatchObject({ ok: false, count: await countOf('audit_entries'), checkpoints: before, firstBroken: { id: null, instanceId: null, seq: null, reason, checkpointId: last!.id } });
        return body as { count: number };
      } finally {
        await restore();
      }
    };
    const [head] = (await owner.query('SELECT instance_id FROM audit_checkpoint_heads WHERE checkpoint_id = $1', [last!.id])).rows as { instance_id: string }[];
    const { count } = await named('checkpoint tampered', await deleteRows(owner, 'audit_checkpoint_heads', 'checkpoint_id = $1 AND instance_id = $2', [last!.id, head!.instance_id]));
    await named('checkpoint tampered', await rewriteRows(owner, 'audit_checkpoints', 'id = $1', [last!.id], (row) => ({ ...row, at: new Date(Date.parse(String(row.at)) + 1000).toISOString() })));
    await named('checkpoint tampered', await rewriteRows(owner, 'audit_checkpoints', 'id = $1', [last!.id], (row) => ({ ...row, head_count: Number(row.head_count) + 1 })));
    await named('unknown signing key', await rewriteRows(owner, 'audit_checkpoints', 'id = $1', [last!.id], (row) => ({ ...row, key_id: 'retired-2024' })));
    // The one before it removed, heads and all: its successor no longer links.
    const restoreHeads = await deleteRows(owner, 'audit_checkpoint_heads', 'checkpoint_id = $1', [previous!.id]);
    const restoreCheckpoint = await deleteRows(owner, 'audit_checkpoints', 'id = $1', [previous!.id]);
    const cli = await verifyFromShell();
    expect([cli.code, cli.stdout]).toEqual([1, `audit: BROKEN at checkpoint ${last!.id}: checkpoint tampered; ${count} entries check out\n`]);
    await named('checkpoint tampered', async () => {
      await restoreCheckpoint();
      await restoreHeads();
    }, total - 2);
    await intactAgain();
    await expect(verify().then((r) => r.body)).resolves.toMatchObject({ checkpoints: total, checkpointHash: last!.hash });
  });

  it('makes exactly one checkpoint when two replicas try at once, and none while another replica holds the lock', async () => {
    // A second replica: its own connections to the same database.
    const other = new DataSource({ type: 'postgres', url: t.config.databaseUrl });
    await other.initialize();
    const replicas = [t.app.get(AuditCheckpoints), new AuditCheckpoints(other, t.config)];
    try {
      for (let round = 0; round < 5; round += 1) {
        await submit();
        const before = await countOf('audit_checkpoints');
        const outcomes = await Promise.all(replicas.map((r) => r.checkpoint()));
        expect(outcomes.map((o) => o.outcome).filter((o) => o === 'created')).toEqual(['created']);
        await expect(countOf('audit_checkpoints')).resolves.toBe(before + 1);
      }
    } finally {
      await other.destroy();
    }
    await submit();
    await owner.query('BEGIN');
    try {
      await owner.query("SELECT pg_advisory_xact_lock(hashtext('shanhai.workflow.audit-checkpoint'))");
      await checkpoint().expect(200).expect((r) => expect(r.body).toEqual({ outcome: 'busy' }));
    } finally {
      await owner.query('COMMIT');
    }
    await checkpoint().expect(201);
    await expect(verify().then((r) => r.body)).resolves.toMatchObject({ ok: true });
  });

  it('lets only admins verify and checkpoint the audit', async () => {
    await http.post('/admin/audit/verify').expect(401);
    await http.post('/admin/audit/verify').set('authorization', reviewers.get('lishui-commerce')!).expect(403);
    await http.post('/admin/audit/checkpoints').expect(401);
    await http.post('/admin/audit/checkpoints').set('authorization', reviewers.get('lishui-commerce')!).expect(403);
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

describe('workflow: audit checkpoints on a timer', () => {
  it('checkpoints by itself every AUDIT_CHECKPOINT_MS, started with the app and stopped with it', async () => {
    const t = await createTestApp<WorkflowConfig>({
      service: 'workflow',
      module: (config) => AppModule.forConfig(config),
      schema: { entities, migrations },
      prepare: seedDirectoryReplica,
      extra: { audit: { checkpointMs: 200 } },
    });
    const queue = new Queue(QueueName.Workflow, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    const owner = new pg.Client({ connectionString: t.config.databaseUrl });
    try {
      await owner.connect();
      const message = createMessage(SubmissionSubmitted, aSubmittedPayload(aSubmissionSummary()), { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
      await queue.add(message.name, message, { jobId: message.id });
      const covered = () => owner.query('SELECT count(*)::int AS n FROM audit_chain_heads WHERE checkpointed_seq = seq').then((r) => (r.rows[0] as { n: number }).n);
      await expect(eventually(covered, (n) => n === 1)).resolves.toBe(1);
      const checkpoints = await owner.query('SELECT head_count, key_id FROM audit_checkpoints');
      expect(checkpoints.rows).toEqual([{ head_count: 1, key_id: 'dev-audit-2026' }]);
    } finally {
      await owner.end();
      await queue.close();
      await t.close();
    }
  });
});

describe('workflow: a trail of one global chain upgraded to per-instance chains', () => {
  const url = uniqueDatabaseUrl('workflow');
  const [oldA, oldB] = [randomUUID(), randomUUID()];
  /** More old instances, so that ids pass 9 (text and number order differ) and verification reads several batches. */
  const others = Array.from({ length: 4 }, () => randomUUID());
  const at = new Date('2025-11-27T08:00:00.000Z');
  const steps = [{ mode: 'single' as const, parties: ['lishui-commerce'] }];
  const by = { actor: '遂昌县人民政府', actingFor: null };
  const subject = (instanceId: string) => ({ instanceId, revision: 1, definitionKey: 'zone_plan', definitionVersion: 2 });
  let owner: pg.Client;
  let dataSource: DataSource;
  let config: WorkflowConfig;
  /** The entries as the old service chained them: a's two, b's two, two for each of the others, a's approval; ids 1 to 13. */
  let legacy: ChainedFields[];

  beforeAll(async () => {
    await migrate({ url, entities, migrations: migrations.slice(0, migrations.indexOf(AuditChains1764232200000)) });
    owner = new pg.Client({ connectionString: url });
    await owner.connect();
    const opened = start(steps, 1, at);
    if (!opened.ok) throw new Error(opened.code);
    const afterStart = replay(opened.events);
    legacy = chain(
      [
        ...auditFields(subject(oldA), by, undefined, opened.events, 1),
        ...auditFields(subject(oldB), by, undefined, opened.events, 1),
        ...others.flatMap((id) => auditFields(subject(id), by, undefined, opened.events, 1)),
        ...auditFields(subject(oldA), by, afterStart, [{ type: 'approved', step: 0, at }], 3),
      ],
      GENESIS_HASH,
      LEGACY_HASH_FORMAT,
    );
    for (const id of [oldA, oldB, ...others]) {
      await owner.query(
        `INSERT INTO instances (id, submission_id, revision, submission, definition_key, definition_version, status, current_step, step_count, version)
         VALUES ($1, $2, 1, '{}', 'zone_plan', 2, 'in_review', 0, 1, 1)`,
        [id, randomUUID()],
      );
    }
    for (const e of legacy) {
      await owner.query(
        `INSERT INTO audit_entries (instance_id, seq, actor, acting_for, action, opinion, from_status, to_status, from_step, to_step, revision, definition_key, definition_version, at, data, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
        [e.instanceId, e.seq, e.actor, e.actingFor, e.action, e.opinion, e.fromStatus, e.toStatus, e.fromStep, e.toStep, e.revision, e.definitionKey, e.definitionVersion, e.at, JSON.stringify(e.data), e.prevHash, e.hash],
      );
    }
    await migrate({ url, entities, migrations });
    config = loadConfig({ WORKFLOW_DATABASE_URL: url });
    dataSource = new DataSource(dataSourceOptions({ url, entities, migrations }));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await owner?.end();
    await dropDatabase(url);
  });

  /** In batches of 3 entries (and checkpoints, and heads): the keyset walks cross batches everywhere. */
  const verified = () => verifyAuditTrail(dataSource.manager, [DEVELOPMENT_AUDIT_KEY], 3);
  const last = () => legacy[legacy.length - 1]!;

  it('records where the old chain ends and every chain head, none checkpointed yet', async () => {
    const boundary = await owner.query('SELECT until_id::text, head_hash, head_instance_id, head_seq FROM audit_legacy');
    expect(boundary.rows).toEqual([{ until_id: '13', head_hash: last().hash, head_instance_id: oldA, head_seq: 3 }]);
    const heads = await owner.query('SELECT instance_id, seq, hash, checkpointed_seq FROM audit_chain_heads');
    expect(heads.rows).toHaveLength(6);
    expect(heads.rows).toEqual(
      expect.arrayContaining([
        { instance_id: oldA, seq: 3, hash: last().hash, checkpointed_seq: 0 },
        { instance_id: oldB, seq: 2, hash: legacy[3]!.hash, checkpointed_seq: 0 },
        ...others.map((id, i) => ({ instance_id: id, seq: 2, hash: legacy[5 + 2 * i]!.hash, checkpointed_seq: 0 })),
      ]),
    );
    await expect(verified()).resolves.toMatchObject({ ok: true, count: 13, checkpoints: 0 });
  });

  it("links an old instance's first new entry to its own last old entry, and the first checkpoint covers the old chains too", async () => {
    const audit = new AuditService(dataSource, config);
    const opened = start(steps, 1, at);
    if (!opened.ok) throw new Error(opened.code);
    await dataSource.transaction((m) => audit.append(m, subject(oldB), by, replay(opened.events), [{ type: 'approved', step: 0, at }]));
    const [added] = await audit.entriesOf(oldB).then((entries) => entries.filter((e) => e.seq === 3));
    // b's last old entry (id 4), not the last entry of the table (id 13, a's).
    expect(added).toMatchObject({ id: '14', prevHash: legacy[3]!.hash });
    const checkpoints = new AuditCheckpoints(dataSource, config);
    await expect(checkpoints.checkpoint()).resolves.toMatchObject({ outcome: 'created', checkpoint: { headCount: 6 } });
    // More checkpoints than a batch, past id 9.
    for (let i = 0; i < 10; i += 1) {
      await dataSource.transaction((m) => audit.append(m, subject(others[i % 4]!), by, replay(opened.events), [{ type: 'approved', step: 0, at: new Date(at.getTime() + i) }]));
      await expect(checkpoints.checkpoint()).resolves.toMatchObject({ outcome: 'created', checkpoint: { headCount: 1 } });
    }
    await expect(verified()).resolves.toMatchObject({ ok: true, count: 24, checkpoints: 11 });
  });

  it('names an old entry changed, an old instance deleted, and the old chain cut short', async () => {
    const restoreOpinion = await rewriteRows(owner, 'audit_entries', 'id = 11', [], (row) => ({ ...row, opinion: '改' }));
    await expect(verified().finally(restoreOpinion)).resolves.toMatchObject({ ok: false, count: 10, firstBroken: { id: '11', instanceId: others[3], seq: 1, reason: 'hash mismatch' } });
    // a's first entries are the first two of the old chain: the next one, b's first, no longer links.
    const restoreA = await deleteRows(owner, 'audit_entries', 'instance_id = $1', [oldA]);
    await expect(verified().finally(restoreA)).resolves.toMatchObject({ ok: false, count: 0, firstBroken: { id: '3', instanceId: oldB, seq: 1, reason: 'broken link' } });
    // The old chain's last entry, which nothing links to: the boundary and the first checkpoint both name it.
    const restoreTail = await deleteRows(owner, 'audit_entries', 'id = 13', []);
    await expect(verified().finally(restoreTail)).resolves.toMatchObject({ ok: false, firstBroken: { id: null, instanceId: oldA, seq: 3, reason: 'missing entry', checkpointId: '1' } });
    await expect(verified()).resolves.toMatchObject({ ok: true, count: 24 });
  });
});
