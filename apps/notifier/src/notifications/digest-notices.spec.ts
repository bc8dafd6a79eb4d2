import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ApprovalDigest, createMessage, type DigestTask } from '@shanhai/contracts';
import { planDigest } from './digest-notices.js';
import { noticeTemplates } from './notices.js';

const organisation = { code: 'lishui-commerce', name: '丽水市商务局', email: 'lishui@shanhai.example' };
const task = (title: string, overrides: Partial<DigestTask> = {}): DigestTask => ({
  taskId: randomUUID(),
  instanceId: randomUUID(),
  submissionId: randomUUID(),
  kind: 'zone_plan',
  title,
  county: '庆元县',
  stepName: '市商务局初审',
  overdue: false,
  ...overrides,
});
const digest = (tasks: DigestTask[]) => createMessage(ApprovalDigest, { organisation, date: '2026-10-12', tasks }, { id: randomUUID(), occurredAt: new Date('2026-10-12T00:30:00Z'), correlationId: 'spec' });
const message = digest([
  task('浙江庆元经济开发区', { dueOn: '2026-10-09', overdue: true }),
  task('庆元县竹产业招商推介会', { kind: 'promotion_event', county: '庆元县', stepName: '主办单位审核', dueOn: '2026-10-14' }),
  task('浙江遂昌经济开发区', { county: '遂昌县' }),
]);

describe(planDigest.name, () => {
  it('writes one email to each member of the organisation and each delegate, once, listing every task with its due date and overdue mark', () => {
    const members = [{ name: '王审核', email: 'wang@lishui.shanhai.example' }, { name: '李处长', email: 'li@lishui.shanhai.example' }];
    const planned = planDigest(message, members, [{ name: '赵科员', email: 'zhao@lishui.shanhai.example' }, { name: '王审核', email: 'WANG@lishui.shanhai.example' }]);
    expect(planned.map((n) => n.to.email)).toEqual(['wang@lishui.shanhai.example', 'li@lishui.shanhai.example', 'zhao@lishui.shanhai.example']);
    expect(planned.every((n) => n.template === 'digest.reviewer' && n.statutory === noticeTemplates['digest.reviewer'].statutory)).toBe(true);

    const zh = planned[0]!.render('zh-CN');
    expect(zh.subject).toBe('【每日待办】丽水市商务局 2026-10-12：3 件待审，1 件已超期');
    expect(zh.text.split('\n').slice(0, 5)).toEqual([
      '王审核：',
      '截至 2026-10-12，丽水市商务局有以下 3 件待审事项：',
      '1. 《浙江庆元经济开发区创建方案》（庆元县）市商务局初审，办理时限 2026-10-09【已超期】',
      '2. 《庆元县竹产业招商推介会申请》（庆元县）主办单位审核，办理时限 2026-10-14',
      '3. 《浙江遂昌经济开发区创建方案》（遂昌县）市商务局初审，无办理时限',
    ]);
    expect(zh.html).toContain('【已超期】');

    const en = planned[1]!.render('en');
    expect(en.subject).toBe('[Daily digest] 丽水市商务局 2026-10-12: 3 pending, 1 overdue');
    expect(en.text).toContain('1. 浙江庆元经济开发区 establishment plan (庆元县), 市商务局初审: due on 2026-10-09 [OVERDUE]');
    expect(en.text).toContain('3. 浙江遂昌经济开发区 establishment plan (遂昌县), 市商务局初审: no time limit');
  });

  it("writes to the organisation's mailbox when it has no active account, and escapes what users typed", () => {
    const hostile = digest([task('<script>alert("x")</script>\r\nBcc: x@evil.example')]);
    const [only] = planDigest(hostile, []);
    expect(only!.to).toEqual({ name: '丽水市商务局', email: 'lishui@shanhai.example' });
    const mail = only!.render('en');
    expect(mail.subject).toBe('[Daily digest] 丽水市商务局 2026-10-12: 1 pending');
    expect(mail.html).not.toMatch(/<script/);
    expect(mail.text).not.toMatch(/^Bcc:/m);
    expect(mail.text).toContain('has 1 pending task:');
  });
});
