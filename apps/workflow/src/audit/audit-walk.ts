import { entryHash, GENESIS_HASH, HASH_FORMAT, LEGACY_HASH_FORMAT, type ChainedEntry } from './audit-chain.js';
import { HeadsDigest, type CheckpointBreakReason } from './audit-checkpoint.js';

/**
 * The walks that verify the audit trail, as pure code fed one entry at a time (the database
 * side, audit-verification.ts, reads in batches). What each reason means:
 *
 * - `hash mismatch`: the entry was changed after it was written.
 * - `broken link`: its `prevHash` is not the hash of the entry before it (in its instance; for
 *   legacy entries, in the whole trail): an entry before it was removed, inserted or moved.
 * - `sequence gap`: its instance skips a position (an entry removed and the rest re-linked).
 * - `differs from checkpoint`: a signed checkpoint recorded another hash for this position: the
 *   chain was rewritten, every hash recomputed.
 * - `missing entry`: a signed checkpoint (or the legacy boundary) names an entry that is gone: the
 *   instance's chain was cut short or deleted altogether. No id: the row is not there.
 * - `checkpoint tampered`, `unknown signing key`: a checkpoint was removed, changed or forged.
 */
export type EntryBreakReason = 'hash mismatch' | 'broken link' | 'sequence gap' | 'differs from checkpoint';
export type BreakReason = EntryBreakReason | 'missing entry' | CheckpointBreakReason;

export const breakReasons = Object.keys({
  'hash mismatch': true,
  'broken link': true,
  'sequence gap': true,
  'differs from checkpoint': true,
  'missing entry': true,
  'checkpoint tampered': true,
  'unknown signing key': true,
} satisfies Record<BreakReason, true>) as BreakReason[];

export interface BrokenEntry {
  /** The entry's id; null for a missing entry and for a checkpoint problem. */
  readonly id: string | null;
  /** Null only for a checkpoint problem. */
  readonly instanceId: string | null;
  readonly seq: number | null;
  readonly reason: BreakReason;
  /** The checkpoint that names the entry (missing, or differing from it), or the checkpoint that does not fit. */
  readonly checkpointId?: string;
}

/** An entry that is there but does not fit. */
export interface EntryBreak extends BrokenEntry {
  readonly id: string;
  readonly instanceId: string;
  readonly seq: number;
}

/** `count`: the entries that checked out (all of them when ok, those before the broken one otherwise). */
export type ChainVerdict = { readonly ok: true; readonly count: number } | { readonly ok: false; readonly count: number; readonly firstBroken: BrokenEntry };

/**
 * Where the one global chain of the first design ends (`audit_legacy`): entries up to `untilId`
 * keep its links and hash format, and the last of them must be `headHash`.
 */
export interface LegacyBoundary {
  readonly untilId: string;
  readonly headHash: string;
  readonly headInstanceId: string | null;
  readonly headSeq: number | null;
}

export const NO_LEGACY: LegacyBoundary = { untilId: '0', headHash: GENESIS_HASH, headInstanceId: null, headSeq: null };

const smaller = (a: EntryBreak | undefined, b: EntryBreak | undefined): EntryBreak | undefined => (!a ? b : !b || BigInt(a.id) <= BigInt(b.id) ? a : b);

/**
 * Walks entries in (instance, seq) order: each instance's seq from 1 without gaps, each hash
 * recomputed, and each link to the instance's previous entry (entries after the legacy boundary).
 * An instance's first break ends its walk; the others go on, so the break reported is the one
 * with the smallest id over all instances. Memory is constant; it also digests every instance's
 * last entry (`headHash`), which changes whenever anything is appended or cut.
 */
export class InstanceChainWalk {
  private readonly legacyUntil: bigint;
  private instanceId: string | undefined;
  private lastSeq = 0;
  private lastHash = GENESIS_HASH;
  private broken = false;
  private lastRead: { readonly seq: number; readonly hash: string } | undefined;
  private checked = 0;
  private first: EntryBreak | undefined;
  private readonly heads = new HeadsDigest();

  constructor(legacy: LegacyBoundary = NO_LEGACY) {
    this.legacyUntil = BigInt(legacy.untilId);
  }

  push(entry: ChainedEntry): void {
    if (entry.instanceId !== this.instanceId) this.startInstance(entry.instanceId);
    this.lastRead = { seq: entry.seq, hash: entry.hash };
    if (this.broken) return;
    const reason = this.check(entry);
    if (reason) {
      this.broken = true;
      this.first = smaller(this.first, { id: entry.id, instanceId: entry.instanceId, seq: entry.seq, reason });
      return;
    }
    this.lastSeq = entry.seq;
    this.lastHash = entry.hash;
    this.checked += 1;
  }

  /** The entries that checked out, the first break (smallest id), and the digest of every instance's last entry. */
  finish(): { readonly count: number; readonly firstBroken: EntryBreak | undefined; readonly headHash: string } {
    this.startInstance(undefined);
    return { count: this.checked, firstBroken: this.first, headHash: this.heads.digest() };
  }

  private startInstance(instanceId: string | undefined): void {
    if (this.instanceId !== undefined && this.lastRead) this.heads.push({ instanceId: this.instanceId, ...this.lastRead });
    this.instanceId = instanceId;
    this.lastSeq = 0;
    this.lastHash = GENESIS_HASH;
    this.broken = false;
    this.lastRead = undefined;
  }

  private check(entry: ChainedEntry): EntryBreakReason | undefined {
    const legacy = BigInt(entry.id) <= this.legacyUntil;
    // The link first: an entry removed, inserted or moved shows there, at the entry after it.
    // Legacy entries link through the whole trail instead (LegacyChainWalk).
    if (!legacy && entry.prevHash !== this.lastHash) return 'broken link';
    if (entryHash(entry, entry.prevHash, legacy ? LEGACY_HASH_FORMAT : HASH_FORMAT) !== entry.hash) return 'hash mismatch';
    if (entry.seq !== this.lastSeq + 1) return 'sequence gap';
    return undefined;
  }
}

/** The part of an entry the legacy walk reads. */
export type LinkedEntry = Pick<ChainedEntry, 'id' | 'instanceId' | 'seq' | 'prevHash' | 'hash'>;

/**
 * Walks the legacy entries (ids up to the boundary) in id order through their global links, and
 * checks that the last is the boundary's head: a legacy tail cut off shows as a missing entry.
 */
export class LegacyChainWalk {
  private previous = GENESIS_HASH;
  private first: EntryBreak | undefined;

  constructor(private readonly boundary: LegacyBoundary) {}

  /** False once a link broke (the first in id order is the one reported). */
  push(entry: LinkedEntry): boolean {
    if (this.first) return false;
    if (entry.prevHash !== this.previous) {
      this.first = { id: entry.id, instanceId: entry.instanceId, seq: entry.seq, reason: 'broken link' };
      return false;
    }
    this.previous = entry.hash;
    return true;
  }

  finish(): { readonly broken: EntryBreak | undefined; readonly missing: BrokenEntry | undefined } {
    if (this.first || this.previous === this.boundary.headHash) return { broken: this.first, missing: undefined };
    return { broken: undefined, missing: { id: null, instanceId: this.boundary.headInstanceId, seq: this.boundary.headSeq, reason: 'missing entry' } };
  }
}

/**
 * The break to report: the entry break with the smallest id, else a missing entry, else a
 * checkpoint problem. Entries come first because a broken entry is the most precise finding; a
 * checkpoint problem last because it says only that the record of the chains was touched. On a
 * tie, the first listed wins (the legacy walk's broken link, as the global chain always said).
 */
export function firstBreak(found: { readonly entries: readonly (EntryBreak | undefined)[]; readonly missing: readonly (BrokenEntry | undefined)[]; readonly checkpoint?: BrokenEntry }): BrokenEntry | undefined {
  return found.entries.reduce<EntryBreak | undefined>(smaller, undefined) ?? found.missing.find(Boolean) ?? found.checkpoint;
}

/** Verifies entries held in memory (any order), with the legacy boundary of their trail. */
export function verifyChain(entries: readonly ChainedEntry[], legacy: LegacyBoundary = NO_LEGACY): ChainVerdict & { readonly headHash: string } {
  const walk = new InstanceChainWalk(legacy);
  const byInstance = [...entries].sort((a, b) => (a.instanceId === b.instanceId ? a.seq - b.seq : a.instanceId < b.instanceId ? -1 : 1));
  for (const entry of byInstance) walk.push(entry);
  const chains = walk.finish();
  const legacyWalk = new LegacyChainWalk(legacy);
  const byId = entries.filter((e) => BigInt(e.id) <= BigInt(legacy.untilId)).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  for (const entry of byId) if (!legacyWalk.push(entry)) break;
  const old = legacyWalk.finish();
  const broken = firstBreak({ entries: [old.broken, chains.firstBroken], missing: [old.missing] });
  if (!broken) return { ok: true, count: chains.count, headHash: chains.headHash };
  const before = broken.id === null ? chains.count : entries.filter((e) => BigInt(e.id) < BigInt(broken.id!)).length;
  return { ok: false, count: before, firstBroken: broken, headHash: chains.headHash };
}
