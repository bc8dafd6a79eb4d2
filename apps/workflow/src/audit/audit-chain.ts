import { createHash } from 'node:crypto';
import type { InstanceEvent } from '@shanhai/domain';

/**
 * The audit trail's hash chains, as pure functions: what an entry's hash covers, and the walks that
 * find the first entry that does not fit.
 *
 * One chain per instance: an entry's `prevHash` is the hash of its instance's previous entry
 * (`seq - 1`), 64 zeros for `seq` 1. Appends to one instance are already serialised by the caller,
 * which holds the instance's row, so nothing serialises appends to different instances. What a
 * per-instance chain cannot show on its own, an instance's entries deleted altogether or its newest
 * ones cut off, the signed checkpoints over every chain's head show (audit-checkpoint.ts, ADR 0013).
 *
 * Entries written before the per-instance chains (ids up to the legacy boundary, `audit_legacy`)
 * form one chain over the whole table, in id order, with hash format 1; those links still hold and
 * are checked as they were. The first new entry of an old instance links to that instance's last
 * old entry.
 */

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Part of every hash, bumped when what the hash covers or what `prevHash` means changes:
 * 1 for the entries of the one global chain (id order), 2 for the per-instance chains.
 */
export const HASH_FORMAT = 2;
export const LEGACY_HASH_FORMAT = 1;

/** Every event type an entry records, as its `action`. */
export const auditActions = Object.keys({
  started: true,
  step_assigned: true,
  step_approved: true,
  step_completed: true,
  approved: true,
  rejected: true,
  returned: true,
  resubmitted: true,
  delegated: true,
  reassigned: true,
  withdrawn: true,
  deadline_extended: true,
  deadline_set: true,
  clock_paused: true,
  clock_resumed: true,
  deadline_recomputed: true,
  reminded: true,
  escalated: true,
  urged: true,
} satisfies Record<InstanceEvent['type'], true>) as InstanceEvent['type'][];

/** The fields an entry's hash covers, except its own `prevHash`. */
export interface AuditFields {
  readonly instanceId: string;
  readonly seq: number;
  readonly actor: string;
  readonly actingFor: string | null;
  /** Covered only when set: entries written before accounts were recorded keep their hashes. */
  readonly account: object | null;
  readonly action: string;
  readonly opinion: string | null;
  readonly fromStatus: string | null;
  readonly toStatus: string;
  readonly fromStep: number | null;
  readonly toStep: number | null;
  readonly revision: number;
  readonly definitionKey: string;
  readonly definitionVersion: number;
  readonly at: Date;
  /** The domain event, in its JSON form (what jsonb gives back). */
  readonly data: object;
}

export interface ChainedEntry extends AuditFields {
  /** bigint, as PostgreSQL's driver gives it: a string. */
  readonly id: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** JSON with object keys sorted at every level and `undefined` members left out: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .sort()
    .filter((k) => record[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`)
    .join(',')}}`;
}

/** sha256 (hex) of the canonical serialisation of every field, the previous entry's hash and the format. */
export function entryHash(fields: AuditFields, prevHash: string, format: number = HASH_FORMAT): string {
  const { instanceId, seq, actor, actingFor, account, action, opinion, fromStatus, toStatus, fromStep, toStep, revision, definitionKey, definitionVersion, at, data } = fields;
  const covered = {
    format,
    instanceId,
    seq,
    actor,
    actingFor,
    account: account ?? undefined,
    action,
    opinion,
    fromStatus,
    toStatus,
    fromStep,
    toStep,
    revision,
    definitionKey,
    definitionVersion,
    at: at.toISOString(),
    data,
    prevHash,
  };
  return createHash('sha256').update(canonicalJson(covered), 'utf8').digest('hex');
}


/** Links `fields` (in order) after the entry whose hash is `prevHash`. */
export function chain<F extends AuditFields>(fields: readonly F[], prevHash: string, format: number = HASH_FORMAT): (F & { prevHash: string; hash: string })[] {
  let previous = prevHash;
  return fields.map((f) => {
    const hash = entryHash(f, previous, format);
    const linked = { ...f, prevHash: previous, hash };
    previous = hash;
    return linked;
  });
}
