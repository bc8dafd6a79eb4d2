import { createHash, createHmac, timingSafeEqual, type Hash } from 'node:crypto';
import type { JwtKey } from '@shanhai/platform';
import { canonicalJson, GENESIS_HASH } from './audit-chain.js';

/**
 * Signed checkpoints over the heads of every instance's chain, as pure functions. A checkpoint
 * records, for each instance whose chain advanced since the one before, its last entry (seq and
 * hash); it is hash-chained to the checkpoint before it and signed with an HMAC key the database
 * does not hold. A chain deleted or cut short after a checkpoint recorded its head is then missing
 * an entry that a signed checkpoint names (see audit-walk.ts and ADR 0013).
 */

/** Part of every checkpoint's hash, bumped if what it covers ever changes. */
export const CHECKPOINT_FORMAT = 1;

/** One instance's chain head as a checkpoint records it. */
export interface CheckpointHead {
  readonly instanceId: string;
  readonly seq: number;
  readonly hash: string;
}

/** What a checkpoint's hash covers. */
export interface CheckpointFields {
  /** The hash of the checkpoint before it; 64 zeros for the first. */
  readonly prevHash: string;
  readonly at: Date;
  /** headsDigest of its heads. */
  readonly digest: string;
  readonly headCount: number;
}

export interface SealedCheckpoint extends CheckpointFields {
  readonly hash: string;
  /** The kid of the AUDIT_SIGNING_KEYS key that signed it. */
  readonly keyId: string;
  /** HMAC-SHA256 (hex) of `hash` under that key. */
  readonly signature: string;
}

export interface Checkpoint extends SealedCheckpoint {
  /** bigint, as text. Checkpoint order. */
  readonly id: string;
}

/**
 * sha256 over the canonical JSON of the heads, in ascending instance id order (the order
 * PostgreSQL sorts uuids in), fed one head at a time so no checkpoint is ever held in memory.
 */
export class HeadsDigest {
  private readonly sha: Hash = createHash('sha256').update('[');
  private last: string | undefined;
  private heads = 0;

  push(head: CheckpointHead): void {
    if (this.last !== undefined && head.instanceId <= this.last) throw new Error(`heads out of order: ${head.instanceId} after ${this.last}`);
    this.sha.update(`${this.heads ? ',' : ''}${canonicalJson({ instanceId: head.instanceId, seq: head.seq, hash: head.hash })}`, 'utf8');
    this.last = head.instanceId;
    this.heads += 1;
  }

  get count(): number {
    return this.heads;
  }

  /** The digest of the heads pushed so far (more may follow). */
  digest(): string {
    return this.sha.copy().update(']').digest('hex');
  }
}

/** The digest of `heads`, in any order: the same as canonicalJson of the sorted list, hashed. */
export function headsDigest(heads: Iterable<CheckpointHead>): string {
  const digest = new HeadsDigest();
  for (const head of [...heads].sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0))) digest.push(head);
  return digest.digest();
}

/** sha256 (hex) of the canonical checkpoint: format, previous hash, time, digest and head count. */
export function checkpointHash({ prevHash, at, digest, headCount }: CheckpointFields): string {
  return createHash('sha256').update(canonicalJson({ format: CHECKPOINT_FORMAT, prevHash, at: at.toISOString(), digest, headCount }), 'utf8').digest('hex');
}

export const checkpointSignature = (hash: string, key: JwtKey): string => createHmac('sha256', key.secret).update(hash, 'utf8').digest('hex');

/** Hashes and signs a checkpoint with `key` (the first AUDIT_SIGNING_KEYS key). */
export function sealCheckpoint(fields: CheckpointFields, key: JwtKey): SealedCheckpoint {
  const hash = checkpointHash(fields);
  return { ...fields, hash, keyId: key.kid, signature: checkpointSignature(hash, key) };
}

export type CheckpointBreakReason = 'checkpoint tampered' | 'unknown signing key';

/** The heads a stored checkpoint lists, as read back: their digest and how many there are. */
export interface ListedHeads {
  readonly digest: string;
  readonly count: number;
}

/**
 * Walks the checkpoints in id order and stops at the first that does not fit: a link to the one
 * before it that does not hold (one removed, inserted or moved), heads that do not give its digest
 * and count (a head row removed, added or changed), a hash that does not cover its fields, or a
 * signature that no key made. Every key of AUDIT_SIGNING_KEYS verifies.
 */
export class CheckpointWalk {
  private previousHash = GENESIS_HASH;
  private checked = 0;
  private broken: { readonly checkpointId: string; readonly reason: CheckpointBreakReason } | undefined;

  constructor(private readonly keys: readonly JwtKey[]) {}

  push(checkpoint: Checkpoint, listed: ListedHeads): boolean {
    if (this.broken) return false;
    const reason = this.check(checkpoint, listed);
    if (reason) {
      this.broken = { checkpointId: checkpoint.id, reason };
      return false;
    }
    this.previousHash = checkpoint.hash;
    this.checked += 1;
    return true;
  }

  /** How many checked out; the hash of the last that did (null before any); the first that did not. */
  verdict(): { readonly count: number; readonly lastHash: string | null; readonly broken?: { readonly checkpointId: string; readonly reason: CheckpointBreakReason } } {
    const lastHash = this.checked ? this.previousHash : null;
    return this.broken ? { count: this.checked, lastHash, broken: this.broken } : { count: this.checked, lastHash };
  }

  private check(c: Checkpoint, listed: ListedHeads): CheckpointBreakReason | undefined {
    if (c.prevHash !== this.previousHash) return 'checkpoint tampered';
    if (listed.count !== c.headCount || listed.digest !== c.digest) return 'checkpoint tampered';
    if (checkpointHash(c) !== c.hash) return 'checkpoint tampered';
    const key = this.keys.find((k) => k.kid === c.keyId);
    if (!key) return 'unknown signing key';
    const expected = Buffer.from(checkpointSignature(c.hash, key), 'hex');
    const given = Buffer.from(c.signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected) ? undefined : 'checkpoint tampered';
  }
}
