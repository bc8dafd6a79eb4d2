import type { Principal } from '@shanhai/platform';
import type { ObjectLiteral } from 'typeorm';
import type { Submission } from './submission.entity.js';

/**
 * Who may read or change a submission: every rule of intake's, once, as the check on a loaded row
 * (`allows`) and the same rule as a WHERE condition for a query (`where`), so a list never shows
 * what a read by id would refuse. `submission-access.spec.ts` runs both over a table of
 * principals and rows and fails where they disagree. Whoever is refused a read is told the
 * submission does not exist (404).
 */

/** A condition on the rows under an alias, for `andWhere(sql, params)`; `all` when nothing is filtered out. */
export type AccessCondition = 'all' | { readonly sql: string; readonly params: ObjectLiteral };

type ReadRow = Pick<Submission, 'countyCode' | 'status' | 'reviewingOrganisations' | 'pairedZoneCode'>;

export const accessPolicy = {
  /** Admins; the applicant county; reviewers of organisations a step was assigned to; the paired zone once submitted. */
  read: {
    allows(principal: Principal, s: ReadRow): boolean {
      switch (principal.role) {
        case 'admin':
          return true;
        case 'applicant':
          return !!principal.county && principal.county === s.countyCode;
        case 'reviewer':
          return s.status !== 'draft' && !!principal.organisation && s.reviewingOrganisations.includes(principal.organisation);
        case 'stakeholder':
          return s.status !== 'draft' && !!principal.zone && principal.zone === s.pairedZoneCode;
      }
    },
    where(principal: Principal, alias: string): AccessCondition {
      const param = `${alias}_access`;
      switch (principal.role) {
        case 'admin':
          return 'all';
        case 'applicant':
          return principal.county ? { sql: `${alias}.county_code = :${param}`, params: { [param]: principal.county } } : none;
        case 'reviewer':
          return principal.organisation
            ? { sql: `${alias}.status <> 'draft' AND :${param} = ANY(${alias}.reviewing_organisations)`, params: { [param]: principal.organisation } }
            : none;
        case 'stakeholder':
          return principal.zone ? { sql: `${alias}.status <> 'draft' AND ${alias}.paired_zone_code = :${param}`, params: { [param]: principal.zone } } : none;
      }
    },
  },
  /** Only the applicant county changes its own submissions (and files its events' reports). */
  change: {
    allows: (principal: Principal, s: Pick<Submission, 'countyCode'>): boolean => principal.role === 'applicant' && !!principal.county && principal.county === s.countyCode,
  },
} as const;

const none: AccessCondition = { sql: 'false', params: {} };

/** The read rule on a loaded row (see accessPolicy.read). */
export const canRead = (principal: Principal, s: ReadRow): boolean => accessPolicy.read.allows(principal, s);

/** The change rule on a loaded row (see accessPolicy.change). */
export const canChange = (principal: Principal, s: Pick<Submission, 'countyCode'>): boolean => accessPolicy.change.allows(principal, s);
