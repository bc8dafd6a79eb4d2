import type { NotifiableMessage } from '../notifications/notices.js';

/**
 * A submission's parties, as far as the notifier can tell from the workflow events it
 * received (it holds no access data of its own): the applicant's county, every
 * organisation seen reviewing one of its steps, and its stakeholders' addresses (lower case).
 * Who of them may hear of it is `accessPolicy.watch` (access-policy.ts).
 */
export interface SubmissionAudience {
  readonly county: string;
  readonly organisations: readonly string[];
  readonly stakeholders: readonly string[];
}

/** The audience one workflow event reveals of its submission (merged with what earlier ones revealed). */
export function audienceOf(message: NotifiableMessage): SubmissionAudience & { readonly submissionId: string } {
  const p = message.payload;
  const organisations = new Set<string>();
  if ('step' in p) organisations.add(p.step.organisation.code);
  if ('steps' in p) for (const { step } of p.steps) organisations.add(step.organisation.code);
  if ('parties' in p) for (const party of p.parties ?? []) organisations.add(party.code);
  // The host of a promotion event reviews its first step: a party of the submission from the start.
  if (p.submission.hostOrganisation) organisations.add(p.submission.hostOrganisation);
  return {
    submissionId: p.submission.submissionId,
    county: p.submission.county.code,
    organisations: [...organisations].sort(),
    stakeholders: [...new Set(p.submission.stakeholders.map((s) => s.email.trim().toLowerCase()))].sort(),
  };
}
