import { adminBearer, startNotifier } from './support/notifier-app.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ApprovalApproved,
  ApprovalReturned,
  ApprovalWithdrawn,
  createMessage,
  QueueName,
  TaskAssigned,
  TaskDelegated,
  type AnyMessage,
  type SubmissionSummary,
} from '@shanhai/contracts';
import { startMailInbox, type MailInbox } from '@shanhai/mail-inbox';
import { TokenService } from '@shanhai/platform';
import { type TestApp } from '@shanhai/platform/testing';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { NotifierConfig } from '../src/config.js';
import { eventually } from '@shanhai/platform/testing';


const summary = (title = '浙江松阳经济开发区'): SubmissionSummary => ({
  submissionId: randomUUID(),
  kind: 'zone_plan',
  revision: 1,
  title,
  county: { code: 'songyang', name: '松阳县' },
  city: { code: 'lishui', name: '丽水市' },
  applicant: { name: '松阳县人民政府', email: `songyang-${randomUUID().slice(0, 8)}@shanhai.example` },
  stakeholders: [{ name: '杭州萧山经济技术开发区', email: 'xiaoshan@shanhai.example' }],
});
const step = { index: 0, key: 'city_pre_review', name: '市商务局初审', organisation: { code: 'lishui-commerce', name: '丽水市商务局', email: 'lishui-commerce@shanhai.example' } };
const meta = () => ({ id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });

describe('notifier: one email per event, recipient and template', () => {
  let inbox: MailInbox;
  let t: TestApp<NotifierConfig>;
  let http: ReturnType<typeof request>;
  let admin: string;
  let notifierQueue: Queue;
  let deliveriesQueue: Queue;
  let smtpPort: number;

  beforeAll(async () => {
    inbox = await startMailInbox({ httpPort: null });
    smtpPort = inbox.smtpPort;
    t = await startNotifier({ smtpUrl: inbox.smtpUrl });
    http = request(t.app.getHttpServer());
    admin = await adminBearer(t);
    const open = (name: string) => new Queue(name, { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    notifierQueue = open(QueueName.Notifier);
    deliveriesQueue = open(QueueName.NotifierDeliveries);
  });

  afterAll(async () => {
    await notifierQueue.close();
    await deliveriesQueue.close();
    await t.close();
    await inbox.close();
  });

  const deliver = async (message: AnyMessage, jobId = message.id) => notifierQueue.add(message.name, message, { jobId });
  const assigned = (s: SubmissionSummary) =>
    createMessage(TaskAssigned, { instanceId: randomUUID(), submission: s, definition: { key: 'zone_plan', version: 1 }, taskId: randomUUID(), step, stepCount: 3 }, meta());
  const mailsTo = (address: string) => inbox.messages().filter((m) => m.to.includes(address));

  it("emails the step's reviewer and the applicant, in Chinese, with a stable Message-ID", async () => {
    const s = summary();
    await deliver(assigned(s));
    await inbox.waitFor(() => mailsTo(s.applicant.email).length === 1);
    const [toApplicant] = mailsTo(s.applicant.email);
    expect(toApplicant?.subject).toBe('【进度】浙江松阳经济开发区创建方案已进入市商务局初审');
    expect(toApplicant?.text).toContain('由丽水市商务局办理');
    expect(toApplicant?.messageId).toMatch(/^<[0-9a-f]{40}@test\.shanhai\.example>$/);
    const toReviewer = await inbox.waitFor((all) => all.some((m) => m.subject === '【待审】浙江松阳经济开发区创建方案（市商务局初审）'));
    expect(toReviewer.find((m) => m.subject.startsWith('【待审】'))?.to).toEqual(['lishui-commerce@shanhai.example']);

    const log = await eventually(() => http.get(`/deliveries?submissionId=${s.submissionId}`).set('authorization', admin), (r) => r.body.items?.every((d: { status: string }) => d.status === 'sent'));
    expect(log.body.items.map((d: { template: string; status: string }) => `${d.template}:${d.status}`).sort()).toEqual([
      'task_assigned.applicant:sent',
      'task_assigned.reviewer:sent',
    ]);
  });

  it('sends nothing more when the event or a delivery job is delivered again', async () => {
    const s = summary();
    const message = assigned(s);
    await deliver(message);
    await inbox.waitFor(() => mailsTo(s.applicant.email).length === 1);
    await deliver(message, `again-${message.id}`);
    await eventually(() => notifierQueue.getJob(`again-${message.id}`), (j) => j?.finishedOn !== undefined);
    const log = await http.get(`/deliveries?submissionId=${s.submissionId}`).set('authorization', admin);
    for (const d of log.body.items as { id: string }[]) await deliveriesQueue.add('deliver', { deliveryId: d.id }, { jobId: `again-${d.id}` });
    const redone = await eventually(
      () => Promise.all((log.body.items as { id: string }[]).map((d) => deliveriesQueue.getJob(`again-${d.id}`))),
      (jobs) => jobs.every((j) => j?.finishedOn !== undefined),
    );
    expect(redone.map((j) => j?.returnvalue)).toEqual(['already_sent', 'already_sent']);
    expect(mailsTo(s.applicant.email)).toHaveLength(1);
    expect(inbox.messages().filter((m) => m.subject.includes(s.title) && m.to.includes('lishui-commerce@shanhai.example'))).toHaveLength(2);
  });

  it('tells the applicant and the stakeholders when the plan is approved', async () => {
    const s = summary('浙江文成经济开发区');
    const message = createMessage(
      ApprovalApproved,
      { instanceId: randomUUID(), submission: s, definition: { key: 'zone_plan', version: 1 }, taskId: randomUUID(), step: { ...step, index: 2, name: '省政府审批' }, decidedBy: '省政府' },
      meta(),
    );
    await deliver(message);
    const mails = await inbox.waitFor((all) => all.filter((m) => m.subject === '【已批准】浙江文成经济开发区创建方案').length === 2);
    const approved = mails.filter((m) => m.subject === '【已批准】浙江文成经济开发区创建方案');
    expect(approved.flatMap((m) => m.to).sort()).toEqual([s.applicant.email, 'xiaoshan@shanhai.example'].sort());
  });

  it("tells the pending step's organisation and the applicant when the applicant withdraws", async () => {
    const s = summary('浙江龙泉经济开发区');
    const pending = { ...step, index: 1, key: 'province_review', name: '省商务厅审核', organisation: { code: 'zj-commerce', name: '浙江省商务厅', email: `zj-commerce-${randomUUID().slice(0, 8)}@shanhai.example` } };
    const message = createMessage(
      ApprovalWithdrawn,
      { instanceId: randomUUID(), submission: s, definition: { key: 'zone_plan', version: 1 }, steps: [{ taskId: randomUUID(), step: pending }], withdrawnBy: '龙泉县人民政府 申报员' },
      meta(),
    );
    await deliver(message);
    await inbox.waitFor(() => mailsTo(s.applicant.email).length === 1 && mailsTo(pending.organisation.email).length === 1);
    expect(mailsTo(pending.organisation.email).map((m) => m.subject)).toEqual(['【已撤回】浙江龙泉经济开发区创建方案（省商务厅审核）']);
    expect(mailsTo(s.applicant.email).map((m) => m.subject)).toEqual(['【已撤回】浙江龙泉经济开发区创建方案']);
    expect(mailsTo('xiaoshan@shanhai.example').some((m) => m.subject.startsWith('【已撤回】浙江龙泉'))).toBe(false);
    const log = await eventually(() => http.get(`/deliveries?submissionId=${s.submissionId}`).set('authorization', admin), (r) => r.body.items?.length === 2 && r.body.items.every((d: { status: string }) => d.status === 'sent'));
    expect(log.body.items.map((d: { template: string }) => d.template).sort()).toEqual(['withdrawn.applicant', 'withdrawn.reviewer']);
  });

  it('takes a submission through a correction: the notice to the applicant alone, the delegation, and the corrected revision back to the step', async () => {
    const s = summary('浙江景宁经济开发区');
    const org = { ...step, index: 1, key: 'province_review', name: '省商务厅审核', organisation: { code: 'zj-commerce', name: '浙江省商务厅', email: `zj-commerce-${randomUUID().slice(0, 8)}@shanhai.example` } };
    const ref = { instanceId: randomUUID(), submission: s, definition: { key: 'zone_plan', version: 1 } };
    const taskId = randomUUID();
    await deliver(
      createMessage(
        TaskDelegated,
        { ...ref, taskId, step: org, delegatedBy: '浙江省商务厅 王审核', delegate: { userId: randomUUID(), name: '浙江省商务厅 赵科员' }, reason: '出差' },
        meta(),
      ),
    );
    await deliver(
      createMessage(
        ApprovalReturned,
        {
          ...ref,
          taskId,
          step: org,
          decidedBy: '浙江省商务厅 赵科员',
          actingFor: '浙江省商务厅 王审核',
          opinion: '请补充<四至>说明',
          deficiencies: [
            { target: 'field', ref: 'content.blocks.0.areaKm2', note: '面积与用地预审不一致' },
            { target: 'attachment', ref: 'land_use_plan', note: '缺少规划图' },
          ],
        },
        meta(),
      ),
    );
    // The corrected revision re-enters the step: a new task, told as any assignment is, with its revision.
    await deliver(createMessage(TaskAssigned, { ...ref, submission: { ...s, revision: 2 }, taskId: randomUUID(), step: org, stepCount: 5 }, meta()));

    await inbox.waitFor(() => mailsTo(s.applicant.email).length === 2 && mailsTo(org.organisation.email).length === 2);
    expect(mailsTo(org.organisation.email).map((m) => m.subject).sort()).toEqual(['【待审】浙江景宁经济开发区创建方案（省商务厅审核）', '【转办】浙江景宁经济开发区创建方案（省商务厅审核）'].sort());
    expect(mailsTo(org.organisation.email).find((m) => m.subject.startsWith('【待审】'))!.text).toContain('（第 2 版，已按补正意见修改）');
    expect(mailsTo(s.applicant.email).map((m) => m.subject).sort()).toEqual(['【补正】浙江景宁经济开发区创建方案（省商务厅审核）', '【进度】浙江景宁经济开发区创建方案已进入省商务厅审核'].sort());
    const correction = mailsTo(s.applicant.email).find((m) => m.subject.startsWith('【补正】'))!;
    expect(correction.text).toContain('1. 字段 content.blocks.0.areaKm2：面积与用地预审不一致');
    expect(correction.text).toContain('2. 附件 land_use_plan：缺少规划图');
    expect(correction.html).toContain('审核意见：请补充&lt;四至&gt;说明');
    expect(mailsTo('xiaoshan@shanhai.example').some((m) => m.subject.includes('浙江景宁'))).toBe(false);
    const log = await eventually(() => http.get(`/deliveries?submissionId=${s.submissionId}`).set('authorization', admin), (r) => r.body.items?.length === 4 && r.body.items.every((d: { status: string }) => d.status === 'sent'));
    expect(log.body.items.map((d: { event: string; template: string }) => `${d.event} ${d.template}`).sort()).toEqual([
      'approval.delegated delegated.reviewer',
      'approval.returned returned.applicant',
      'approval.task_assigned task_assigned.applicant',
      'approval.task_assigned task_assigned.reviewer',
    ]);
  });

  it('keeps a title with line breaks and markup on one subject line and out of the HTML', async () => {
    const s = summary('浙江\r\nBcc: victim@example.com\r\n<script>x</script>开发区');
    await deliver(assigned(s));
    const [mail] = await inbox.waitFor(() => mailsTo(s.applicant.email).length === 1).then(() => mailsTo(s.applicant.email));
    expect(mail?.to).toEqual([s.applicant.email]);
    expect(mail?.subject).not.toMatch(/[\r\n]/);
    expect(mail?.headers).not.toHaveProperty('bcc');
    expect(mail?.html).not.toContain('<script>');
    expect(mail?.html).toContain('&lt;script&gt;');
  });

  it('never sends while another sender holds the claim, and takes over once its lease runs out', async () => {
    const s = summary();
    const dataSource = t.app.get(DataSource);
    // Plan the deliveries with the delivery worker's jobs held back, then claim one as a sender
    // that died mid-send would have left it.
    await deliveriesQueue.pause();
    try {
      await deliver(assigned(s));
      await eventually(() => deliveriesQueue.getJobCounts('waiting'), (c) => (c.waiting ?? 0) >= 2);
      await dataSource.query(`UPDATE deliveries SET status = 'sending', attempts = 1, updated_at = now() WHERE submission_id = $1 AND template = 'task_assigned.applicant'`, [s.submissionId]);
    } finally {
      await deliveriesQueue.resume();
    }
    const [claimed] = await dataSource.query<{ id: string }[]>(`SELECT id FROM deliveries WHERE submission_id = $1 AND template = 'task_assigned.applicant'`, [s.submissionId]);
    const job = await eventually(() => deliveriesQueue.getJob(claimed!.id), (j) => j !== undefined);
    await expect(eventually(() => job!.getState(), (state) => state === 'delayed')).resolves.toBe('delayed');
    expect(mailsTo(s.applicant.email)).toHaveLength(0);
    expect((await deliveriesQueue.getJob(claimed!.id))?.attemptsMade).toBe(0);

    // The dead sender's lease runs out; the delayed job takes over and sends exactly once.
    await dataSource.query(`UPDATE deliveries SET updated_at = now() - interval '1 hour' WHERE id = $1`, [claimed!.id]);
    await (await deliveriesQueue.getJob(claimed!.id))?.promote();
    await inbox.waitFor(() => mailsTo(s.applicant.email).length === 1);
    const rows = await eventually(
      () => dataSource.query<{ status: string; attempts: number }[]>(`SELECT status, attempts FROM deliveries WHERE id = $1`, [claimed!.id]),
      (r) => r[0]?.status === 'sent',
    );
    expect(rows).toEqual([{ status: 'sent', attempts: 2 }]);
    expect(mailsTo(s.applicant.email)).toHaveLength(1);
  });

  it('shows the delivery log to admins only', async () => {
    const tokens = t.app.get(TokenService);
    const sign = async (principal: Parameters<TokenService['signAccess']>[0]) => `Bearer ${(await tokens.signAccess(principal)).token}`;
    await http.get('/deliveries').expect(401);
    for (const principal of [
      { userId: randomUUID(), username: 'qingyuan', name: '庆元县人民政府', role: 'applicant' as const, county: 'qingyuan' },
      { userId: randomUUID(), username: 'lishui-commerce', name: '丽水市商务局', role: 'reviewer' as const, organisation: 'lishui-commerce' },
      { userId: randomUUID(), username: 'keqiao-zone', name: '柯桥', role: 'stakeholder' as const, zone: 'keqiao' },
    ]) {
      await http.get('/deliveries').set('authorization', await sign(principal)).expect(403);
    }
    await http.get('/deliveries').set('authorization', admin).expect(200);
  });

  it('delays mail while the SMTP server is down and sends it once when it is back', async () => {
    await inbox.close();
    const s = summary();
    try {
      await deliver(assigned(s));
      const failed = await eventually(
        () => http.get(`/deliveries?submissionId=${s.submissionId}`).set('authorization', admin),
        (r) => r.body.items?.length === 2 && r.body.items.every((d: { status: string }) => d.status === 'failed'),
      );
      expect(failed.body.items[0].lastError).toMatch(/ECONNREFUSED/);
    } finally {
      inbox = await startMailInbox({ smtpPort, httpPort: null });
    }
    await inbox.waitFor(() => mailsTo(s.applicant.email).length === 1, 20_000);
    const log = await eventually(() => http.get(`/deliveries?submissionId=${s.submissionId}`).set('authorization', admin), (r) => r.body.items.every((d: { status: string }) => d.status === 'sent'), 20_000);
    expect(log.body.items.every((d: { attempts: number }) => d.attempts >= 2)).toBe(true);
    expect(mailsTo(s.applicant.email)).toHaveLength(1);
  }, 40_000);
});
