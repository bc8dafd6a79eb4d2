import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ApprovalApproved, SubmissionSubmitted, summaryPart } from './messages.js';
import { createMessage, parseMessage } from './routing.js';

const meta = { id: randomUUID(), occurredAt: new Date('2027-05-10T01:00:00Z'), correlationId: 'req-1' };

/** A summary exactly as intake produced it before events existed: no hostOrganisation member at all. */
const zonePlan = {
  submissionId: randomUUID(),
  kind: 'zone_plan' as const,
  revision: 1,
  title: '浙江庆元经济开发区',
  county: { code: 'qingyuan', name: '庆元县' },
  city: { code: 'lishui', name: '丽水市' },
  applicant: { name: '庆元县人民政府', email: 'qingyuan@shanhai.example' },
  stakeholders: [],
};
const event = { ...zonePlan, kind: 'promotion_event' as const, title: '山海协作·庆元生态工业产业链招商推介会', hostOrganisation: 'lishui-commerce' };

describe('submission summary: the host organisation', () => {
  it('keeps a summary without it valid, as queued before the field existed', () => {
    const queued = { ...meta, name: 'submission.submitted', version: 1, occurredAt: meta.occurredAt.toISOString(), payload: zonePlan };
    const parsed = parseMessage(JSON.parse(JSON.stringify(queued)));
    expect(parsed.payload).toEqual(zonePlan);
    expect('hostOrganisation' in parsed.payload).toBe(false);
  });

  it("carries an event's host organisation to workflow and on in every approval message", () => {
    const submitted = createMessage(SubmissionSubmitted, { ...event, content: { theme: '生态工业' }, attachments: [] }, meta);
    expect(submitted.payload).toMatchObject({ hostOrganisation: 'lishui-commerce' });
    // What workflow carries on is the summary alone, without the revision's content.
    expect(summaryPart(submitted.payload)).toEqual(event);
    const step = { index: 1, key: 'office_approval', name: '省商务厅办公室审批', organisation: { code: 'zj-commerce-office', name: '浙江省商务厅办公室', email: 'o@shanhai.example' } };
    const approved = createMessage(
      ApprovalApproved,
      { instanceId: randomUUID(), submission: event, definition: { key: 'promotion_event', version: 1 }, taskId: randomUUID(), step, decidedBy: '办公室 审批人' },
      meta,
    );
    expect(parseMessage(JSON.parse(JSON.stringify(approved))).payload).toMatchObject({ submission: { hostOrganisation: 'lishui-commerce' } });
  });

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(65)],
    ['not text', 42],
  ])('refuses a host organisation that is %s', (_, hostOrganisation) => {
    expect(SubmissionSubmitted.payload.safeParse({ ...event, content: {}, attachments: [], hostOrganisation }).success).toBe(false);
  });
});
