import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  ApprovalApproved,
  ApprovalEscalated,
  ApprovalRejected,
  ApprovalReminder,
  ApprovalReturned,
  ApprovalUrged,
  ApprovalWithdrawn,
  createMessage,
  DeadlineExtended,
  QueueName,
  routes,
  TaskAssigned,
  TaskDelegated,
  type MessageName,
  type SubmissionSummary,
} from '@shanhai/contracts';
import { locales, noticesFor, noticeTemplateIds, noticeTemplates, notifiedEvents, type Locale, type NotifiableMessage } from './notices.js';
import { templateIds } from './render.js';

/** The templates of workflow events' notices; the daily digest's is written by planDigest (digest-notices.spec.ts). */
const eventTemplateIds = noticeTemplateIds.filter((t) => t !== 'digest.reviewer');

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
const urged = (s: SubmissionSummary, note?: string, urgedBy = '庆元县人民政府 李申报') =>
  createMessage(ApprovalUrged, { ...ref(s), steps: [{ taskId: randomUUID(), step: province, dueOn: '2026-10-21' }], workingDay: '2026-10-09', urgedBy, ...(note ? { note } : {}) }, meta());
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

const reminded = (s: SubmissionSummary, kind: 'before' | 'due' = 'before', step = province) =>
  createMessage(ApprovalReminder, { ...ref(s), kind, round: 1, dueOn: '2026-10-10', daysLeft: kind === 'due' ? 0 : 2, steps: [{ taskId: randomUUID(), step }] }, meta());
const zjGov = { code: 'zj-gov', name: '浙江省人民政府', email: 'zj-gov@shanhai.example' };
const escalated = (s: SubmissionSummary, step = province) =>
  createMessage(ApprovalEscalated, { ...ref(s), round: 1, dueOn: '2026-10-10', escalatedTo: zjGov, steps: [{ taskId: randomUUID(), step }] }, meta());
const extended = (s: SubmissionSummary, days: number, dueOn?: string) =>
  createMessage(DeadlineExtended, { ...ref(s), taskId: randomUUID(), step: province, days, reason: '需征求省自然资源厅意见', extendedBy: '浙江省商务厅 王审核', ...(dueOn ? { dueOn } : {}) }, meta());

describe(noticesFor.name, () => {
  it('tells the applicant of an extension (延期), its reason and the new due date, in Chinese and in English', () => {
    const [zh] = noticesFor(extended(submission('zone_plan', '浙江庆元经济开发区'), 5, '2026-10-21'));
    expect(zh).toMatchObject({ template: 'deadline_extended.applicant', statutory: true, subject: '【延期】浙江庆元经济开发区创建方案（省商务厅审核）' });
    expect(zh!.text.split('\n').slice(0, 3)).toEqual([
      '庆元县人民政府：',
      '您提交的《浙江庆元经济开发区创建方案》（第 1 版）在省商务厅审核的办理时限已由浙江省商务厅延长 5 个工作日，现办理时限为 2026-10-21。',
      '延期理由：需征求省自然资源厅意见',
    ]);
    const [en] = noticesFor(extended(submission('zone_plan', '浙江庆元经济开发区'), 1), { localeOf: () => 'en' });
    expect(en!.text).toContain('by 1 working day.');
    expect(en!.text).not.toContain('due on');
  });

  it("tells each member of the urged step's organisation, and a delegate, of the applicant's urge (催办), in Chinese and in English", () => {
    const s = submission('zone_plan', '浙江庆元经济开发区');
    const members = [{ name: '王审核', email: 'wang@zj.shanhai.example' }, { name: '李处长', email: 'li@zj.shanhai.example' }];
    const delegate = { name: '赵科员', email: 'zhao@zj.shanhai.example' };
    const message = urged(s, '项目落地时间紧，恳请尽快审核。');
    const withDelegate = { ...message, payload: { ...message.payload, steps: [{ ...message.payload.steps[0]!, assignee: randomUUID() }] } };
    const notices = noticesFor(withDelegate, { membersOf: (code) => (code === 'zj-commerce' ? members : []), accountOf: () => delegate, watchers: [{ name: '陈关注', email: 'chen@shanhai.example' }] });
    expect(notices.map((n) => [n.template, n.to.email])).toEqual([
      ['urged.reviewer', 'wang@zj.shanhai.example'],
      ['urged.reviewer', 'li@zj.shanhai.example'],
      ['urged.reviewer', 'zhao@zj.shanhai.example'],
    ]);
    expect(notices[0]).toMatchObject({ statutory: true, subject: '【催办】浙江庆元经济开发区创建方案（省商务厅审核）' });
    expect(notices[0]!.text.split('\n').slice(0, 4)).toEqual([
      '王审核：',
      '庆元县人民政府（庆元县人民政府 李申报）催办《浙江庆元经济开发区创建方案》（第 1 版）：该申请正在省商务厅审核办理，请尽快审核。',
      '办理时限：2026-10-21',
      '催办说明：项目落地时间紧，恳请尽快审核。',
    ]);
    const [en] = noticesFor(urged(s), { localeOf: () => 'en' });
    expect(en).toMatchObject({ template: 'urged.reviewer', to: { email: 'zj@shanhai.example' }, subject: '[Reminder from the applicant] 浙江庆元经济开发区 establishment plan (省商务厅审核)' });
    expect(en!.text).toContain('Due on: 2026-10-21');
    expect(en!.text).not.toContain('Note:');
  });

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
      ['deadline_extended', createMessage(DeadlineExtended, { ...ref(s), taskId: randomUUID(), step: province, days: 2, reason: hostile, extendedBy: '浙江省商务厅 王审核' }, meta())],
      ['urged', urged(s, hostile)],
      ['reminder', reminded(s)],
      ['escalated', escalated(s)],
    ];

    it('has a case here for each workflow message routed to the notifier queue (the directory\'s feed its replica)', () => {
      // The daily digest is about an organisation, not a submission: planDigest writes it (digest-notices.spec.ts).
      const routed = (Object.keys(routes) as MessageName[]).filter((name) => routes[name].includes(QueueName.Notifier) && !name.startsWith('directory.') && name !== 'approval.digest');
      expect([...notifiedEvents].sort()).toEqual(routed.sort());
      expect(cases(submission('zone_plan', 'x')).map(([, m]) => m.name).sort()).toEqual(routed.sort());
    });

    it.each(cases(submission('zone_plan', hostile)))('%s: keeps user text on one subject line and escaped in the HTML', (event, message) => {
      const notices = noticesFor(message);
      expect(notices.length).toBeGreaterThan(0);
      for (const n of notices) {
        expect(n.template.startsWith(`${event}.`)).toBe(true);
        expect(noticeTemplateIds).toContain(n.template);
        expect(n.subject).not.toMatch(/[\r\n\t\u2028\u2029]/);
        expect(n.html).not.toMatch(/<script|<b>/);
        expect(n.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 开发区');
        expect(n.text).toContain('<script>alert("x")</script>');
      }
    });

    it('documents every template it writes, as <event>.<recipient>', () => {
      const s = { ...submission('zone_plan', '浙江庆元经济开发区'), stakeholders: [{ name: '杭州萧山经济技术开发区', email: 'xiaoshan@shanhai.example' }] };
      const watchers = [{ name: '丽水市商务局 陈关注', email: 'chen@lishui.shanhai.example' }];
      const written = new Set(cases(s).flatMap(([, m]) => noticesFor(m, { watchers }).map((n) => n.template)));
      expect([...written].sort()).toEqual([...eventTemplateIds].sort());
      for (const t of noticeTemplateIds) expect(t).toMatch(/^[a-z_]+\.(applicant|reviewer|stakeholder|supervisor|watcher)$/);
    });
  });
});


// ------------------------------------------------------------------ recipients, locales, statutory

const lishui = { index: 0, key: 'city_review', name: '市商务局初审', organisation: { code: 'lishui-commerce', name: '丽水市商务局', email: 'lishui@shanhai.example' } };
const xiaoshan = { name: '杭州萧山经济技术开发区', email: 'xiaoshan@shanhai.example' };
const watcherChen = { name: '丽水市商务局 陈关注', email: 'chen@lishui.shanhai.example' };
const watcherLin = { name: 'Lin Follower', email: 'lin@shanhai.example' };

/** One message of each notifiable event, about one submission, with every optional part present. */
const everyEvent = (s: SubmissionSummary): NotifiableMessage[] => {
  const entered = assigned(s);
  return [
    { ...entered, payload: { ...entered.payload, step: lishui, stepCount: 3 } },
    approved(s),
    rejected(s, '园区四至范围与生态保护红线重叠。'),
    withdrawn(s, '规划调整，重新编制后再申报。'),
    returned(s),
    delegated(s, '王审核出差'),
    extended(s, 5, '2026-10-21'),
    urged(s, '项目落地时间紧，恳请尽快审核。'),
    reminded(s, 'before', lishui),
    escalated(s, lishui),
  ];
};

describe('noticesFor: recipients, languages and what cannot be muted', () => {
  const s = { ...submission('zone_plan', '浙江庆元经济开发区'), stakeholders: [xiaoshan] };

  it('marks decisions, correction notices, extensions, assignments, urges and withdrawals to reviewers statutory, and nothing else', () => {
    expect(noticeTemplateIds.filter((t) => noticeTemplates[t].statutory).sort()).toEqual(
      ['approved.applicant', 'approved.stakeholder', 'deadline_extended.applicant', 'rejected.applicant', 'rejected.stakeholder', 'returned.applicant', 'task_assigned.reviewer', 'urged.reviewer', 'withdrawn.reviewer', 'reminder.reviewer', 'escalated.supervisor', 'escalated.reviewer'].sort(),
    );
    for (const n of everyEvent(s).flatMap((m) => noticesFor(m, { watchers: [watcherChen] }))) expect(n.statutory).toBe(noticeTemplates[n.template].statutory);
  });

  it('tells stakeholders of the decision only, and no city address it was not given', () => {
    const byEvent = everyEvent(s).map((m) => [m.name, noticesFor(m).filter((n) => n.to.email === xiaoshan.email).map((n) => n.template)]);
    expect(byEvent).toEqual([
      ['approval.task_assigned', []],
      ['approval.approved', ['approved.stakeholder']],
      ['approval.rejected', ['rejected.stakeholder']],
      ['approval.withdrawn', []],
      ['approval.returned', []],
      ['approval.delegated', []],
      ['approval.deadline_extended', []],
      ['approval.urged', []],
      ['approval.reminder', []],
      ['approval.escalated', []],
    ]);
    const addresses = everyEvent(s).flatMap((m) => noticesFor(m).map((n) => n.to.email));
    expect(addresses.filter((a) => a.includes(s.city.code) && a !== lishui.organisation.email)).toEqual([]);
  });

  it('tells every watcher of every event but an urge, after the parties, with a short notice', () => {
    // An urge (催办) is between the applicant and the step's reviewers: watchers are not told.
    expect(noticesFor(urged(s), { watchers: [watcherChen] }).map((n) => n.template)).toEqual(['urged.reviewer']);
    // Nor of the timers' reminders and escalations: they are the reviewers' business (ADR 0015).
    for (const m of everyEvent(s).filter((e) => !['approval.urged', 'approval.reminder', 'approval.escalated'].includes(e.name))) {
      const notices = noticesFor(m, { watchers: [watcherChen, watcherLin] });
      const event = m.name.replace('approval.', '');
      expect(notices.slice(-2).map((n) => `${n.template} ${n.to.email}`)).toEqual([`${event}.watcher ${watcherChen.email}`, `${event}.watcher ${watcherLin.email}`]);
      expect(notices.slice(0, -2)).toEqual(noticesFor(m));
    }
    // The watcher hears that it was returned, not what the applicant must correct.
    const [watcher] = noticesFor(returned(s), { watchers: [watcherChen] }).filter((n) => n.template === 'returned.watcher');
    expect(watcher!.text).not.toContain('规划面积与用地预审意见不一致');
    expect(watcher!.text).toContain('您关注的《浙江庆元经济开发区创建方案》（第 1 版）在省商务厅审核中被退回补正');
  });

  it('tells a watcher of a step once, as the applicant, and never twice about one event', () => {
    const message = assigned(s);
    const later = { ...message, payload: { ...message.payload, party: 1 } };
    const moved = { ...message, payload: { ...message.payload, reassigned: true } };
    expect(noticesFor(later, { watchers: [watcherChen] }).map((n) => n.template)).toEqual(['task_assigned.reviewer']);
    expect(noticesFor(moved, { watchers: [watcherChen] }).map((n) => n.template)).toEqual(['task_assigned.reviewer']);
    // A watcher who is a party already (any case of the address), or listed twice, gets one email.
    const watchers = [{ name: '丽水市商务局', email: 'L@Shanhai.example' }, watcherChen, { ...watcherChen, name: '陈关注' }, { name: '庆元县', email: s.applicant.email }];
    expect(noticesFor(message, { watchers }).map((n) => `${n.template} ${n.to.email}`)).toEqual([
      'task_assigned.reviewer l@shanhai.example',
      'task_assigned.applicant qingyuan@county.shanhai.example',
      `task_assigned.watcher ${watcherChen.email}`,
    ]);
  });

  it("writes each recipient's email in the language they read, zh-CN unless told", () => {
    const localeOf = (email: string): Locale => (email === xiaoshan.email || email === watcherLin.email ? 'en' : 'zh-CN');
    const notices = noticesFor(approved(s), { watchers: [watcherChen, watcherLin], localeOf });
    expect(notices.map((n) => `${n.template} ${n.locale} ${n.subject}`)).toEqual([
      'approved.applicant zh-CN 【已批准】浙江庆元经济开发区创建方案',
      'approved.stakeholder en [Approved] 浙江庆元经济开发区 establishment plan',
      'approved.watcher zh-CN 【关注】浙江庆元经济开发区创建方案已批准',
      'approved.watcher en [Following] 浙江庆元经济开发区 establishment plan approved',
    ]);
    expect(notices[1]!.html).toContain('<html lang="en">');
    expect(notices[0]!.html).toContain('<html lang="zh-CN">');
    expect(noticesFor(approved(s)).map((n) => n.locale)).toEqual(['zh-CN', 'zh-CN']);
  });

  it('names every department of a joint review in English too', () => {
    const message = assigned(s);
    const parties = [
      { code: 'zj-nr', name: '浙江省自然资源厅' },
      { code: 'zj-drc', name: '浙江省发展和改革委员会' },
      { code: 'zj-eco', name: '浙江省生态环境厅' },
    ];
    const [, applicant] = noticesFor({ ...message, payload: { ...message.payload, parties } }, { localeOf: () => 'en' });
    expect(applicant!.text).toContain('is being handled jointly by 浙江省自然资源厅, 浙江省发展和改革委员会 and 浙江省生态环境厅.');
  });
});

// ------------------------------------------------------------------ snapshots

describe('noticesFor: every template in every locale', () => {
  // Fixed facts (no random ids, no dates), so the snapshots are stable.
  const fixed: SubmissionSummary = {
    ...submission('zone_plan', '浙江庆元经济开发区'),
    submissionId: '7f4fe730-2a8e-4c1b-9d56-0e3b8a1c2d4f',
    revision: 2,
    stakeholders: [xiaoshan],
  };
  const written = (locale: Locale) =>
    new Map(everyEvent(fixed).flatMap((m) => noticesFor(m, { watchers: [watcherChen], localeOf: () => locale })).map((n) => [n.template, n] as const));

  it('writes every template, and has template files for those and no others', () => {
    for (const locale of locales) {
      expect([...written(locale).keys()].sort()).toEqual([...eventTemplateIds].sort());
      expect(templateIds(locale).sort()).toEqual([...noticeTemplateIds].sort());
    }
  });

  it.each(locales.flatMap((locale) => eventTemplateIds.map((template) => [locale, template] as const)))('%s %s', (locale, template) => {
    const n = written(locale).get(template)!;
    expect(n.locale).toBe(locale);
    expect({ subject: n.subject, text: n.text, html: n.html }).toMatchSnapshot();
  });
});

// ------------------------------------------------------------------ hostile input everywhere

describe('noticesFor: user text in every field', () => {
  /** A value that tries a header, markup, quotes and an entity, tagged to find where it went. */
  const hostile = (tag: string) => `«${tag}»\r\nBcc: x@evil.example\n<script>alert("${tag}")</script> & "${tag}"\u2028'${tag}' &amp; <b>${tag}</b>`;
  const lines = (v: string) => v.split(/\r\n|[\r\n\u2028\u2029]/);
  const escaped = (v: string) =>
    v.replace(/[&<>"'`=]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' })[c] ?? c);

  const fields = {
    title: hostile('title'),
    county: hostile('county'),
    city: hostile('city'),
    applicant: hostile('applicant'),
    stakeholder: hostile('stakeholder'),
    stepName: hostile('stepName'),
    organisation: hostile('organisation'),
    party: hostile('party'),
    opinion: hostile('opinion'),
    rejectReason: hostile('rejectReason'),
    withdrawReason: hostile('withdrawReason'),
    delegateReason: hostile('delegateReason'),
    withdrawnBy: hostile('withdrawnBy'),
    deficiencyRef: hostile('deficiencyRef'),
    deficiencyNote: hostile('deficiencyNote'),
    decidedBy: hostile('decidedBy'),
    actingFor: hostile('actingFor'),
    delegatedBy: hostile('delegatedBy'),
    delegate: hostile('delegate'),
    extensionReason: hostile('extensionReason'),
    extendedBy: hostile('extendedBy'),
    urgeNote: hostile('urgeNote'),
    urgedBy: hostile('urgedBy'),
    escalatedTo: hostile('escalatedTo'),
    watcher: hostile('watcher'),
  };
  /** Fields that no email shows: the city is not named, nor who pressed "withdraw" (the applicant is). */
  const unshown = ['city', 'withdrawnBy'];

  const s: SubmissionSummary = {
    ...submission('zone_plan', fields.title),
    county: { code: 'qingyuan', name: fields.county },
    city: { code: 'lishui', name: fields.city },
    applicant: { name: fields.applicant, email: 'qingyuan@county.shanhai.example' },
    stakeholders: [{ name: fields.stakeholder, email: 'xiaoshan@shanhai.example' }],
  };
  const step = { index: 1, key: 'province_review', name: fields.stepName, organisation: { code: 'zj-commerce', name: fields.organisation, email: 'zj@shanhai.example' } };
  const decision = { ...ref(s), taskId: randomUUID(), step, decidedBy: fields.decidedBy, actingFor: fields.actingFor, opinion: fields.opinion };
  const entered = assigned({ ...s, revision: 2 });
  const messages: NotifiableMessage[] = [
    { ...entered, payload: { ...entered.payload, step, parties: [{ code: 'zj-commerce', name: fields.party }, { code: 'zj-nr', name: fields.party }] } },
    createMessage(ApprovalApproved, decision, meta()),
    createMessage(ApprovalRejected, { ...decision, reason: fields.rejectReason }, meta()),
    createMessage(ApprovalWithdrawn, { ...ref(s), steps: [{ taskId: randomUUID(), step }], withdrawnBy: fields.withdrawnBy, reason: fields.withdrawReason }, meta()),
    createMessage(ApprovalReturned, { ...decision, deficiencies: [{ target: 'field', ref: fields.deficiencyRef, note: fields.deficiencyNote }, { target: 'attachment', ref: fields.deficiencyRef, note: fields.deficiencyNote }] }, meta()),
    createMessage(TaskDelegated, { ...ref(s), taskId: randomUUID(), step, delegatedBy: fields.delegatedBy, delegate: { userId: randomUUID(), name: fields.delegate }, reason: fields.delegateReason }, meta()),
    createMessage(DeadlineExtended, { ...ref(s), taskId: randomUUID(), step, days: 3, reason: fields.extensionReason, extendedBy: fields.extendedBy, dueOn: '2026-10-21' }, meta()),
    createMessage(ApprovalUrged, { ...ref(s), steps: [{ taskId: randomUUID(), step, dueOn: '2026-10-21' }], workingDay: '2026-10-09', urgedBy: fields.urgedBy, note: fields.urgeNote }, meta()),
    createMessage(ApprovalReminder, { ...ref(s), kind: 'before', round: 1, dueOn: '2026-10-21', daysLeft: 2, steps: [{ taskId: randomUUID(), step }] }, meta()),
    createMessage(ApprovalEscalated, { ...ref(s), round: 1, dueOn: '2026-10-21', escalatedTo: { ...zjGov, name: fields.escalatedTo }, steps: [{ taskId: randomUUID(), step }] }, meta()),
  ];
  const notices = locales.flatMap((locale) => messages.flatMap((m) => noticesFor(m, { watchers: [{ name: fields.watcher, email: 'w@shanhai.example' }], localeOf: () => locale })));

  it('covers every template in every locale, and shows every field somewhere', () => {
    expect(new Set(notices.map((n) => `${n.locale} ${n.template}`)).size).toBe(eventTemplateIds.length * locales.length);
    const shown = Object.keys(fields).filter((f) => notices.some((n) => n.text.includes(`«${f}»`)));
    expect(shown.sort()).toEqual(Object.keys(fields).filter((f) => !unshown.includes(f)).sort());
  });

  it.each(notices.map((n) => [`${n.locale} ${n.template}`, n] as const))('%s: one-line subject and header names, escaped HTML, verbatim text', (_, n) => {
    expect(n.subject).not.toMatch(/[\r\n\t\u2028\u2029]/);
    expect(n.to.name).not.toMatch(/[\r\n\t\u2028\u2029]/);

    // No markup or quote of the user's reaches the HTML unescaped, and no line of its source starts with their text.
    expect(n.html).not.toMatch(/<script|<b>|alert\("|&amp; <b>/);
    expect(n.html).not.toMatch(/^Bcc:/m);
    expect(n.html).not.toMatch(/[\r\u2028\u2029]/);

    // The plain text shows what the user typed as typed, each of their lines on an indented line of its own.
    expect(n.text).not.toMatch(/^Bcc:/m);
    expect(n.text).not.toMatch(/[\r\u2028\u2029]/);
    expect(n.text).not.toMatch(/&lt;|&quot;|&#x27;|&amp;amp;/);

    for (const [field, value] of Object.entries(fields)) {
      if (!n.text.includes(`«${field}»`)) continue;
      for (const line of lines(value)) {
        expect(n.text).toContain(line);
        expect(n.html).toContain(escaped(line));
      }
      expect(n.text).toContain(`«${field}»\n  Bcc: x@evil.example\n  <script>alert("${field}")</script> & "${field}"\n  '${field}' &amp; <b>${field}</b>`);
      // The subject is the same text on one line.
      if (n.subject.includes(`«${field}»`)) expect(n.subject).toContain(`«${field}» Bcc: x@evil.example <script>alert("${field}")</script> & "${field}" '${field}' &amp; <b>${field}</b>`);
    }
  });

  describe('to the people of an organisation', () => {
    const members = { 'zj-commerce': [{ name: '王审核', email: 'wang@zj.shanhai.example' }, { name: '李处长', email: 'li@zj.shanhai.example' }] } as Record<string, { name: string; email: string }[]>;
    const membersOf = (code: string) => members[code] ?? [];
    const s = submission('zone_plan', '浙江庆元经济开发区');

    it("tells each active account of the step's organisation, and its mailbox only when it has none", () => {
      expect(noticesFor(withdrawn(s, '规划调整'), { membersOf }).filter((n) => n.template === 'withdrawn.reviewer').map((n) => n.to.email)).toEqual([
        'wang@zj.shanhai.example',
        'li@zj.shanhai.example',
      ]);
      expect(noticesFor(assigned(s), { membersOf }).filter((n) => n.template === 'task_assigned.reviewer').map((n) => n.to.email)).toEqual(['l@shanhai.example']);
    });

    it('writes to each in their own language', () => {
      const notices = noticesFor(withdrawn(s), { membersOf, localeOf: (email) => (email.startsWith('li@') ? 'en' : 'zh-CN') });
      expect(notices.filter((n) => n.template === 'withdrawn.reviewer').map((n) => [n.to.email, n.locale])).toEqual([
        ['wang@zj.shanhai.example', 'zh-CN'],
        ['li@zj.shanhai.example', 'en'],
      ]);
    });

    it('tells the delegate of a delegated task, once, whether or not the replica lists them with their organisation', () => {
      const message = delegated(s, '请赵科员办理');
      const zhao = { name: '浙江省商务厅 赵科员', email: 'zhao@zj.shanhai.example' };
      const accountOf = (userId: string) => (userId === message.payload.delegate.userId ? zhao : undefined);
      expect(noticesFor(message, { accountOf }).map((n) => [n.template, n.to.email])).toEqual([
        ['delegated.reviewer', 'zj@shanhai.example'],
        ['delegated.reviewer', 'zhao@zj.shanhai.example'],
      ]);
      const withZhao = (code: string) => [...membersOf(code), zhao];
      expect(noticesFor(message, { accountOf, membersOf: withZhao }).map((n) => n.to.email)).toEqual(['wang@zj.shanhai.example', 'li@zj.shanhai.example', 'zhao@zj.shanhai.example']);
    });

    it("escalates to the step's organisation's supervisors (its mailbox when it has none), or to all of another organisation's people, and the assignees, each once", () => {
      const toSupervisors = createMessage(ApprovalEscalated, { ...escalated(s).payload, escalatedTo: province.organisation, supervisors: true }, meta());
      const li = members['zj-commerce']![1]!;
      const supervisorsOf = (code: string) => (code === 'zj-commerce' ? [li] : []);
      const told = (message: NotifiableMessage, options: Parameters<typeof noticesFor>[1]) => noticesFor(message, options).map((n) => [n.template, n.to.email]);
      expect(told(toSupervisors, { membersOf, supervisorsOf })).toEqual([
        ['escalated.supervisor', 'li@zj.shanhai.example'],
        ['escalated.reviewer', 'wang@zj.shanhai.example'],
      ]);
      expect(told(toSupervisors, { membersOf, supervisorsOf: () => [] })).toEqual([
        ['escalated.supervisor', 'zj@shanhai.example'],
        ['escalated.reviewer', 'wang@zj.shanhai.example'],
        ['escalated.reviewer', 'li@zj.shanhai.example'],
      ]);
      const gov = [{ name: '省政府 督查', email: 'ducha@zj-gov.shanhai.example' }];
      expect(told(escalated(s), { membersOf: (code) => (code === 'zj-gov' ? gov : membersOf(code)), supervisorsOf })).toEqual([
        ['escalated.supervisor', 'ducha@zj-gov.shanhai.example'],
        ['escalated.reviewer', 'wang@zj.shanhai.example'],
        ['escalated.reviewer', 'li@zj.shanhai.example'],
      ]);
    });
  });

  it('names deficiencies by their labels in each language, and by their path when a notice carries none', () => {
    const labelled = returned(submission('zone_plan', '浙江庆元经济开发区'), {
      deficiencies: [
        { target: 'field', ref: 'content.blocks.1.boundary.north', note: '四至不清', label: { zh: '司前区块 北至', en: '司前区块: north boundary' } },
        { target: 'attachment', ref: 'plan_eia_review_opinion', note: '缺少', label: { zh: '规划环评审查意见', en: 'plan EIA review opinion' } },
        { target: 'field', ref: 'title', note: '名称有误' },
      ] as never,
    });
    const [zh] = noticesFor(labelled);
    expect(zh!.text).toContain('1. 字段 司前区块 北至：四至不清');
    expect(zh!.text).toContain('2. 附件 规划环评审查意见：缺少');
    expect(zh!.text).toContain('3. 字段 title：名称有误');
    expect(zh!.text).not.toContain('content.blocks.1.boundary.north');
    const [en] = noticesFor(labelled, { localeOf: () => 'en' });
    expect(en!.text).toContain('1. Field 司前区块: north boundary: 四至不清');
    expect(en!.html).toContain('plan EIA review opinion');
  });
});
