import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ApprovalApproved, ApprovalWithdrawn, createMessage, TaskAssigned, type SubmissionSummary } from '@shanhai/contracts';
import { audienceOf } from './submission-audience.js';

const s: SubmissionSummary = {
  submissionId: randomUUID(),
  kind: 'promotion_event',
  revision: 1,
  title: '松阳茶产业招商推介会',
  county: { code: 'songyang', name: '松阳县' },
  city: { code: 'lishui', name: '丽水市' },
  applicant: { name: '松阳县人民政府', email: 'songyang@county.shanhai.example' },
  stakeholders: [{ name: '柯桥经济技术开发区', email: 'KeQiao@Zone.Shanhai.Example' }],
  hostOrganisation: 'songyang-commerce',
};
const org = (code: string) => ({ code, name: code, email: `${code}@shanhai.example` });
const step = (code: string, index = 0) => ({ index, key: `step_${index}`, name: `第${index + 1}步`, organisation: org(code) });
const ref = { instanceId: randomUUID(), submission: s, definition: { key: 'promotion_event', version: 1 } };
const meta = () => ({ id: randomUUID(), occurredAt: new Date(), correlationId: 'spec' });

describe('submission audience', () => {
  it("reads the county, every organisation of the event's steps and parties, the host, and the stakeholders in lower case", () => {
    const assigned = createMessage(
      TaskAssigned,
      { ...ref, taskId: randomUUID(), step: step('lishui-commerce', 1), stepCount: 3, party: 0, parties: [{ code: 'lishui-commerce', name: '丽水市商务局' }, { code: 'lishui-nr', name: '丽水市自然资源局' }] },
      meta(),
    );
    expect(audienceOf(assigned)).toEqual({
      submissionId: s.submissionId,
      county: 'songyang',
      organisations: ['lishui-commerce', 'lishui-nr', 'songyang-commerce'],
      stakeholders: ['keqiao@zone.shanhai.example'],
    });
    const withdrawn = createMessage(ApprovalWithdrawn, { ...ref, steps: [{ taskId: randomUUID(), step: step('zj-commerce', 2) }, { taskId: randomUUID(), step: step('zj-nr', 2) }], withdrawnBy: '松阳县人民政府' }, meta());
    expect(audienceOf(withdrawn).organisations).toEqual(['songyang-commerce', 'zj-commerce', 'zj-nr']);
    const { hostOrganisation: _host, ...zonePlan } = s;
    const approved = createMessage(ApprovalApproved, { ...ref, submission: { ...zonePlan, kind: 'zone_plan', stakeholders: [] }, taskId: randomUUID(), step: step('zj-commerce', 2), decidedBy: '王审核' }, meta());
    expect(audienceOf(approved)).toMatchObject({ organisations: ['zj-commerce'], stakeholders: [] });
  });
});
