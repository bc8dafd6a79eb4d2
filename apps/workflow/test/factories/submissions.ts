import { randomUUID } from 'node:crypto';
import type { SubmissionSummary } from '@shanhai/contracts';

/** What intake would send for Suichang's plan (遂昌), reviewed first by 丽水市商务局; override what a spec needs. */
export const aSubmission = (overrides: Partial<SubmissionSummary> = {}): SubmissionSummary => ({
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
