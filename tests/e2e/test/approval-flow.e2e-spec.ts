import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QueueName } from '@shanhai/contracts';
import { startMailInbox, type MailInbox, type ReceivedMail } from '@shanhai/mail-inbox';
import { Queue } from 'bullmq';
import pg from 'pg';
import { testServers } from '@shanhai/platform/testing';
import { E2E_PASSWORD, Stack } from './stack.js';
import { eventually as poll } from '@shanhai/platform/testing';

interface Task {
  id: string;
  step: { index: number; name: string };
  organisation: { code: string };
}


async function json<T>(url: string, init?: RequestInit & { token?: string }): Promise<{ status: number; body: T }> {
  const form = init?.body instanceof FormData;
  const headers = { ...(form ? {} : { 'content-type': 'application/json' }), ...(init?.token ? { authorization: `Bearer ${init.token}` } : {}) };
  const response = await fetch(url, { ...init, headers });
  return { status: response.status, body: (await response.json()) as T };
}

let sequence = 0;
/** A plan with an applicant address of its own, so each scenario counts only its own mail. */
const plan = (zoneName = '浙江庆元经济开发区') => {
  sequence += 1;
  return {
    zoneName,
    blocks: [{ name: '一号区块', areaKm2: 3.2, boundary: { east: '东至省道', south: '南至河', west: '西至山', north: '北至村' } }],
    leadingIndustries: ['生态工业'],
    landUseConformity: '符合国土空间总体规划。',
    planEiaReviewRef: '环审〔2021〕1号（示例）',
    pairedZoneCode: 'keqiao',
    contact: { name: '县人民政府 联系人', email: `applicant-${sequence}-${Date.now()}@county.example` },
  };
};
const kinds = ['application_letter', 'feasibility_report', 'land_use_plan', 'site_selection_opinion', 'plan_eia_review_opinion'];
const pdf = (title: string) => new Blob([`%PDF-1.4\n% ${title}\ntrailer << /Root 1 0 R >>\n%%EOF\n`], { type: 'application/pdf' });

const eventually = <T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000) => poll(probe, ok, timeoutMs);

describe('the whole flow across the three services', () => {
  let inbox: MailInbox;
  let stack: Stack;

  beforeAll(async () => {
    inbox = await startMailInbox({ httpPort: null });
    stack = new Stack(inbox.smtpUrl);
    await stack.start();
  });

  afterAll(async () => {
    await stack?.close();
    await inbox?.close();
  });

  const tokens = new Map<string, string>();
  /** Signs in as a seeded demo account (cached: access tokens last 15 minutes). */
  const token = async (username: string): Promise<string> => {
    if (!tokens.has(username)) {
      const { status, body } = await json<{ accessToken: string }>(`${stack.urls.intake}/auth/login`, { method: 'POST', body: JSON.stringify({ username, password: E2E_PASSWORD }) });
      expect([username, status]).toEqual([username, 200]);
      tokens.set(username, body.accessToken);
    }
    return tokens.get(username)!;
  };
  /** Drafts the plan as the county's applicant, attaches the five documents, and submits it. */
  const submit = async (body: ReturnType<typeof plan>, applicant = 'qingyuan') => {
    const as = await token(applicant);
    const draft = await json<{ id: string }>(`${stack.urls.intake}/zone-plans`, { method: 'POST', body: JSON.stringify(body), token: as });
    expect(draft.status).toBe(201);
    for (const kind of kinds) {
      const form = new FormData();
      form.set('kind', kind);
      form.set('file', pdf(kind), `${kind}.pdf`);
      expect((await json(`${stack.urls.intake}/zone-plans/${draft.body.id}/attachments`, { method: 'POST', body: form, token: as })).status).toBe(201);
    }
    const submitted = await json<{ status: string }>(`${stack.urls.intake}/zone-plans/${draft.body.id}/submit`, { method: 'POST', token: as });
    expect(submitted.status).toBe(200);
    return draft.body.id;
  };
  const pendingTask = async (submissionId: string, timeoutMs = 20_000): Promise<Task> => {
    const admin = await token('admin');
    const { body } = await eventually(
      () => json<{ items: Task[] }>(`${stack.urls.workflow}/tasks?submissionId=${submissionId}&status=pending`, { token: admin }),
      (r) => r.body.items.length === 1,
      timeoutMs,
    );
    if (!body.items[0]) throw new Error(`no pending task for ${submissionId}:\n${stack.log('workflow')}`);
    return body.items[0];
  };
  /** Decided by the demo account of the organisation the task is assigned to. */
  const decide = async (task: Task, decision: object) =>
    json<{ status: string }>(`${stack.urls.workflow}/tasks/${task.id}/decisions`, { method: 'POST', body: JSON.stringify(decision), token: await token(task.organisation.code) });
  const intakeView = async (id: string, applicant = 'qingyuan') => {
    const as = await token(applicant);
    const [plan, timeline] = await Promise.all([
      json<{ status: string }>(`${stack.urls.intake}/zone-plans/${id}`, { token: as }),
      json<{ items: { event: string }[] }>(`${stack.urls.intake}/zone-plans/${id}/timeline`, { token: as }),
    ]);
    return { status: plan.status, body: { status: plan.body.status, timeline: timeline.body.items } };
  };
  const mailsTo = (address: string): ReceivedMail[] => inbox.messages().filter((m) => m.to.includes(address));

  it('takes a plan from submission through 初审, 审核 and 审批 to approved, emailing everyone at each step', async () => {
    const body = plan();
    const id = await submit(body);
    const reviewers: string[] = [];
    for (let step = 0; step < 3; step += 1) {
      const task = await pendingTask(id);
      expect(task.step.index).toBe(step);
      reviewers.push(task.organisation.code);
      const decided = await decide(task, { outcome: 'approve', opinion: '同意' });
      expect(decided.status).toBe(200);
    }
    expect(reviewers).toEqual(['lishui-commerce', 'zj-commerce', 'zj-gov']);

    const approved = await eventually(() => intakeView(id), (r) => r.body.status === 'approved');
    expect(approved.body.status).toBe('approved');
    expect(approved.body.timeline.map((e) => e.event)).toEqual([
      'drafted', 'submitted', 'review_started',
      'step_assigned', 'step_approved', 'step_assigned', 'step_approved', 'step_assigned', 'step_approved',
      'approved',
    ]);

    await inbox.waitFor(() => mailsTo(body.contact.email).length === 4 && mailsTo('keqiao-zone@shanhai.example').some((m) => m.subject.includes('浙江庆元')), 20_000);
    expect(mailsTo(body.contact.email).map((m) => m.subject)).toEqual([
      '【进度】浙江庆元经济开发区创建方案已进入市商务局初审',
      '【进度】浙江庆元经济开发区创建方案已进入省商务厅审核',
      '【进度】浙江庆元经济开发区创建方案已进入省政府审批',
      '【已批准】浙江庆元经济开发区创建方案',
    ]);
    expect(mailsTo('keqiao-zone@shanhai.example').filter((m) => m.subject.includes('浙江庆元经济开发区')).map((m) => m.subject)).toEqual(['【已批准】浙江庆元经济开发区创建方案']);
    for (const reviewer of ['lishui-commerce', 'zj-commerce', 'zj-gov']) {
      expect(inbox.messages().some((m) => m.to.includes(`${reviewer}@shanhai.example`) && m.subject.startsWith('【待审】浙江庆元'))).toBe(true);
    }
  });

  it('ends the chain at a rejection and tells the applicant and the stakeholders why', async () => {
    const body = plan('浙江遂昌经济开发区');
    const id = await submit(body, 'suichang');
    await decide(await pendingTask(id), { outcome: 'approve' });
    const second = await pendingTask(id);
    expect(second.organisation.code).toBe('zj-commerce');
    expect((await decide(second, { outcome: 'reject', reason: '开发区四至范围与国土空间规划不符' })).status).toBe(200);
    await expect(eventually(() => intakeView(id, 'suichang'), (r) => r.body.status === 'rejected').then((r) => r.body.status)).resolves.toBe('rejected');
    const zoneMails = () => mailsTo('keqiao-zone@shanhai.example').filter((m) => m.subject.includes('浙江遂昌'));
    const [rejected] = await inbox.waitFor(() => zoneMails().length === 1).then(zoneMails);
    expect(rejected?.subject).toBe('【未通过】浙江遂昌经济开发区创建方案');
    expect(rejected?.text).toContain('开发区四至范围与国土空间规划不符');
    await inbox.waitFor(() => mailsTo(body.contact.email).some((m) => m.subject.startsWith('【未通过】')));
  });

  it('sends no second email when a message is delivered again', async () => {
    const body = plan('浙江松阳经济开发区');
    const id = await submit(body, 'songyang');
    await pendingTask(id);
    await inbox.waitFor(() => mailsTo(body.contact.email).length === 1);
    // Redeliver workflow's task_assigned exactly as the relay sent it, under another job id.
    const workflowDb = new pg.Client({ connectionString: stack.databases.workflow });
    await workflowDb.connect();
    const { rows } = await workflowDb
      .query<{ data: { id: string; name: string } }>(
        `SELECT data FROM outbox WHERE queue = 'notifier' AND job_name = 'approval.task_assigned' AND data->'payload'->'submission'->>'submissionId' = $1`,
        [id],
      )
      .finally(() => workflowDb.end());
    expect(rows).toHaveLength(1);
    const message = rows[0]!.data;
    const queue = new Queue(QueueName.Notifier, { connection: { url: testServers.redisUrl }, prefix: stack.queuePrefix });
    try {
      await queue.add(message.name, message, { jobId: `redelivered-${message.id}` });
      const job = await eventually(() => queue.getJob(`redelivered-${message.id}`), (j) => j?.finishedOn !== undefined);
      expect(job?.returnvalue).toBe('duplicate');
    } finally {
      await queue.close();
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(mailsTo(body.contact.email)).toHaveLength(1);
  });

  it('lets the applicant withdraw a plan under review: the review stops and the pending reviewer is told', async () => {
    const body = plan('浙江庆元竹木产业开发区');
    const id = await submit(body);
    expect((await decide(await pendingTask(id), { outcome: 'approve', opinion: '同意' })).status).toBe(200);
    const second = await pendingTask(id);
    expect(second.organisation.code).toBe('zj-commerce');

    const asked = await json<{ status: string }>(`${stack.urls.intake}/zone-plans/${id}/withdraw`, { method: 'POST', token: await token('qingyuan') });
    expect(asked.status).toBe(202);
    // Unchanged: intake may or may not have heard of the review's start yet.
    expect(['submitted', 'in_review']).toContain(asked.body.status);

    const withdrawn = await eventually(() => intakeView(id), (r) => r.body.status === 'withdrawn');
    expect(withdrawn.body.timeline.map((e) => e.event).slice(-2)).toEqual(['withdrawal_requested', 'withdrawn']);

    const subject = '【已撤回】浙江庆元竹木产业开发区创建方案';
    await inbox.waitFor(() => mailsTo(body.contact.email).some((m) => m.subject === subject) && mailsTo('zj-commerce@shanhai.example').some((m) => m.subject.startsWith(subject)), 20_000);
    expect(mailsTo('zj-commerce@shanhai.example').filter((m) => m.subject.startsWith(subject)).map((m) => m.subject)).toEqual([`${subject}（省商务厅审核）`]);
    expect(mailsTo(body.contact.email).filter((m) => m.subject.startsWith('【已撤回】'))).toHaveLength(1);

    const admin = await token('admin');
    const pending = await json<{ items: Task[] }>(`${stack.urls.workflow}/tasks?submissionId=${id}&status=pending`, { token: admin });
    expect(pending.body.items).toHaveLength(0);
    const late = await decide(second, { outcome: 'approve' });
    expect(late.status).toBe(409);
  });

  it('loses nothing and doubles nothing when workflow and the notifier crash mid-flow', async () => {
    await stack.kill('workflow');
    await stack.kill('notifier');
    const body = plan('浙江文成经济开发区');
    const id = await submit(body, 'wencheng');
    // Intake has committed the plan and its outbox row; the message waits in Redis for workflow.
    await new Promise((r) => setTimeout(r, 500));
    await stack.startService('workflow');
    const task = await pendingTask(id);
    expect(task.organisation.code).toBe('wenzhou-commerce');
    expect((await decide(task, { outcome: 'approve' })).status).toBe(200);
    await pendingTask(id);
    // The notifier was down for both assignments; its queue kept them.
    expect(mailsTo(body.contact.email)).toHaveLength(0);
    await stack.startService('notifier');
    await inbox.waitFor(() => mailsTo(body.contact.email).length === 2, 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(mailsTo(body.contact.email).map((m) => m.subject)).toEqual([
      '【进度】浙江文成经济开发区创建方案已进入市商务局初审',
      '【进度】浙江文成经济开发区创建方案已进入省商务厅审核',
    ]);
  });

  it('stops each service cleanly on SIGTERM', async () => {
    for (const name of ['intake', 'workflow', 'notifier'] as const) {
      const started = Date.now();
      const ended = await stack.stop(name);
      expect(ended.code === 0 || ended.signal === 'SIGTERM').toBe(true);
      expect(stack.log(name)).not.toMatch(/"level":"error"/);
      expect(Date.now() - started).toBeLessThan(10_000);
    }
  });
});
