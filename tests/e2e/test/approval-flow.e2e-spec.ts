import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QueueName } from '@shanhai/contracts';
import { startMailInbox, type MailInbox, type ReceivedMail } from '@shanhai/mail-inbox';
import { Queue } from 'bullmq';
import pg from 'pg';
import { testServers } from '@shanhai/platform/testing';
import { Stack } from './stack.js';

interface Task {
  id: string;
  step: { index: number; name: string };
  organisation: { code: string };
}

async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function json<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } });
  return { status: response.status, body: (await response.json()) as T };
}

let sequence = 0;
/** A plan with an applicant address of its own, so each scenario counts only its own mail. */
const plan = (countyCode = 'qingyuan', zoneName = '浙江庆元经济开发区') => {
  sequence += 1;
  return {
    zoneName,
    countyCode,
    contact: { name: '庆元县人民政府 联系人', email: `applicant-${sequence}-${Date.now()}@county.example` },
    stakeholders: [{ name: '柯桥经济技术开发区', email: `keqiao-${sequence}-${Date.now()}@zone.example` }],
  };
};

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

  const submit = async (body: ReturnType<typeof plan>) => {
    const { status, body: created } = await json<{ id: string; status: string }>(`${stack.urls.intake}/zone-plans`, { method: 'POST', body: JSON.stringify(body) });
    expect(status).toBe(201);
    return created.id;
  };
  const pendingTask = async (submissionId: string, timeoutMs = 20_000): Promise<Task> => {
    const { body } = await eventually(
      () => json<{ items: Task[] }>(`${stack.urls.workflow}/tasks?submissionId=${submissionId}&status=pending`),
      (r) => r.body.items.length === 1,
      timeoutMs,
    );
    if (!body.items[0]) throw new Error(`no pending task for ${submissionId}:\n${stack.log('workflow')}`);
    return body.items[0];
  };
  const decide = (taskId: string, decision: object) =>
    json<{ status: string }>(`${stack.urls.workflow}/tasks/${taskId}/decisions`, { method: 'POST', body: JSON.stringify({ reviewer: '审核人 王', ...decision }) });
  const intakeView = (id: string) => json<{ status: string; timeline: { event: string }[] }>(`${stack.urls.intake}/zone-plans/${id}`);
  const mailsTo = (address: string): ReceivedMail[] => inbox.messages().filter((m) => m.to.includes(address));

  it('takes a plan from submission through 初审, 审核 and 审批 to approved, emailing everyone at each step', async () => {
    const body = plan();
    const id = await submit(body);
    const reviewers: string[] = [];
    for (let step = 0; step < 3; step += 1) {
      const task = await pendingTask(id);
      expect(task.step.index).toBe(step);
      reviewers.push(task.organisation.code);
      const decided = await decide(task.id, { outcome: 'approve', opinion: '同意' });
      expect(decided.status).toBe(200);
    }
    expect(reviewers).toEqual(['lishui-commerce', 'zj-commerce', 'zj-gov']);

    const approved = await eventually(() => intakeView(id), (r) => r.body.status === 'approved');
    expect(approved.body.status).toBe('approved');
    expect(approved.body.timeline.map((e) => e.event)).toEqual([
      'submitted', 'review_started',
      'step_assigned', 'step_approved', 'step_assigned', 'step_approved', 'step_assigned', 'step_approved',
      'approved',
    ]);

    await inbox.waitFor(() => mailsTo(body.contact.email).length === 4 && mailsTo(body.stakeholders[0]!.email).length === 1, 20_000);
    expect(mailsTo(body.contact.email).map((m) => m.subject)).toEqual([
      '【进度】浙江庆元经济开发区创建方案已进入市商务局初审',
      '【进度】浙江庆元经济开发区创建方案已进入省商务厅审核',
      '【进度】浙江庆元经济开发区创建方案已进入省政府审批',
      '【已批准】浙江庆元经济开发区创建方案',
    ]);
    expect(mailsTo(body.stakeholders[0]!.email).map((m) => m.subject)).toEqual(['【已批准】浙江庆元经济开发区创建方案']);
    for (const reviewer of ['lishui-commerce', 'zj-commerce', 'zj-gov']) {
      expect(inbox.messages().some((m) => m.to.includes(`${reviewer}@shanhai.example`) && m.subject.startsWith('【待审】浙江庆元'))).toBe(true);
    }
  });

  it('ends the chain at a rejection and tells the applicant and the stakeholders why', async () => {
    const body = plan('suichang', '浙江遂昌经济开发区');
    const id = await submit(body);
    await decide((await pendingTask(id)).id, { outcome: 'approve' });
    const second = await pendingTask(id);
    expect(second.organisation.code).toBe('zj-commerce');
    expect((await decide(second.id, { outcome: 'reject', reason: '开发区四至范围与国土空间规划不符' })).status).toBe(200);
    await expect(eventually(() => intakeView(id), (r) => r.body.status === 'rejected').then((r) => r.body.status)).resolves.toBe('rejected');
    const [rejected] = await inbox
      .waitFor(() => mailsTo(body.stakeholders[0]!.email).length === 1)
      .then(() => mailsTo(body.stakeholders[0]!.email));
    expect(rejected?.subject).toBe('【未通过】浙江遂昌经济开发区创建方案');
    expect(rejected?.text).toContain('开发区四至范围与国土空间规划不符');
    await inbox.waitFor(() => mailsTo(body.contact.email).some((m) => m.subject.startsWith('【未通过】')));
  });

  it('sends no second email when a message is delivered again', async () => {
    const body = plan('songyang', '浙江松阳经济开发区');
    const id = await submit(body);
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

  it('loses nothing and doubles nothing when workflow and the notifier crash mid-flow', async () => {
    await stack.kill('workflow');
    await stack.kill('notifier');
    const body = plan('wencheng', '浙江文成经济开发区');
    const id = await submit(body);
    // Intake has committed the plan and its outbox row; the message waits in Redis for workflow.
    await new Promise((r) => setTimeout(r, 500));
    await stack.startService('workflow');
    const task = await pendingTask(id);
    expect(task.organisation.code).toBe('wenzhou-commerce');
    expect((await decide(task.id, { outcome: 'approve' })).status).toBe(200);
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
