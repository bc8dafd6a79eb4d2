import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createMessage, QueueName, SubmissionSubmitted, SubmissionWithdrawn, type ActorRef, type AnyMessage, type SubmissionSummary } from '@shanhai/contracts';
import { replay } from '@shanhai/domain';
import { configureHttp, TokenService, type Principal } from '@shanhai/platform';
import { aSubmissionSummary, aSubmittedPayload, createTestApp, eventually, type TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule, entities, migrations } from '../src/app.module.js';
import { AuditEntry } from '../src/audit/audit-entry.entity.js';
import { stateOf } from '../src/instances/instance-columns.js';
import { Instance } from '../src/instances/instance.entity.js';
import { Task } from '../src/instances/task.entity.js';
import { reviveDates } from './support/audit.js';
import { seedDirectoryReplica } from './support/directory.js';

/**
 * Every two commands on one task, released at once, round after round, against two replicas of
 * workflow sharing one database and one queue: decide (approve, return for correction),
 * delegate, reassign (HTTP, each contender to its own replica) and withdraw, resubmit (intake's
 * messages, taken by whichever replica's worker is free).
 *
 * A race ends as one of the serial orders of its two commands, the second judged on the state the
 * first left. For each pair the spec lists every ending it may have: which commands landed, in
 * which order, and what a command that did not land was told (a problem's status and code, or a
 * message handled without effect). It then checks the audit entries and the outbox messages written
 * since the race began are exactly those of the commands that landed, that the instance is rebuilt
 * from its audit, and that its tasks are the state's parties (no duplicate, nothing left pending).
 *
 * Three kinds of pair:
 * - exclusive: whichever lands first, the other is refused (the task is decided, delegated or
 *   reassigned by one of them only);
 * - superseding: the applicant's withdrawal and an admin's reassignment are not refused because a
 *   reviewer moved the task meanwhile — the applicant may withdraw until the final decision, and an
 *   admin's reassignment takes a delegation back — so when the reviewer's command lands first both
 *   land, in that order; when the overriding one lands first the reviewer's command is refused;
 * - never both valid: a resubmission needs a returned instance, where no task is pending, so the
 *   reviewers' commands it races are on the returned round's task and are refused in either order;
 *   the new round's task cannot be named before the resubmission creates it.
 */

const ROUNDS = Number(process.env.RACE_ROUNDS ?? 12);
/**
 * How many milliseconds `a` is held back in a round (negative: `b` is). Most rounds release both
 * together; a few give one side a head start shorter than a command takes, so both serial orders
 * are reached even where one side is always the quicker to its lock.
 */
const LEADS = [0, 4, 0, -4, 0, 10, 0, -10];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const L = 'lishui-commerce';

/** What a contender was told: `200`, a problem's `status code`, or a queued message's inbox outcome. */
type Answer = string;

interface Contender {
  /** The audit entries its effect writes, as `action@actor`, in order. */
  readonly audit: readonly string[];
  /** The names of the messages its effect writes to the outbox, in order. */
  readonly messages: readonly string[];
  /** What it is told when it lands. */
  readonly landed: Answer;
  release(): Promise<Answer>;
}

/** One ending of a race: the contenders that landed, in order, and what each other one may have been told. */
interface Ending {
  readonly landed: readonly ('a' | 'b')[];
  readonly a?: readonly Answer[];
  readonly b?: readonly Answer[];
}

interface Setup {
  readonly submission: SubmissionSummary;
  readonly instanceId: string;
  /** The pending task, or (from a returned instance) the task that returned it. */
  readonly taskId: string;
}

type From = 'pending' | 'returned';
type Kind = 'zone_plan' | 'single_step';

/** Builds a contender for one round; `replica` is where an HTTP command goes. */
type Make = (setup: Setup, replica: 0 | 1) => Contender;

interface Race {
  readonly name: string;
  readonly from: From;
  /** `zone_plan`: the first step is followed by others; `single_step`: approving it ends the review. */
  readonly kind?: Kind;
  readonly a: Make;
  readonly b: Make;
  readonly endings: readonly Ending[];
}

const CLOSED = '409 TASK_CLOSED';
const NOT_ASSIGNEE = '403 NOT_ASSIGNEE';
const NOT_A_PARTY = '422 NOT_A_PARTY';
/** The reviewer's organisation lost the task: told so on the locked state, or (asking after the move) that it has no such task. */
const MOVED = ['409 TASK_REASSIGNED', '404 NOT_FOUND'];
/** A message taken from the queue whose command the engine refused: handled, and nothing changed. */
const NO_OP = 'handled';

const exclusive = (a: readonly Answer[], b: readonly Answer[]): Ending[] => [
  { landed: ['a'], b },
  { landed: ['b'], a },
];
/** `b` overrides `a`: after `a` it still lands; before it, `a` is refused. */
const supersedes = (a: readonly Answer[]): Ending[] => [{ landed: ['a', 'b'] }, { landed: ['b'], a }];
/** `b` is refused in either order: it is not valid on the state `a` needs, nor on the one `a` leaves. */
const alwaysRefused = (b: readonly Answer[]): Ending[] => [{ landed: ['a'], b }];

describe('workflow: every two commands on one task race to one ending', () => {
  let t: TestApp;
  let second: INestApplication;
  let replicas: [ReturnType<typeof request>, ReturnType<typeof request>];
  let db: DataSource;
  let workflow: Queue;
  const tokens = new Map<string, string>();
  const accounts = new Map<string, string>();
  const tally = new Map<string, Map<string, number>>();
  const sign = async (principal: Principal) => `Bearer ${(await t.app.get(TokenService).signAccess(principal)).token}`;
  const admin = (who: string) => ({ name: `系统管理员${who}`, token: tokens.get(`admin${who}`)! });
  const reviewer = (who: string) => ({ name: `${L} 审核员${who}`, token: tokens.get(`${L}|${who}`)! });
  const applicant = (who: string): ActorRef => ({ userId: accounts.get(who)!, name: `遂昌县 经办人${who}`, county: { code: 'suichang', name: '遂昌县' } });
  const colleague = (who: string) => ({ userId: accounts.get(who)!, name: `${L} 审核员${who}` });

  beforeAll(async () => {
    t = await createTestApp({ service: 'workflow', module: (config) => AppModule.forConfig(config), schema: { entities, migrations }, prepare: seedDirectoryReplica });
    // A second replica on the same database and queues, as production runs N of them.
    second = await NestFactory.create(AppModule.forConfig(t.config), { logger: false, bodyParser: false, rawBody: true });
    configureHttp(second);
    await second.listen(0, '127.0.0.1');
    replicas = [request(t.app.getHttpServer()), request(second.getHttpServer())];
    db = t.app.get(DataSource);
    workflow = new Queue(QueueName.Workflow, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    for (const who of ['', '甲', '李', '丙', '丁', '乙']) accounts.set(who, randomUUID());
    for (const who of ['', '甲', '李']) {
      const principal: Principal = { userId: accounts.get(who)!, username: `${L}${who}`, name: `${L} 审核员${who}`, role: 'reviewer', organisation: L };
      tokens.set(`${L}|${who}`, await sign(principal));
    }
    for (const who of ['', '乙']) tokens.set(`admin${who}`, await sign({ userId: randomUUID(), username: `admin${who}`, name: `系统管理员${who}`, role: 'admin' }));
    // A one-step chain for promotion events: approving its task is the final decision.
    await replicas[0]
      .post('/definitions')
      .set('authorization', admin('').token)
      .send({ key: 'promotion_event', name: '招商推介会审批（单步）', steps: [{ key: 'host_review', name: '主办单位审核', reviewer: { kind: 'host_organisation' } }] })
      .expect(201);
  });

  afterAll(async () => {
    if (process.env.RACE_REPORT) {
      process.stdout.write(`${[...tally].map(([name, endings]) => `${name}: ${[...endings].map(([e, n]) => `${n}× ${e}`).join(', ')}`).join('\n')}\n`);
    }
    await workflow?.close();
    await second?.close();
    await t?.close();
  });

  // ---------------------------------------------------------------- setting a task up

  async function queued(message: AnyMessage, jobId: string = message.id): Promise<Answer> {
    await workflow.add(message.name, message, { jobId, attempts: 1 });
    const job = await eventually(() => workflow.getJob(jobId), (j) => Boolean(j?.finishedOn), 10_000, 10);
    if (!job?.finishedOn) return 'unfinished';
    return job.failedReason ? `failed: ${job.failedReason}` : String(job.returnvalue);
  }

  const meta = () => ({ id: randomUUID(), occurredAt: new Date(), correlationId: 'race' });

  function summaryOf(kind: Kind): SubmissionSummary {
    return kind === 'single_step' ? aSubmissionSummary({ kind: 'promotion_event', title: '山海协作推介会', hostOrganisation: L }) : aSubmissionSummary();
  }

  async function setUp(from: From, kind: Kind): Promise<Setup> {
    const submission = summaryOf(kind);
    await queued(createMessage(SubmissionSubmitted, { ...aSubmittedPayload(submission), submittedBy: applicant('') }, meta()));
    const task = await eventually(() => pendingOf(submission.submissionId), (x) => x !== undefined);
    if (!task) throw new Error(`no task for ${submission.submissionId}`);
    if (from === 'returned') {
      await replicas[0].post(`/tasks/${task.id}/decisions`).set('authorization', reviewer('').token).send(notice).expect(200);
    }
    return { submission, instanceId: task.instanceId, taskId: task.id };
  }

  async function pendingOf(submissionId: string): Promise<Task | undefined> {
    const instance = await db.manager.findOneBy(Instance, { submissionId });
    return instance ? ((await db.manager.findOneBy(Task, { instanceId: instance.id, status: 'pending' })) ?? undefined) : undefined;
  }

  // ---------------------------------------------------------------- the contenders

  const notice = { outcome: 'return', opinion: '请补正。', deficiencies: [{ target: 'field', ref: 'title', note: '名称与批复文件不一致。' }] };

  /** A 409 shows the state it was refused against, or it reads as another answer. */
  function answerOf(r: request.Response): Answer {
    if (r.status === 200) return '200';
    const body = r.body as { code?: string; current?: { id?: string } };
    return `${r.status} ${body.code}${r.status === 409 && !body.current?.id ? ' without current' : ''}`;
  }

  /** `body` is built when the round is, once the accounts exist. */
  function decision(who: string, body: () => object, audit: (name: string) => string[], messages: string[]): Make {
    return (s, replica) => {
      const { name, token } = reviewer(who);
      const sent = body();
      return {
        audit: audit(name),
        messages,
        landed: '200',
        release: async () => answerOf(await replicas[replica].post(`/tasks/${s.taskId}/decisions`).set('authorization', token).send(sent)),
      };
    };
  }

  /** Approves; on a chain with more steps the next one is assigned, on a one-step chain the review ends. */
  const approve = (who: string, kind: Kind = 'zone_plan'): Make =>
    decision(
      who,
      () => ({ outcome: 'approve', opinion: `同意（${who || '主办'}）` }),
      // zone_plan's next step has a time limit: its clock starts with it (deadline_set).
      (name) => (kind === 'single_step' ? ['step_approved', 'step_completed', 'approved'] : ['step_approved', 'step_completed', 'step_assigned', 'deadline_set']).map((a) => `${a}@${name}`),
      ['approval.step_approved', kind === 'single_step' ? 'approval.approved' : 'approval.task_assigned'],
    );
  /** A return stops the step's clock and the committed one (补正). */
  const giveBack = (who: string): Make => decision(who, () => notice, (name) => ['returned', 'clock_paused', 'clock_paused'].map((a) => `${a}@${name}`), ['approval.returned']);
  const delegate = (who: string, to: string): Make =>
    decision(who, () => ({ outcome: 'delegate', to: colleague(to), reason: '请同事主办' }), (name) => [`delegated@${name}`], ['approval.delegated']);

  const reassign =
    (who: string, organisation: string): Make =>
    (s, replica) => {
      const { name, token } = admin(who);
      return {
        audit: [`reassigned@${name}`],
        messages: ['approval.task_assigned'],
        landed: '200',
        release: async () => answerOf(await replicas[replica].post(`/tasks/${s.taskId}/reassignment`).set('authorization', token).send({ organisation, reason: '机构调整' })),
      };
    };

  /** The applicant withdraws revision 1 (the one under review, or the one that was returned). */
  const withdraw =
    (who: string): Make =>
    (s) => {
      const actor = applicant(who);
      return {
        audit: [`withdrawn@${actor.name}`],
        messages: ['approval.withdrawn'],
        landed: 'handled',
        release: () => queued(createMessage(SubmissionWithdrawn, { submissionId: s.submission.submissionId, revision: 1, by: actor.name, actor, reason: '规划调整' }, meta())),
      };
    };

  /** The applicant's corrected revision 2; `message` shares one message between two contenders (a redelivery). */
  const resubmit =
    (who: string, message?: () => AnyMessage): Make =>
    (s) => {
      const actor = applicant(who);
      const own = () => createMessage(SubmissionSubmitted, { ...aSubmittedPayload({ ...s.submission, revision: 2 }), submittedBy: actor, reason: '已按要求修改' }, meta());
      return {
        // The committed clock resumes, then the re-entered step's with its remaining days.
        audit: ['resubmitted', 'clock_resumed', 'step_assigned', 'clock_resumed'].map((a) => `${a}@${actor.name}`),
        messages: ['approval.resubmitted', 'approval.task_assigned'],
        landed: 'handled',
        // A redelivery is the same message under another job id (e.g. added again after its job was removed).
        release: () => (message ? queued(message(), `again-${randomUUID()}`) : queued(own())),
      };
    };

  /** One corrected revision per round, both contenders carrying the same message. */
  const redelivery = new WeakMap<Setup, AnyMessage>();
  const twice: Make = (s, replica) =>
    resubmit('', () => {
      const message =
        redelivery.get(s) ?? createMessage(SubmissionSubmitted, { ...aSubmittedPayload({ ...s.submission, revision: 2 }), submittedBy: applicant(''), reason: '已按要求修改' }, meta());
      redelivery.set(s, message);
      return message;
    })(s, replica);

  const races: Race[] = [
    // Two reviewers of the organisation the task is assigned to.
    { name: 'approve × approve', from: 'pending', a: approve(''), b: approve('甲'), endings: exclusive([CLOSED], [CLOSED]) },
    { name: 'approve × return', from: 'pending', a: approve(''), b: giveBack('甲'), endings: exclusive([CLOSED], [CLOSED]) },
    { name: 'return × return', from: 'pending', a: giveBack(''), b: giveBack('甲'), endings: exclusive([CLOSED], [CLOSED]) },
    // A delegated task is the delegate's alone: once it lands, the other reviewer is refused (NOT_ASSIGNEE).
    { name: 'approve × delegate', from: 'pending', a: approve('甲'), b: delegate('', '丙'), endings: exclusive([NOT_ASSIGNEE], [CLOSED]) },
    { name: 'return × delegate', from: 'pending', a: giveBack('甲'), b: delegate('', '丙'), endings: exclusive([NOT_ASSIGNEE], [CLOSED]) },
    { name: 'delegate × delegate', from: 'pending', a: delegate('', '丙'), b: delegate('甲', '丁'), endings: exclusive([NOT_ASSIGNEE], [NOT_ASSIGNEE]) },
    { name: 'approve × reassign', from: 'pending', a: approve(''), b: reassign('', 'wenzhou-commerce'), endings: exclusive(MOVED, [CLOSED]) },
    { name: 'return × reassign', from: 'pending', a: giveBack(''), b: reassign('', 'wenzhou-commerce'), endings: exclusive(MOVED, [CLOSED]) },
    { name: 'delegate × reassign', from: 'pending', a: delegate('', '丙'), b: reassign('', 'wenzhou-commerce'), endings: supersedes(MOVED) },
    // Two admins: to the same organisation the second finds it already there; to two, the later move stands.
    { name: 'reassign × reassign (one organisation)', from: 'pending', a: reassign('', 'wenzhou-commerce'), b: reassign('乙', 'wenzhou-commerce'), endings: exclusive([NOT_A_PARTY], [NOT_A_PARTY]) },
    {
      name: 'reassign × reassign (two organisations)',
      from: 'pending',
      a: reassign('', 'wenzhou-commerce'),
      b: reassign('乙', 'zj-gov-office'),
      endings: [{ landed: ['a', 'b'] }, { landed: ['b', 'a'] }],
    },
    // The applicant may withdraw until the final decision: a reviewer's move before it does not refuse it.
    { name: 'approve × withdraw (a step follows)', from: 'pending', a: approve(''), b: withdraw(''), endings: supersedes([CLOSED]) },
    { name: 'approve × withdraw (the final decision)', from: 'pending', kind: 'single_step', a: approve('', 'single_step'), b: withdraw(''), endings: exclusive([CLOSED], [NO_OP]) },
    { name: 'return × withdraw', from: 'pending', a: giveBack(''), b: withdraw(''), endings: supersedes([CLOSED]) },
    { name: 'delegate × withdraw', from: 'pending', a: delegate('', '丙'), b: withdraw(''), endings: supersedes([CLOSED]) },
    { name: 'reassign × withdraw', from: 'pending', a: reassign('', 'wenzhou-commerce'), b: withdraw(''), endings: supersedes([CLOSED]) },
    // Two accounts of the county press withdraw at once: intake sends both.
    { name: 'withdraw × withdraw', from: 'pending', a: withdraw(''), b: withdraw('乙'), endings: exclusive([NO_OP], [NO_OP]) },
    // The applicant asked to withdraw the returned revision, then resubmitted it corrected: whichever workflow takes first.
    { name: 'resubmit × withdraw', from: 'returned', a: resubmit(''), b: withdraw('乙'), endings: exclusive([NO_OP], [NO_OP]) },
    { name: 'resubmit × resubmit (one message delivered twice)', from: 'returned', a: twice, b: twice, endings: exclusive(['duplicate'], ['duplicate']) },
    // Intake sends one message per revision; a second one of the same revision (republished under a new id) is stale.
    { name: 'resubmit × resubmit (two messages of one revision)', from: 'returned', a: resubmit(''), b: resubmit('乙'), endings: exclusive([NO_OP], [NO_OP]) },
    // Never both valid: the reviewers' commands name the task that returned the submission.
    { name: 'resubmit × approve', from: 'returned', a: resubmit(''), b: approve('甲'), endings: alwaysRefused([CLOSED]) },
    { name: 'resubmit × return', from: 'returned', a: resubmit(''), b: giveBack('甲'), endings: alwaysRefused([CLOSED]) },
    { name: 'resubmit × delegate', from: 'returned', a: resubmit(''), b: delegate('甲', '丙'), endings: alwaysRefused([CLOSED]) },
    { name: 'resubmit × reassign', from: 'returned', a: resubmit(''), b: reassign('', 'wenzhou-commerce'), endings: alwaysRefused([CLOSED]) },
  ];

  // ---------------------------------------------------------------- what a race may end as

  interface Observed {
    readonly audit: readonly string[];
    readonly messages: readonly string[];
    readonly a: Answer;
    readonly b: Answer;
  }

  /** Every concrete observation an ending allows. */
  function expectedOf(ending: Ending, a: Contender, b: Contender): Observed[] {
    const by = { a, b };
    const landed = ending.landed.map((k) => by[k]);
    const answers = (k: 'a' | 'b'): readonly Answer[] => (ending.landed.includes(k) ? [by[k].landed] : (ending[k] ?? []));
    return answers('a').flatMap((aAnswer) =>
      answers('b').map((bAnswer) => ({ audit: landed.flatMap((c) => c.audit), messages: landed.flatMap((c) => c.messages), a: aAnswer, b: bAnswer })),
    );
  }

  /** The instance's audit entries (`action@actor`) and outgoing messages (one per message, whatever queues it goes to), in the order written. */
  async function trailOf(instanceId: string): Promise<Pick<Observed, 'audit' | 'messages'>> {
    const entries = await db.manager.find(AuditEntry, { where: { instanceId }, order: { seq: 'ASC' } });
    const messages = await db.query<{ name: string }[]>(
      `SELECT min(job_name) AS name FROM outbox WHERE data->'payload'->>'instanceId' = $1 GROUP BY job_id ORDER BY min(seq)`,
      [instanceId],
    );
    return { audit: entries.map((e) => `${e.action}@${e.actor}`), messages: messages.map((m) => m.name) };
  }

  /** Which ending was observed, for the report: `a then b`, with what a contender that did not land was told. */
  const labelOf = (ending: Ending, observed: Observed): string =>
    ending.landed.join(' then ') +
    (['a', 'b'] as const)
      .filter((k) => !ending.landed.includes(k))
      .map((k) => ` (${k}: ${observed[k] === NO_OP ? 'no effect' : observed[k]})`)
      .join('');

  /** The instance is what its audit rebuilds, and its tasks are the state's parties: one task each, pending exactly when the party is. */
  async function expectConsistent(instanceId: string): Promise<void> {
    const instance = await db.manager.findOneByOrFail(Instance, { id: instanceId });
    const entries = await db.manager.find(AuditEntry, { where: { instanceId }, order: { seq: 'ASC' } });
    expect(replay(entries.map((e) => reviveDates(e.data)))).toEqual(stateOf(instance));
    const tasks = await db.manager.find(Task, { where: { instanceId }, order: { party: 'ASC' } });
    const current = tasks.filter((x) => x.stepIndex === instance.currentStep && x.round === instance.round);
    expect(current.map((x) => ({ party: x.party, organisation: x.organisationCode, status: x.status === 'withdrawn' ? 'closed' : x.status, assignee: x.assigneeId }))).toEqual(
      instance.parties.map((p, party) => ({ party, organisation: p.organisation, status: p.status, assignee: p.assignee?.userId ?? null })),
    );
    expect(tasks.filter((x) => x.status === 'pending' && !current.includes(x))).toEqual([]);
  }

  it.each(races)('$name: one of its serial endings, every round', async (race) => {
    const kind = race.kind ?? 'zone_plan';
    const setups = await Promise.all(Array.from({ length: ROUNDS }, () => setUp(race.from, kind)));
    const seen = new Map<string, number>();
    for (const [round, s] of setups.entries()) {
      const before = await trailOf(s.instanceId);
      // Alternate which replica takes which side, so neither is always the nearer one.
      const flip = round % 2 === 0;
      const a = race.a(s, flip ? 0 : 1);
      const b = race.b(s, flip ? 1 : 0);
      const lead = LEADS[round % LEADS.length]!;
      const [aAnswer, bAnswer] = await Promise.all([sleep(Math.max(0, lead)).then(() => a.release()), sleep(Math.max(0, -lead)).then(() => b.release())]);
      const after = await trailOf(s.instanceId);
      const observed: Observed = { audit: after.audit.slice(before.audit.length), messages: after.messages.slice(before.messages.length), a: aAnswer, b: bAnswer };
      const allowed = race.endings.map((e) => expectedOf(e, a, b));
      expect(allowed.flat()).toContainEqual(observed);
      const which = allowed.findIndex((options) => options.some((o) => JSON.stringify(o) === JSON.stringify(observed)));
      const label = labelOf(race.endings[which]!, observed);
      seen.set(label, (seen.get(label) ?? 0) + 1);
      await expectConsistent(s.instanceId);
    }
    tally.set(race.name, seen);
  });
});
