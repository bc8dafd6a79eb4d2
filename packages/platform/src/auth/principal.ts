import type { Request } from 'express';

export const ROLES = ['applicant', 'reviewer', 'stakeholder', 'admin'] as const;

/**
 * - applicant: a county government, acting for its `county`;
 * - reviewer: an `organisation` (city bureau, province department…), reviewing the steps assigned to it;
 * - stakeholder: read-only on what concerns it, e.g. a paired advanced `zone`;
 * - admin: maintains the directory and definitions, operates queues and audit.
 */
export type Role = (typeof ROLES)[number];

/** Who is calling: the verified content of an access token. */
export interface Principal {
  readonly userId: string;
  readonly username: string;
  readonly name: string;
  readonly role: Role;
  /** Code of the applicant's county; always set for applicants. */
  readonly county?: string;
  /** Code of the reviewer's organisation; always set for reviewers. */
  readonly organisation?: string;
  /** Code of the stakeholder's zone, e.g. a paired advanced zone. */
  readonly zone?: string;
  /** The user's email, as the directory has it; absent from tokens signed before it was added. */
  readonly email?: string;
  /** When the token was issued (seconds since the epoch, its `iat`): checked against the revocation list. */
  readonly issuedAt?: number;
}

/**
 * Services filter by `county`/`organisation`; a principal without its scope is refused at the edge
 * (signing and verifying) rather than reaching a query that might not filter at all.
 */
export function scopeProblem(principal: Pick<Principal, 'role' | 'county' | 'organisation'>): string | undefined {
  if (principal.role === 'applicant' && !principal.county) return 'an applicant needs a county';
  if (principal.role === 'reviewer' && !principal.organisation) return 'a reviewer needs an organisation';
  return undefined;
}

/** A request the AuthGuard let through carries its principal. */
export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}
