import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** How long a key is remembered: a client retries within minutes, a day is ample. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/**
 * A claim still `in_progress` after this long belongs to a process that died mid-request: the next
 * request with the key takes it over. Far beyond any handler's run (they are one transaction each).
 */
export const IDEMPOTENCY_LEASE_SECONDS = 10 * 60;

export interface StoredResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** A claim on a key; `claimedAt` (microseconds, as text) tells this claim from a later takeover. */
export interface Claim {
  readonly scope: string;
  readonly key: string;
  readonly claimedAt: string;
}

export type ClaimOutcome =
  | { readonly kind: 'claimed'; readonly claim: Claim }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'in_progress' }
  | { readonly kind: 'reused' };

interface Row {
  fingerprint: string;
  status: 'in_progress' | 'completed';
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: unknown;
}

/** The `idempotency_keys` table, in plain SQL: every step is one statement, safe under concurrency. */
@Injectable()
export class IdempotencyStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Claims `(scope, key)` for a request with `fingerprint`, or says what became of the request
   * that holds it. An expired key, or a claim abandoned past its lease, counts as absent.
   */
  async claim(scope: string, key: string, fingerprint: string): Promise<ClaimOutcome> {
    // A claim released between our INSERT and SELECT leaves nothing to read: try again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const claimed = await this.dataSource.query<{ claimed_at: string }[]>(
        `INSERT INTO idempotency_keys AS k (scope, key, fingerprint, status, created_at, expires_at)
         VALUES ($1, $2, $3, 'in_progress', now(), now() + make_interval(secs => $4))
         ON CONFLICT (scope, key) DO UPDATE
           SET fingerprint = EXCLUDED.fingerprint, status = 'in_progress', response_status = NULL,
               response_headers = NULL, response_body = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
           WHERE k.expires_at <= now() OR (k.status = 'in_progress' AND k.created_at <= now() - make_interval(secs => $5))
         RETURNING created_at::text AS claimed_at`,
        [scope, key, fingerprint, IDEMPOTENCY_TTL_SECONDS, IDEMPOTENCY_LEASE_SECONDS],
      );
      if (claimed.length) {
        await this.deleteExpired();
        return { kind: 'claimed', claim: { scope, key, claimedAt: claimed[0]!.claimed_at } };
      }
      const [row] = await this.dataSource.query<Row[]>(
        `SELECT fingerprint, status, response_status, response_headers, response_body
           FROM idempotency_keys WHERE scope = $1 AND key = $2 AND expires_at > now()`,
        [scope, key],
      );
      if (!row) continue;
      if (row.fingerprint !== fingerprint) return { kind: 'reused' };
      if (row.status === 'in_progress') return { kind: 'in_progress' };
      return { kind: 'replay', response: { status: row.response_status ?? 200, headers: row.response_headers ?? {}, body: row.response_body } };
    }
    return { kind: 'in_progress' };
  }

  /** Records the response of a claimed request; from now on a retry gets it replayed. */
  async complete(claim: Claim, response: StoredResponse): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys
          SET status = 'completed', response_status = $4, response_headers = $5::jsonb, response_body = $6::jsonb
        WHERE scope = $1 AND key = $2 AND created_at = $3::timestamptz AND status = 'in_progress'`,
      [claim.scope, claim.key, claim.claimedAt, response.status, JSON.stringify(response.headers), JSON.stringify(response.body ?? null)],
    );
  }

  /** Gives the key back, as if never sent: the next request with it runs the handler. */
  async release(claim: Claim): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND created_at = $3::timestamptz AND status = 'in_progress'`, [
      claim.scope,
      claim.key,
      claim.claimedAt,
    ]);
  }

  /** Opportunistic clean-up, a bounded batch per claim: no job to schedule, and the table stays small. */
  private async deleteExpired(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(SELECT ctid FROM idempotency_keys WHERE expires_at <= now() LIMIT 100))`,
    );
  }
}
