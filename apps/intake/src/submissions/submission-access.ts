import type { Principal } from '@shanhai/platform';
import type { Submission } from './submission.entity.js';

/**
 * Who may see a submission: admins; the applicant county; reviewers of organisations a step was
 * assigned to; the paired zone once submitted. Anyone else is told it does not exist.
 */
export function canRead(principal: Principal, s: Pick<Submission, 'countyCode' | 'status' | 'reviewingOrganisations' | 'pairedZoneCode'>): boolean {
  switch (principal.role) {
    case 'admin':
      return true;
    case 'applicant':
      return principal.county === s.countyCode;
    case 'reviewer':
      return s.status !== 'draft' && !!principal.organisation && s.reviewingOrganisations.includes(principal.organisation);
    case 'stakeholder':
      return s.status !== 'draft' && !!principal.zone && principal.zone === s.pairedZoneCode;
  }
}

/** Only the applicant county changes its own submissions. */
export const canChange = (principal: Principal, s: Pick<Submission, 'countyCode'>): boolean =>
  principal.role === 'applicant' && principal.county === s.countyCode;
