import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ApprovalWithdrawn, createMessage, TaskAssigned, type SubmissionSummary } from '@shanhai/contracts';
import { noticesFor } from './notices.js';

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
});
