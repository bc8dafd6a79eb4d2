import type { Principal, Role } from '@shanhai/platform';
import type { SubmissionAudience } from './submission-audience.js';

/**
 * Who may hear of a submission's progress (watch it, and be told of its events): the notifier's
 * one access rule, once. It gives the check for one watcher and one audience already loaded
 * (`allows`) and the same rule as a WHERE condition over stored watchers (`where`).
 * `access-policy.spec.ts` runs both over a table of watchers and audiences and fails where they
 * disagree. The delivery log and the reconciliation are admins' alone (`@Roles('admin')` on their
 * controllers): no row rule applies there.
 */

/** What a watcher's access rests on: their role and scope when they subscribed, and their address. */
export interface WatcherAccess {
  readonly role: Role | null;
  readonly county?: string | null;
  readonly organisation?: string | null;
  /** Lower case. */
  readonly email: string;
}

/** A condition for `andWhere(sql, params)`. */
export interface AccessCondition {
  readonly sql: string;
  readonly params: Record<string, never>;
}

export const accessPolicy = {
  watch: {
    /**
     * Whether someone may watch a submission: an admin always; otherwise only a party the notifier
     * knows of — the applicant of its county, a reviewer of an organisation seen on one of its
     * steps, a stakeholder by address. Nobody else, and nobody (but an admin) while the notifier
     * has not heard of the submission. A watcher with no role never had their access checked: not allowed.
     */
    allows(access: WatcherAccess, audience: SubmissionAudience | undefined): boolean {
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
    },

    /**
     * The same rule over `submission_watchers` rows under `alias`, each judged by the role, scope
     * and address stored with it against its submission's `submission_audience` row (none: the
     * notifier has not heard of it). Written in column names, so it reads the same inside TypeORM and out.
     */
    where(alias: string): AccessCondition {
      const a = `${alias}_audience`;
      const party = [
        `(${alias}.role = 'applicant' AND ${alias}.county <> '' AND ${alias}.county = ${a}.county)`,
        `(${alias}.role = 'reviewer' AND ${alias}.organisation <> '' AND ${alias}.organisation = ANY (${a}.organisations))`,
        `(${alias}.role = 'stakeholder' AND lower(${alias}.email) = ANY (${a}.stakeholders))`,
      ].join(' OR ');
      return {
        sql: `(${alias}.role = 'admin' OR EXISTS (SELECT 1 FROM submission_audience ${a} WHERE ${a}.submission_id = ${alias}.submission_id AND (${party})))`,
        params: {},
      };
    },
  },
} as const;

/** A principal's access, as stored with their watch. */
export const accessOf = (principal: Principal, email: string): WatcherAccess => ({
  role: principal.role,
  county: principal.county ?? null,
  organisation: principal.organisation ?? null,
  email,
});
