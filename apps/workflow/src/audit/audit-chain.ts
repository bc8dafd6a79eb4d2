import { createHash } from 'node:crypto';
import type { InstanceEvent } from '@shanhai/domain';

/**
 * The audit trail's hash chain, as pure functions: what an entry's hash covers, and how a walk
 * over the entries in order (by id) finds the first one that does not fit.
 *
 * One chain over the whole table, not one per instance: each entry's `prevHash` is the hash of the
 * entry before it in the table. A per-instance chain detects tampering inside an instance but not
 * the removal of an instance's entries altogether; one global chain does (the entry after the gap
 * no longer links). Appends are serialised by a transaction-level advisory lock (see AuditTrail),
 * which costs nothing at the rate people decide approvals. `seq` still numbers each instance's
 * entries from 1, so a gap inside an instance is named as such.
 *
 * What no chain can show on its own: the newest entries cut off the end, or the whole tail
 * rewritten by someone who recomputes every hash after it. Keeping the head hash elsewhere
 * (printed by `npm run audit:verify`) closes that.
 */

export const GENESIS_HASH = '0'.repeat(64);

/** Bumped if what the hash covers ever changes; it is part of every hash. */
const HASH_FORMAT = 1;

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

/** sha256 (hex) of the canonical serialisation of every field and the previous entry's hash. */
export function entryHash(fields: AuditFields, prevHash: string): string {
  const { instanceId, seq, actor, actingFor, account, action, opinion, fromStatus, toStatus, fromStep, toStep, revision, definitionKey, definitionVersion, at, data } = fields;
  const covered = {
    format: HASH_FORMAT,
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

export type BreakReason = 'hash mismatch' | 'broken link' | 'sequence gap';

export interface BrokenEntry {
  readonly id: string;
  readonly instanceId: string;
  readonly seq: number;
  readonly reason: BreakReason;
}

/** `count`: the entries that checked out (all of them when ok, those before the broken one otherwise). */
export type ChainVerdict = { readonly ok: true; readonly count: number } | { readonly ok: false; readonly count: number; readonly firstBroken: BrokenEntry };

/**
 * Walks entries in chain order, one batch at a time, and remembers the first break. Memory grows
 * with the number of instances (their last seq), not with the number of entries.
 */
export class ChainWalk {
  private previousHash = GENESIS_HASH;
  private readonly lastSeq = new Map<string, number>();
  private count = 0;
  private broken: BrokenEntry | undefined;

  /** Checks the next entry; false once the chain is broken (later entries are not looked at). */
  push(entry: ChainedEntry): boolean {
    if (this.broken) return false;
    const reason = this.check(entry);
    if (reason) {
      this.broken = { id: entry.id, instanceId: entry.instanceId, seq: entry.seq, reason };
      return false;
    }
    this.previousHash = entry.hash;
    this.lastSeq.set(entry.instanceId, entry.seq);
    this.count += 1;
    return true;
  }

  verdict(): ChainVerdict {
    return this.broken ? { ok: false, count: this.count, firstBroken: this.broken } : { ok: true, count: this.count };
  }

  /** The hash of the last entry that checked out: worth keeping elsewhere to detect a cut tail. */
  get headHash(): string {
    return this.previousHash;
  }

  private check(entry: ChainedEntry): BreakReason | undefined {
    // The link first: an entry removed, inserted or moved shows there, at the entry after it.
    if (entry.prevHash !== this.previousHash) return 'broken link';
    if (entryHash(entry, entry.prevHash) !== entry.hash) return 'hash mismatch';
    if (entry.seq !== (this.lastSeq.get(entry.instanceId) ?? 0) + 1) return 'sequence gap';
    return undefined;
  }
}

/** Verifies entries given in chain order (by id). */
export function verifyChain(entries: Iterable<ChainedEntry>): ChainVerdict {
  const walk = new ChainWalk();
  for (const entry of entries) if (!walk.push(entry)) break;
  return walk.verdict();
}

/** Links `fields` (in order) after the entry whose hash is `prevHash`. */
export function chain<F extends AuditFields>(fields: readonly F[], prevHash: string): (F & { prevHash: string; hash: string })[] {
  let previous = prevHash;
  return fields.map((f) => {
    const hash = entryHash(f, previous);
    const linked = { ...f, prevHash: previous, hash };
    previous = hash;
    return linked;
  });
}
