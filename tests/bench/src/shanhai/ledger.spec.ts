import { describe, expect, it } from '@jest/globals';
import { decisionToEmail, latencies, Ledger, mailStage, STAKEHOLDERS } from './ledger.js';

describe(mailStage.name, () => {
  it.each([
    ['【已批准】浙江庆元经济开发区 BENCH-ab12-closed-0001创建方案', { kind: 'approved' }],
    ['【进度】浙江庆元经济开发区 BENCH-ab12-closed-0001创建方案已进入省级部门会审', { kind: 'step', name: '省级部门会审' }],
    ['【待审】山海协作·庆元招商推介会 BENCH-ab12-open-0002申请（省商务厅办公室审批）', { kind: 'step', name: '省商务厅办公室审批' }],
    ['【转办】浙江庆元经济开发区创建方案（省商务厅审核）', null],
  ])('reads %s', (subject, stage) => {
    expect(mailStage(subject)).toEqual(stage);
  });
});

const mail = (subject: string, receivedAt: number) => ({ subject, to: ['x@shanhai.example'], receivedAt });

/** An event through its two steps: 主办单位审核 by 丽水 (1 person), 省商务厅办公室审批 (2 people). */
function approvedEvent() {
  const people: Record<string, number> = { 'lishui-commerce': 1, 'zj-commerce-office': 2 };
  const ledger = new Ledger('BENCH-ab12-closed', (o) => people[o] ?? 1);
  const s = ledger.create('promotion_event');
  ledger.identify(s, 'sub-1');
  s.submitSentAt = 1000;
  s.tasks.set('t1', { stepIndex: 0, stepName: '主办单位审核', organisation: 'lishui-commerce' });
  s.tasks.set('t2', { stepIndex: 1, stepName: '省商务厅办公室审批', organisation: 'zj-commerce-office' });
  s.decisions.push({ taskId: 't1', stepIndex: 0, sentAt: 2000, answeredAt: 2050 }, { taskId: 't2', stepIndex: 1, sentAt: 3000, answeredAt: 3050 });
  s.approvedAt = 3050;
  const title = `山海协作·庆元招商推介会 ${s.tag}申请`;
  for (const m of [
    mail(`【进度】${title}已进入主办单位审核`, 1300),
    mail(`【待审】${title}（主办单位审核）`, 1400),
    mail(`【待审】${title}（省商务厅办公室审批）`, 2200),
    mail(`【进度】${title}已进入省商务厅办公室审批`, 2300),
    mail(`【待审】${title}（省商务厅办公室审批）`, 2250),
    mail(`【已批准】${title}`, 3400),
    mail(`【已批准】${title}`, 3500),
    mail(`【已批准】${title}`, 3600),
    mail('【进度】someone else’s BENCH-ab12-open-0001', 3000),
  ]) ledger.onMail(m);
  return { ledger, s };
}

describe(Ledger.name, () => {
  it('files each email under the submission its subject names, and counts the others', () => {
    const { ledger, s } = approvedEvent();
    expect([s.mails.length, ledger.others]).toEqual([8, 1]);
    expect(s.tag).toBe('BENCH-ab12-closed-0001');
  });

  it("expects each task's people, the applicant per step and for the approval, and the stakeholders", () => {
    const { ledger, s } = approvedEvent();
    expect(ledger.expectedEmails(s)).toBe(1 + 2 + 2 + 1 + STAKEHOLDERS);
    expect(ledger.isComplete(s)).toBe(true);
  });

  it('expects nothing yet of a submission under review', () => {
    const { ledger, s } = approvedEvent();
    s.approvedAt = null;
    expect([ledger.expectedEmails(s), ledger.isComplete(s)]).toEqual([null, false]);
  });

  it('counts a transition for the submission and each decision', () => {
    expect(approvedEvent().ledger.transitions).toBe(3);
  });
});

describe(decisionToEmail.name, () => {
  it("times each step from its last decision to the first email of what follows: the next step, or the approval after the last", () => {
    expect(decisionToEmail(approvedEvent().s)).toEqual([2200 - 2000, 3400 - 3000]);
  });

  it('starts a countersigned step at its last decision', () => {
    const { s } = approvedEvent();
    s.decisions.push({ taskId: 't1b', stepIndex: 0, sentAt: 2100, answeredAt: 2150 });
    expect(decisionToEmail(s)[0]).toBe(2200 - 2100);
  });
});

describe(latencies.name, () => {
  it('times submit to the first and to the last email', () => {
    const l = latencies([approvedEvent().s]);
    expect([l.submitToFirstEmailMs.p50, l.submitToLastEmailMs.p50, l.decisionToEmailMs.n]).toEqual([300, 2600, 2]);
  });
});
