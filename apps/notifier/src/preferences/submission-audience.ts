import type { Principal, Role } from '@shanhai/platform';
import type { NotifiableMessage } from '../notifications/notices.js';

/**
 * Who may hear of a submission's progress, as far as the notifier can tell from the workflow
 * events it received (it holds no access data of its own): the applicant's county, every
 * organisation seen reviewing one of its steps, and its stakeholders' addresses (lower case).
 */
export interface SubmissionAudience {
  readonly county: string;
  readonly organisations: readonly string[];
  readonly stakeholders: readonly string[];
}

/** What a watcher's access rests on: their role and scope when they subscribed, and their address. */
export interface WatcherAccess {
  readonly role: Role | null;
  readonly county?: string | null;
  readonly organisation?: string | null;
  /** Lower case. */
  readonly email: string;
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

/**
 * Whether someone may watch a submission: an admin always; otherwise only a party the notifier
 * knows of — the applicant of its county, a reviewer of an organisation seen on one of its steps,
 * a stakeholder by address. Nobody else, and nobody (but an admin) while the notifier has not
 * heard of the submission. A watcher with no role never had their access checked: not allowed.
 */
export function mayWatch(access: WatcherAccess, audience: SubmissionAudience | undefined): boolean {
  if (access.role === 'admin') return true;
  if (!audience) return false;
  switch (access.role) {
    case 'applicant':
      return !!access.county && access.county === audience.county;
    case 'reviewer':
      return !!access.organisation && audience.organisations.includes(access.organisation);
    case 'stakeholder':
      return audience.stakeholders.includes(access.email.toLowerCase());
    default:
      return false;
  }
}

/** A principal's access, as stored with their watch. */
export const accessOf = (principal: Principal, email: string): WatcherAccess => ({
  role: principal.role,
  county: principal.county ?? null,
  organisation: principal.organisation ?? null,
  email,
});
