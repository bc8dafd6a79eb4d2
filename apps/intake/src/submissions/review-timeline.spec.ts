import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  ApprovalApproved,
  ApprovalRejected,
  ApprovalResubmitted,
  ApprovalReturned,
  ApprovalStarted,
  ApprovalWithdrawn,
  createMessage,
  DeadlineExtended,
  StepApproved,
  TaskAssigned,
  TaskDelegated,
  type AnyMessageDefinition,
} from '@shanhai/contracts';
import { aQingyuanSummary } from '@shanhai/platform/testing';
import { actorOf, correctionOf, describeProgress, timelineOrder, type ReviewMessage } from './review-timeline.js';

const ref = { instanceId: randomUUID(), submission: aQingyuanSummary({ revision: 1 }), definition: { key: 'zone_plan', version: 1 } };
const step = { index: 1, key: 'province_review', name: '省商务厅审核', organisation: { code: 'zj-commerce', name: '浙江省商务厅', email: 'zj@shanhai.example' } };
const at = new Date('2026-03-05T08:00:00.000Z');
const message = <D extends AnyMessageDefinition>(d: D, payload: Parameters<typeof createMessage<D>>[1]) =>
  createMessage(d, payload, { id: randomUUID(), occurredAt: at, correlationId: 'spec' }) as ReviewMessage;

const returned = message(ApprovalReturned, {
  ...ref,
  taskId: randomUUID(),
  step,
  decidedBy: '王审核',
  actingFor: '李处长',
  opinion: '请补正后重新提交',
  deficiencies: [
    { target: 'field', ref: 'content.blocks.0.areaKm2', note: '区块面积与土地利用规划不一致' },
    { target: 'attachment', ref: 'land_use_plan', note: '缺少盖章页' },
  ],
});

describe('review timeline lines', () => {
  it('lists every deficiency of a return under its opinion, naming attachments in Chinese', () => {
    expect(describeProgress(returned)).toEqual({
      progress: { type: 'returned', step: 1 },
      entry: {
        event: 'returned',
        summary: '省商务厅审核：退回补正',
        actor: '王审核（代李处长）',
        account: null,
        opinion: '请补正后重新提交\n补正事项：\n1. 字段「content.blocks.0.areaKm2」：区块面积与土地利用规划不一致\n2. 附件「土地利用规划」：缺少盖章页',
      },
    });
  });

  it('names fields and attachments by the labels the notice carries', () => {
    const labelled = message(ApprovalReturned, {
      ...ref,
      taskId: randomUUID(),
      step,
      decidedBy: '王审核',
      deficiencies: [
        { target: 'field', ref: 'content.blocks.1.boundary.north', note: '四至不清', label: { zh: '司前区块 北至', en: '司前区块: north boundary' } },
        { target: 'attachment', ref: 'plan_eia_review_opinion', note: '缺少', label: { zh: '规划环评审查意见', en: 'plan EIA review opinion' } },
      ],
    });
    expect(describeProgress(labelled).entry.opinion).toContain('1. 字段「司前区块 北至」：四至不清\n2. 附件「规划环评审查意见」：缺少');
  });

  it('shows the applicant\'s reason on a resubmission that left a deficiency as it was', () => {
    const resubmitted = message(ApprovalResubmitted, { ...ref, submission: { ...ref.submission, revision: 2 }, revision: 2, step, resubmittedBy: '林主任', reason: '面积经复核无误' });
    expect(describeProgress(resubmitted).entry.opinion).toBe('申请人说明：面积经复核无误');
  });

  it('says which revision re-entered which step on a resubmission', () => {
    const resubmitted = message(ApprovalResubmitted, { ...ref, submission: { ...ref.submission, revision: 2 }, revision: 2, step, resubmittedBy: '林主任' });
    expect(describeProgress(resubmitted)).toEqual({
      progress: { type: 'resubmitted', step: 1 },
      entry: { event: 'resubmitted', summary: '已提交补正材料（第 2 版），重新进入省商务厅审核', actor: '林主任', account: null, opinion: null },
    });
  });

  it('shows the due date of a step entered, and an extension (延期) with its days, new due date and reason', () => {
    const assigned = message(TaskAssigned, { ...ref, taskId: randomUUID(), step, stepCount: 3, dueOn: '2026-10-10' });
    expect(describeProgress(assigned).entry.summary).toBe('省商务厅审核：已分派至浙江省商务厅（办理时限：2026-10-10）');
    const extended = message(DeadlineExtended, { ...ref, taskId: randomUUID(), step, days: 5, reason: '需征求意见', dueOn: '2026-10-17', extendedBy: '王审核' });
    expect(describeProgress(extended)).toEqual({
      progress: { type: 'deadline_extended', step: 1 },
      entry: { event: 'deadline_extended', summary: '省商务厅审核：延期 5 个工作日，办理时限延至 2026-10-17', actor: '王审核', account: null, opinion: '延期理由：需征求意见' },
    });
  });

  it('names the delegate of a delegation, with its reason', () => {
    const delegated = message(TaskDelegated, { ...ref, taskId: randomUUID(), step, delegatedBy: '李处长', delegate: { userId: randomUUID(), name: '王审核' }, reason: '出差' });
    expect(describeProgress(delegated)).toEqual({
      progress: { type: 'delegated', step: 1 },
      entry: { event: 'delegated', summary: '省商务厅审核：转办至王审核', actor: '李处长', account: null, opinion: '出差' },
    });
  });

  it('shows a delegate deciding for a reviewer, and a reviewer deciding for themselves', () => {
    const approved = message(StepApproved, { ...ref, taskId: randomUUID(), step, decidedBy: '王审核', actingFor: '李处长' });
    const rejected = message(ApprovalRejected, { ...ref, taskId: randomUUID(), step, decidedBy: '李处长', reason: '不符合条件' });
    expect(describeProgress(approved).entry.actor).toBe('王审核（代李处长）');
    expect(describeProgress(rejected).entry).toMatchObject({ actor: '李处长', opinion: '不符合条件' });
    expect(actorOf('李处长')).toBe('李处长');
  });

  it('names the signed-in account that acted on every line someone acted on, and none where no one did', () => {
    const reviewer = { userId: randomUUID(), name: '王审核', organisation: { code: 'zj-commerce', name: '浙江省商务厅' } };
    const applicant = { userId: randomUUID(), name: '林主任', county: { code: 'qingyuan', name: '庆元县' } };
    const admin = { userId: randomUUID(), name: '系统管理员' };
    const decision = { ...ref, taskId: randomUUID(), step, decidedBy: '王审核', decider: reviewer };
    const lines = [
      message(ApprovalStarted, { ...ref, stepCount: 3, actor: applicant }),
      message(TaskAssigned, { ...ref, taskId: randomUUID(), step, stepCount: 3 }),
      message(TaskAssigned, { ...ref, taskId: randomUUID(), step, stepCount: 3, reassigned: true, actor: admin }),
      message(TaskDelegated, { ...ref, taskId: randomUUID(), step, delegatedBy: '王审核', delegate: { userId: randomUUID(), name: '李' }, actor: reviewer }),
      message(StepApproved, decision),
      message(ApprovalReturned, { ...decision, deficiencies: [{ target: 'attachment', ref: 'land_use_plan', note: '缺少盖章页' }] }),
      message(ApprovalResubmitted, { ...ref, revision: 2, step, resubmittedBy: '林主任', actor: applicant }),
      message(ApprovalRejected, { ...decision, reason: '不符合条件' }),
      message(ApprovalWithdrawn, { ...ref, steps: [], withdrawnBy: '林主任', actor: applicant }),
      message(ApprovalApproved, decision),
    ].map((m) => describeProgress(m).entry);
    expect(lines.map((l) => [l.event, l.account, l.actor])).toEqual([
      ['review_started', applicant, null],
      ['step_assigned', null, null],
      ['step_assigned', admin, '系统管理员'],
      ['delegated', reviewer, '王审核'],
      ['step_approved', reviewer, '王审核'],
      ['returned', reviewer, '王审核'],
      ['resubmitted', applicant, '林主任'],
      ['rejected', reviewer, '王审核'],
      ['withdrawn', applicant, '林主任'],
      // The closing line is no one's act: the last step's decider is on its step_approved line.
      ['approved', null, null],
    ]);
  });
});

describe('the correction notice', () => {
  it('keeps the revision, step, who returned it and for whom, the opinion and every deficiency', () => {
    expect(correctionOf(returned as Extract<ReviewMessage, { name: 'approval.returned' }>)).toEqual({
      revision: 1,
      step: { index: 1, key: 'province_review', name: '省商务厅审核', organisation: '浙江省商务厅' },
      returnedBy: '王审核',
      actingFor: '李处长',
      opinion: '请补正后重新提交',
      deficiencies: [
        { target: 'field', ref: 'content.blocks.0.areaKm2', note: '区块面积与土地利用规划不一致' },
        { target: 'attachment', ref: 'land_use_plan', note: '缺少盖章页' },
      ],
      at: '2026-03-05T08:00:00.000Z',
    });
  });
});

describe('the order of timeline lines', () => {
  const line = (id: number, event: string, when = at) => ({ id: String(id), event, at: when });
  const order = (lines: ReturnType<typeof line>[]) => [...lines].sort(timelineOrder).map((l) => l.event);

  it("reads one decision's lines in the order its events happen, whatever order intake's worker wrote them in", () => {
    // Written as concurrent jobs may write them: the next step's assignment, the outcome and the start first.
    expect(order([line(1, 'step_assigned'), line(2, 'review_started')])).toEqual(['review_started', 'step_assigned']);
    expect(order([line(1, 'step_assigned'), line(2, 'step_approved')])).toEqual(['step_approved', 'step_assigned']);
    expect(order([line(1, 'approved'), line(2, 'step_approved')])).toEqual(['step_approved', 'approved']);
    expect(order([line(1, 'step_assigned'), line(2, 'resubmitted')])).toEqual(['resubmitted', 'step_assigned']);
  });

  it('keeps time first, and lines of one instant and kind as written', () => {
    const later = new Date(at.getTime() + 1);
    expect(order([line(1, 'review_started', later), line(2, 'approved')])).toEqual(['approved', 'review_started']);
    expect([line(10, 'step_assigned'), line(9, 'step_assigned')].sort(timelineOrder).map((l) => l.id)).toEqual(['9', '10']);
  });
});
