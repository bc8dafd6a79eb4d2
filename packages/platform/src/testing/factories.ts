import { randomUUID } from 'node:crypto';
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
