import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ApprovalWithdrawn, SubmissionSubmitted, SubmissionSubmittedV1, SubmissionWithdrawn, TaskAssigned } from './messages.js';
import { allMessages, createMessage, MessageContractError, parseMessage, routes } from './routing.js';
import { QueueName } from './queues.js';

const summary = {
  submissionId: randomUUID(),
  kind: 'zone_plan' as const,
  revision: 1,
  title: '浙江庆元经济开发区',
  county: { code: 'qingyuan', name: '庆元县' },
  city: { code: 'lishui', name: '丽水市' },
  applicant: { name: '庆元县人民政府', email: 'qingyuan@shanhai.example' },
  stakeholders: [],
};
/** What intake sends from v2 on: the summary with the revision's frozen content and attachments. */
const submitted = { ...summary, content: { zoneName: '浙江庆元经济开发区', blocks: [] }, attachments: [{ kind: 'application_letter', filename: '申请书.pdf', sha256: 'a'.repeat(64) }] };
const meta = { id: randomUUID(), occurredAt: new Date('2026-03-02T01:00:00Z'), correlationId: 'req-1' };

describe('message contracts', () => {
  it('builds an envelope a consumer parses back unchanged', () => {
    const message = createMessage(SubmissionSubmitted, submitted, meta);
    expect(message).toMatchObject({ name: 'submission.submitted', version: 2, id: meta.id, occurredAt: '2026-03-02T01:00:00.000Z' });
    expect(parseMessage(JSON.parse(JSON.stringify(message)))).toEqual(message);
  });

  it('refuses a payload that breaks its schema, naming every bad field', () => {
    const bad = { ...submitted, revision: 0, applicant: { name: '', email: 'not-an-email' } };
    expect(() => createMessage(SubmissionSubmitted, bad, meta)).toThrow(MessageContractError);
    try {
      createMessage(SubmissionSubmitted, bad, meta);
    } catch (error) {
      expect((error as MessageContractError).issues.map((i) => i.split(':')[0])).toEqual(
        expect.arrayContaining(['payload.revision', 'payload.applicant.name', 'payload.applicant.email']),
      );
    }
  });

  it('refuses unknown fields, unknown names and unknown versions', () => {
    const message = createMessage(SubmissionSubmittedV1, summary, meta);
    expect(() => parseMessage({ ...message, payload: { ...message.payload, extra: 1 } })).toThrow(/extra/);
    expect(() => parseMessage({ ...message, name: 'submission.vanished' })).toThrow(/unknown message submission.vanished@v1/);
    expect(() => parseMessage({ ...message, version: 3 })).toThrow(/unknown message submission.submitted@v3/);
    // v1 (no content) is still accepted while it drains; v2 requires the revision's content.
    expect(() => parseMessage({ ...message, version: 2 })).toThrow(/content/);
    expect(() => parseMessage(null)).toThrow(MessageContractError);
  });

  it('routes every message to at least one known queue', () => {
    const queues = Object.values(QueueName) as string[];
    for (const definition of allMessages) {
      expect(routes[definition.name].length).toBeGreaterThan(0);
      for (const queue of routes[definition.name]) expect(queues).toContain(queue);
    }
  });

  it('tells the reviewer step apart from the applicant in a task assignment', () => {
    const parsed = TaskAssigned.payload.safeParse({
      instanceId: randomUUID(),
      submission: summary,
      definition: { key: 'zone_plan', version: 1 },
      taskId: randomUUID(),
      step: { index: 0, key: 'city_pre_review', name: '市商务局初审', organisation: { code: 'lishui-commerce', name: '丽水市商务局', email: 'x@shanhai.example' } },
      stepCount: 3,
    });
    expect(parsed.success).toBe(true);
  });

  it('carries a withdrawal from intake to workflow, and its outcome to intake and the notifier', () => {
    const withdrawn = createMessage(SubmissionWithdrawn, { submissionId: summary.submissionId, revision: 1, by: '庆元县人民政府 李申报', reason: '规划调整' }, meta);
    expect(parseMessage(JSON.parse(JSON.stringify(withdrawn)))).toEqual(withdrawn);
    expect(routes['submission.withdrawn']).toEqual([QueueName.Workflow]);
    expect(() => createMessage(SubmissionWithdrawn, { submissionId: summary.submissionId, revision: 0, by: '' }, meta)).toThrow(/payload.revision.*payload.by|payload.by/);

    const step = { index: 1, key: 'province_review', name: '省商务厅审核', organisation: { code: 'zj-commerce', name: '浙江省商务厅', email: 'x@shanhai.example' } };
    const closed = createMessage(
      ApprovalWithdrawn,
      { instanceId: randomUUID(), submission: summary, definition: { key: 'zone_plan', version: 1 }, steps: [{ taskId: randomUUID(), step }], withdrawnBy: '庆元县人民政府 李申报' },
      meta,
    );
    expect(parseMessage(JSON.parse(JSON.stringify(closed))).payload).toMatchObject({ steps: [{ step: { key: 'province_review' } }] });
    expect([...routes['approval.withdrawn']].sort()).toEqual([QueueName.Intake, QueueName.Notifier].sort());
  });
});
