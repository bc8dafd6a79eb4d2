import type { JwtKey } from '@shanhai/platform';
import type { EntityManager } from 'typeorm';
import { CheckpointWalk, HeadsDigest, type Checkpoint, type CheckpointBreakReason } from './audit-checkpoint.js';
import { AuditEntry } from './audit-entry.entity.js';
import {
  firstBreak,
  InstanceChainWalk,
  LegacyChainWalk,
  NO_LEGACY,
  type BrokenEntry,
  type ChainVerdict,
  type EntryBreak,
  type LegacyBoundary,
  type LinkedEntry,
} from './audit-walk.js';

const VERIFY_BATCH = 1000;

export type AuditVerification = ChainVerdict & {
  /** How many checkpoints checked out. */
  readonly checkpoints: number;
  /** The hash of the last checkpoint that checked out (null before the first): keep it elsewhere. */
  readonly checkpointHash: string | null;
  /** The digest of every instance's last entry as read: it changes whenever anything is appended or cut. */
  readonly headHash: string;
};

/** Reads rows in keyset batches: `fetch` gets the last row of the previous batch (none for the first). */
class Cursor<T> {
  private buffer: T[] = [];
  private last: T | undefined;
  private done = false;

  constructor(
    private readonly fetch: (after: T | undefined) => Promise<T[]>,
    private readonly batchSize: number,
  ) {}

  async peek(): Promise<T | undefined> {
    if (!this.buffer.length && !this.done) {
      this.buffer = await this.fetch(this.last);
      if (this.buffer.length < this.batchSize) this.done = true;
    }
    return this.buffer[0];
  }

  async next(): Promise<T | undefined> {
    const row = await this.peek();
    if (row !== undefined) this.last = this.buffer.shift();
    return row;
  }
}

/**
 * Verifies the whole audit trail in one read-only snapshot, in batches (memory does not grow with
 * the trail), and names the first thing that does not fit (see audit-walk.ts for the reasons):
 *
 * 1. every instance's chain, in (instance, seq) order: seq from 1, each hash, each link;
 * 2. the legacy entries (up to `audit_legacy.until_id`) by id through their global links, the
 *    last being the boundary's head;
 * 3. the checkpoints by id: each linked to the one before, its heads giving its digest, its hash,
 *    its signature by a key of `keys`;
 * 4. every head a valid checkpoint recorded is still there with that hash (one anti-join): an
 *    instance's entries deleted, or cut short, after a checkpoint are a missing entry.
 *
 * Reported: the entry break with the smallest id, else a missing entry, else a checkpoint problem.
 * Also the CLI's (`npm run audit:verify`).
 */
export async function verifyAuditTrail(manager: EntityManager, keys: readonly JwtKey[], batchSize = VERIFY_BATCH): Promise<AuditVerification> {
  return manager.transaction('REPEATABLE READ', async (m) => {
    await m.query('SET TRANSACTION READ ONLY');
    const legacy = await legacyBoundary(m);
    const chains = await walkChains(m, legacy, batchSize);
    const old = await walkLegacy(m, legacy, batchSize);
    const checkpoints = await walkCheckpoints(m, keys, batchSize);
    const recorded = await recordedHeadsGone(m, checkpoints.lastId);
    const broken = firstBreak({
      entries: [old.broken, chains.firstBroken, recorded.differs],
      missing: [recorded.missing, old.missing],
      ...(checkpoints.broken ? { checkpoint: { id: null, instanceId: null, seq: null, ...checkpoints.broken } } : {}),
    });
    const summary = { checkpoints: checkpoints.count, checkpointHash: checkpoints.lastHash, headHash: chains.headHash };
    if (!broken) return { ok: true, count: chains.count, ...summary };
    return { ok: false, count: broken.id === null ? chains.count : await countBefore(m, broken.id), firstBroken: broken, ...summary };
  });
}

/** The one row the per-instance migration wrote; none is read as no legacy entries (which then fail their hashes). */
async function legacyBoundary(m: EntityManager): Promise<LegacyBoundary> {
  const [row] = await m.query<LegacyBoundary[]>(
    'SELECT until_id::text AS "untilId", head_hash AS "headHash", head_instance_id AS "headInstanceId", head_seq AS "headSeq" FROM audit_legacy',
  );
  return row ?? NO_LEGACY;
}

async function walkChains(m: EntityManager, legacy: LegacyBoundary, batchSize: number): Promise<ReturnType<InstanceChainWalk['finish']>> {
  const walk = new InstanceChainWalk(legacy);
  const entries = new Cursor<AuditEntry>((after) => {
    const query = m.createQueryBuilder(AuditEntry, 'e').orderBy('e.instanceId', 'ASC').addOrderBy('e.seq', 'ASC').limit(batchSize);
    if (after) query.where('(e.instanceId, e.seq) > (:instanceId, :seq)', { instanceId: after.instanceId, seq: after.seq });
    return query.getMany();
  }, batchSize);
  for (let entry = await entries.next(); entry; entry = await entries.next()) walk.push(entry);
  return walk.finish();
}

async function walkLegacy(m: EntityManager, legacy: LegacyBoundary, batchSize: number): Promise<ReturnType<LegacyChainWalk['finish']>> {
  const walk = new LegacyChainWalk(legacy);
  const entries = new Cursor<LinkedEntry>(
    (after) =>
      m.query(
        // e.id, not id: the output column `id` is text, and would sort '10' before '9'.
        `SELECT e.id::text AS id, e.instance_id AS "instanceId", e.seq, e.prev_hash AS "prevHash", e.hash
         FROM audit_entries e WHERE e.id > $1 AND e.id <= $2 ORDER BY e.id LIMIT $3`,
        [after?.id ?? '0', legacy.untilId, batchSize],
      ),
    batchSize,
  );
  for (let entry = await entries.next(); entry; entry = await entries.next()) if (!walk.push(entry)) break;
  return walk.finish();
}

interface StoredHead {
  readonly checkpointId: string;
  readonly instanceId: string;
  readonly seq: number;
  readonly hash: string;
}

/** Checkpoints and their heads side by side, both in key order. `lastId`: the last checkpoint that checked out ('0' for none). */
async function walkCheckpoints(
  m: EntityManager,
  keys: readonly JwtKey[],
  batchSize: number,
): Promise<{ count: number; lastHash: string | null; lastId: string; broken?: { checkpointId: string; reason: CheckpointBreakReason } }> {
  const walk = new CheckpointWalk(keys);
  const checkpoints = new Cursor<Checkpoint>(
    (after) =>
      m.query(
        `SELECT c.id::text AS id, c.at, c.head_count AS "headCount", c.digest, c.prev_hash AS "prevHash", c.hash, c.key_id AS "keyId", c.signature
         FROM audit_checkpoints c WHERE c.id > $1 ORDER BY c.id LIMIT $2`,
        [after?.id ?? '0', batchSize],
      ),
    batchSize,
  );
  const heads = new Cursor<StoredHead>(
    (after) =>
      m.query(
        `SELECT checkpoint_id::text AS "checkpointId", instance_id AS "instanceId", seq, hash
         FROM audit_checkpoint_heads WHERE (checkpoint_id, instance_id) > ($1::bigint, $2::uuid) ORDER BY checkpoint_id, instance_id LIMIT $3`,
        [after?.checkpointId ?? '0', after?.instanceId ?? '00000000-0000-0000-0000-000000000000', batchSize],
      ),
    batchSize,
  );
  let lastId = '0';
  for (let checkpoint = await checkpoints.next(); checkpoint; checkpoint = await checkpoints.next()) {
    const id = BigInt(checkpoint.id);
    const digest = new HeadsDigest();
    // Heads of a checkpoint that is gone are passed over: the link of the one after it shows the gap.
    for (let head = await heads.peek(); head && BigInt(head.checkpointId) <= id; head = await heads.peek()) {
      await heads.next();
      if (BigInt(head.checkpointId) === id) digest.push(head);
    }
    if (!walk.push(checkpoint, { digest: digest.digest(), count: digest.count })) break;
    lastId = checkpoint.id;
  }
  return { ...walk.verdict(), lastId };
}

/**
 * The heads that checkpoints up to `lastId` recorded and that are gone (no entry at that seq) or
 * differ (another hash there: the chain was rewritten). The smallest differing entry id first,
 * then the missing, lowest instance and seq first.
 */
async function recordedHeadsGone(m: EntityManager, lastId: string): Promise<{ differs?: EntryBreak; missing?: BrokenEntry }> {
  const [row] = await m.query<{ checkpointId: string; instanceId: string; seq: number; entryId: string | null }[]>(
    `SELECT ch.checkpoint_id::text AS "checkpointId", ch.instance_id AS "instanceId", ch.seq, e.id::text AS "entryId"
     FROM audit_checkpoint_heads ch LEFT JOIN audit_entries e ON e.instance_id = ch.instance_id AND e.seq = ch.seq
     WHERE ch.checkpoint_id <= $1 AND (e.id IS NULL OR e.hash <> ch.hash)
     ORDER BY e.id NULLS LAST, ch.instance_id, ch.seq, ch.checkpoint_id
     LIMIT 1`,
    [lastId],
  );
  if (!row) return {};
  const named = { instanceId: row.instanceId, seq: row.seq, checkpointId: row.checkpointId };
  return row.entryId === null ? { missing: { id: null, ...named, reason: 'missing entry' } } : { differs: { id: row.entryId, ...named, reason: 'differs from checkpoint' } };
}

async function countBefore(m: EntityManager, id: string): Promise<number> {
  const [row] = await m.query<{ n: number }[]>('SELECT count(*)::int AS n FROM audit_entries WHERE id < $1', [id]);
  return row?.n ?? 0;
}

/** The one line `npm run audit:verify` prints. */
export function verdictLine(v: AuditVerification): string {
  if (v.ok) return `audit: ok, ${v.count} entries, ${v.checkpoints} checkpoints, last checkpoint ${v.checkpointHash ?? 'none'}, heads ${v.headHash}\n`;
  const b = v.firstBroken;
  if (b.id !== null) {
    const at = `entry ${b.id} (instance ${b.instanceId}, seq ${b.seq}${b.checkpointId ? `, checkpoint ${b.checkpointId}` : ''})`;
    return `audit: BROKEN at ${at}: ${b.reason}; ${v.count} entries before it check out\n`;
  }
  const at = b.instanceId !== null ? `instance ${b.instanceId}, seq ${b.seq} (${b.checkpointId ? `named by checkpoint ${b.checkpointId}` : 'the legacy boundary'})` : `checkpoint ${b.checkpointId}`;
  return `audit: BROKEN at ${at}: ${b.reason}; ${v.count} entries check out\n`;
}
