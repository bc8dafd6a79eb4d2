import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  ApprovalApproved,
  ApprovalRejected,
  ApprovalReturned,
  ApprovalWithdrawn,
  createMessage,
  QueueName,
  routes,
  TaskAssigned,
  TaskDelegated,
  type MessageName,
  type SubmissionSummary,
} from '@shanhai/contracts';
import { noticesFor, noticeTemplates, notifiedEvents, type NotifiableMessage } from './notices.js';

const submission = (kind: SubmissionSummary['kind'], title: string): SubmissionSummary => ({
  submissionId: randomUUID(),
  kind,
  revision: 1,
  title,
  county: { code: 'qingyuan', name: '庆元县' },
  city: { code: 'lishui', name: '丽水市' },
  applicant: { name: '庆元县人民政府', email: 'qingyuan@county.shanhai.example' },
  stakeholders: [],
});
const assigned = (s: SubmissionSummary) =>
  createMessage(
    TaskAssigned,
    {
      instanceId: randomUUID(),
      submission: s,
      definition: { key: s.kind, version: 1 },
      taskId: randomUUID(),
      step: { index: 0, key: 'host_review', name: '主办单位审核', organisation: { code: 'lishui-commerce', name: '丽水市商务局', email: 'l@shanhai.example' } },
      stepCount: 2,
    },
    { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' },
  );

const meta = () => ({ id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });
const province = { index: 1, key: 'province_review', name: '省商务厅审核', organisation: { code: 'zj-commerce', name: '浙江省商务厅', email: 'zj@shanhai.example' } };
const ref = (s: SubmissionSummary) => ({ instanceId: randomUUID(), submission: s, definition: { key: s.kind, version: 1 } });
const approved = (s: SubmissionSummary) => createMessage(ApprovalApproved, { ...ref(s), taskId: randomUUID(), step: province, decidedBy: '浙江省商务厅 王审核' }, meta());
const rejected = (s: SubmissionSummary, reason: string) => createMessage(ApprovalRejected, { ...ref(s), taskId: randomUUID(), step: province, decidedBy: '浙江省商务厅 王审核', reason }, meta());
const withdrawn = (s: SubmissionSummary, reason?: string) =>
  createMessage(ApprovalWithdrawn, { ...ref(s), steps: [{ taskId: randomUUID(), step: province }], withdrawnBy: '庆元县人民政府', ...(reason ? { reason } : {}) }, meta());
const returned = (s: SubmissionSummary, overrides: Partial<{ opinion: string | undefined; actingFor: string | undefined; deficiencies: { target: 'field' | 'attachment'; ref: string; note: string }[] }> = {}) => {
  const { opinion, actingFor, deficiencies } = {
    opinion: '请一并说明四至范围。',
    actingFor: '浙江省商务厅 李处长',
    deficiencies: [
      { target: 'field' as const, ref: 'content.blocks.0.areaKm2', note: '规划面积与用地预审意见不一致' },
      { target: 'field' as const, ref: 'title', note: '名称应为“浙江庆元经济开发区”' },
      { target: 'attachment' as const, ref: 'land_use_plan', note: '缺少土地利用总体规划图' },
    ],
    ...overrides,
  };
  return createMessage(
    ApprovalReturned,
    { ...ref(s), taskId: randomUUID(), step: province, decidedBy: '浙江省商务厅 王审核', ...(opinion ? { opinion } : {}), ...(actingFor ? { actingFor } : {}), deficiencies },
    meta(),
  );
};
const delegated = (s: SubmissionSummary, reason?: string) =>
  createMessage(
    TaskDelegated,
    { ...ref(s), taskId: randomUUID(), step: province, delegatedBy: '浙江省商务厅 王审核', delegate: { userId: randomUUID(), name: '浙江省商务厅 赵科员' }, ...(reason ? { reason } : {}) },
    meta(),
  );

describe(noticesFor.name, () => {
  it('names a zone plan as a creation plan and an event by its title', () => {
    expect(noticesFor(assigned(submission('zone_plan', '浙江庆元经济开发区'))).map((n) => n.subject)).toEqual([
      '【待审】浙江庆元经济开发区创建方案（主办单位审核）',
      '【进度】浙江庆元经济开发区创建方案已进入主办单位审核',
    ]);
    expect(noticesFor(assigned(submission('promotion_event', '山海协作招商推介会'))).map((n) => n.subject)).toEqual([
      '【待审】山海协作招商推介会申请（主办单位审核）',
      '【进度】山海协作招商推介会申请已进入主办单位审核',
    ]);
  });

  it('tells the reviewer and the applicant, each once', () => {
    expect(noticesFor(assigned(submission('zone_plan', '浙江庆元经济开发区'))).map((n) => `${n.template} ${n.to.email}`)).toEqual([
      'task_assigned.reviewer l@shanhai.example',
      'task_assigned.applicant qingyuan@county.shanhai.example',
    ]);
  });

  it('tells the organisation of the pending step and the applicant of a withdrawal', () => {
    const s = submission('zone_plan', '浙江庆元经济开发区');
    const step = { index: 1, key: 'province_review', name: '省商务厅审核', organisation: { code: 'zj-commerce', name: '浙江省商务厅', email: 'zj@shanhai.example' } };
    const message = createMessage(
      ApprovalWithdrawn,
      { instanceId: randomUUID(), submission: s, definition: { key: 'zone_plan', version: 1 }, steps: [{ taskId: randomUUID(), step }], withdrawnBy: '庆元县人民政府' },
      { id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' },
    );
    expect(noticesFor(message).map((n) => `${n.template} ${n.to.email} ${n.subject}`)).toEqual([
      'withdrawn.reviewer zj@shanhai.example 【已撤回】浙江庆元经济开发区创建方案（省商务厅审核）',
      'withdrawn.applicant qingyuan@county.shanhai.example 【已撤回】浙江庆元经济开发区创建方案',
    ]);
  });

  it('tells the applicant alone of a correction notice, listing every deficiency and the opinion', () => {
    const s = { ...submission('zone_plan', '浙江庆元经济开发区'), stakeholders: [{ name: '杭州萧山经济技术开发区', email: 'xiaoshan@shanhai.example' }] };
    const [mail, ...others] = noticesFor(returned(s));
    expect(others).toEqual([]);
    expect(mail).toMatchObject({ template: 'returned.applicant', to: s.applicant, subject: '【补正】浙江庆元经济开发区创建方案（省商务厅审核）' });
    expect(mail!.text.split('\n')).toEqual([
      '庆元县人民政府：',
      '您提交的《浙江庆元经济开发区创建方案》（第 1 版）在省商务厅审核中被浙江省商务厅退回补正，请按以下 3 项意见修改：',
      '1. 字段 content.blocks.0.areaKm2：规划面积与用地预审意见不一致',
      '2. 字段 title：名称应为“浙江庆元经济开发区”',
      '3. 附件 land_use_plan：缺少土地利用总体规划图',
      '审核意见：请一并说明四至范围。',
      '审核人：浙江省商务厅 王审核（代浙江省商务厅 李处长）',
      '请登录山海审批系统逐项修改后重新提交，修改后的申请将回到省商务厅审核继续审核。',
      '',
      '此邮件由山海审批通知系统自动发送，请勿直接回复。',
    ]);
  });

  it('leaves out the opinion and the principal of a correction notice that has none', () => {
    const [mail] = noticesFor(returned(submission('zone_plan', '浙江庆元经济开发区'), { opinion: undefined, actingFor: undefined, deficiencies: [{ target: 'attachment', ref: 'land_use_plan', note: '图件不清晰' }] }));
    expect(mail!.text).toContain('请按以下 1 项意见修改：\n1. 附件 land_use_plan：图件不清晰\n审核人：浙江省商务厅 王审核\n');
    expect(mail!.text).not.toContain('审核意见');
    expect(mail!.text).not.toContain('（代');
  });

  it('lists every one of a hundred deficiencies, in order', () => {
    const deficiencies = Array.from({ length: 100 }, (_, i) => ({ target: i % 2 ? ('attachment' as const) : ('field' as const), ref: `ref_${i}`, note: `问题 ${i}` }));
    const [mail] = noticesFor(returned(submission('zone_plan', '浙江庆元经济开发区'), { deficiencies }));
    const listed = mail!.text.split('\n').filter((l) => /^\d+\. /.test(l));
    expect(listed).toEqual(deficiencies.map((d, i) => `${i + 1}. ${d.target === 'field' ? '字段' : '附件'} ${d.ref}：${d.note}`));
    for (const d of deficiencies) expect(mail!.html).toContain(`<p>${deficiencies.indexOf(d) + 1}. ${d.target === 'field' ? '字段' : '附件'} ${d.ref}：${d.note}</p>`);
  });

  it('tells the parties of a re-entered step which corrected revision is back', () => {
    const first = noticesFor(assigned(submission('zone_plan', '浙江庆元经济开发区')));
    expect(first[0]!.text).not.toContain('补正');
    const corrected = noticesFor(assigned({ ...submission('zone_plan', '浙江庆元经济开发区'), revision: 3 }));
    expect(corrected[0]!.text).toContain('《浙江庆元经济开发区创建方案》（第 3 版，已按补正意见修改）已进入');
  });

  it('tells each department of a joint review, and the applicant once, naming every department', () => {
    const s = submission('zone_plan', '浙江庆元经济开发区');
    const parties = [
      { code: 'zj-nr', name: '浙江省自然资源厅' },
      { code: 'zj-drc', name: '浙江省发展和改革委员会' },
      { code: 'zj-eco', name: '浙江省生态环境厅' },
    ];
    const joint = parties.map((o, party) => {
      const message = assigned(s);
      const step = { index: 2, key: 'joint_review', name: '省级部门会审', organisation: { ...o, email: `${o.code}@shanhai.example` } };
      return { ...message, payload: { ...message.payload, step, stepCount: 5, party, parties } };
    });
    const notices = joint.flatMap((m) => noticesFor(m));
    expect(notices.map((n) => `${n.template} ${n.to.email}`)).toEqual([
      'task_assigned.reviewer zj-nr@shanhai.example',
      'task_assigned.applicant qingyuan@county.shanhai.example',
      'task_assigned.reviewer zj-drc@shanhai.example',
      'task_assigned.reviewer zj-eco@shanhai.example',
    ]);
    expect(notices[1]!.text).toContain('由浙江省自然资源厅、浙江省发展和改革委员会、浙江省生态环境厅共同办理。');
  });

  it('tells only the new organisation when an admin reassigns a task', () => {
    const message = assigned(submission('zone_plan', '浙江庆元经济开发区'));
    const notices = noticesFor({ ...message, payload: { ...message.payload, party: 0, reassigned: true } });
    expect(notices.map((n) => n.template)).toEqual(['task_assigned.reviewer']);
  });

  it("tells the step's organisation, and no one else, who delegated the task to whom and why", () => {
    const notices = noticesFor(delegated(submission('zone_plan', '浙江庆元经济开发区'), '王审核出差'));
    expect(notices.map((n) => `${n.template} ${n.to.email} ${n.subject}`)).toEqual(['delegated.reviewer zj@shanhai.example 【转办】浙江庆元经济开发区创建方案（省商务厅审核）']);
    expect(notices[0]!.text.split('\n').slice(0, 3)).toEqual([
      '浙江省商务厅：',
      '庆元县人民政府提交的《浙江庆元经济开发区创建方案》在省商务厅审核的审批任务已由浙江省商务厅 王审核转交浙江省商务厅 赵科员办理。',
      '转办理由：王审核出差',
    ]);
    expect(noticesFor(delegated(submission('zone_plan', '浙江庆元经济开发区')))[0]!.text).not.toContain('转办理由');
  });

  describe('every notifiable event', () => {
    const hostile = '浙江\r\nBcc: victim@example.com\r\n<script>alert("x")</script> & 开发区';
    const cases = (s: SubmissionSummary): [string, NotifiableMessage][] => [
      ['task_assigned', assigned(s)],
      ['approved', approved(s)],
      ['rejected', rejected(s, hostile)],
      ['withdrawn', withdrawn(s, hostile)],
      ['returned', returned(s, { opinion: hostile, deficiencies: [{ target: 'field', ref: '<b>title</b>', note: hostile }] })],
      ['delegated', delegated(s, hostile)],
    ];

    it('has a case here for each message routed to the notifier queue', () => {
      const routed = (Object.keys(routes) as MessageName[]).filter((name) => routes[name].includes(QueueName.Notifier));
      expect([...notifiedEvents].sort()).toEqual(routed.sort());
      expect(cases(submission('zone_plan', 'x')).map(([, m]) => m.name).sort()).toEqual(routed.sort());
    });

    it.each(cases(submission('zone_plan', hostile)))('%s: keeps user text on one subject line and escaped in the HTML', (event, message) => {
      const notices = noticesFor(message);
      expect(notices.length).toBeGreaterThan(0);
      for (const n of notices) {
        expect(n.template.startsWith(`${event}.`)).toBe(true);
        expect(noticeTemplates).toContain(n.template);
        expect(n.subject).not.toMatch(/[\r\n\t\u2028\u2029]/);
        expect(n.html).not.toMatch(/<script|<b>/);
        expect(n.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 开发区');
        expect(n.text).toContain('<script>alert("x")</script>');
      }
    });

    it('documents every template it writes, as <event>.<recipient>', () => {
      const written = new Set(cases({ ...submission('zone_plan', '浙江庆元经济开发区'), stakeholders: [{ name: '杭州萧山经济技术开发区', email: 'xiaoshan@shanhai.example' }] }).flatMap(([, m]) => noticesFor(m).map((n) => n.template)));
      expect([...written].sort()).toEqual([...noticeTemplates].sort());
      for (const t of noticeTemplates) expect(t).toMatch(/^[a-z_]+\.(applicant|reviewer|stakeholder)$/);
    });
  });
});

