import { createHash, randomUUID } from 'node:crypto';
import type { SubmissionSummary } from '@shanhai/contracts';

/**
 * What intake sends workflow when a plan is submitted: Suichang's plan (遂昌), first reviewed by
 * 丽水市商务局. Specs override what they need.
 */
export const aSubmissionSummary = (overrides: Partial<SubmissionSummary> = {}): SubmissionSummary => ({
  submissionId: randomUUID(),
  kind: 'zone_plan',
  revision: 1,
  title: '浙江遂昌经济开发区',
  county: { code: 'suichang', name: '遂昌县' },
  city: { code: 'lishui', name: '丽水市' },
  applicant: { name: '遂昌县人民政府', email: 'suichang@shanhai.example' },
  stakeholders: [],
  ...overrides,
});

/** The same for Qingyuan's plan (庆元), as the intake specs submit it. */
export const aQingyuanSummary = (overrides: Partial<SubmissionSummary> = {}): SubmissionSummary =>
  aSubmissionSummary({
    title: '浙江庆元经济开发区',
    county: { code: 'qingyuan', name: '庆元县' },
    applicant: { name: '庆元县人民政府', email: 'qingyuan@shanhai.example' },
    ...overrides,
  });

/** A revision's content as intake freezes it: Suichang's plan with one block. */
export const aPlanContent = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  zoneName: '浙江遂昌经济开发区',
  blocks: [{ name: '上江区块', areaKm2: 3.2, boundary: { east: '东至龙谷丽人', south: '南至松阴溪', west: '西至S325省道', north: '北至金竹山' } }],
  leadingIndustries: ['金属制品', '数字经济'],
  ...overrides,
});

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/** The payload of `submission.submitted@v2`: a summary with the revision's content and attachments. */
export const aSubmittedPayload = (
  summary: SubmissionSummary = aSubmissionSummary(),
  revision: { content?: Record<string, unknown>; attachments?: { kind: string; filename: string; sha256: string }[] } = {},
) => ({
  ...summary,
  content: revision.content ?? aPlanContent(),
  attachments: revision.attachments ?? [
    { kind: 'application_letter', filename: '申请书.pdf', sha256: sha('application_letter') },
    { kind: 'land_use_plan', filename: '土地利用规划.pdf', sha256: sha('land_use_plan') },
  ],
});
