import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { auditSettingsOf, WORKFLOW_CONFIG, type AuditSettings, type WorkflowConfig } from '../config.js';
import { GENESIS_HASH } from './audit-chain.js';
import { HeadsDigest, sealCheckpoint, type Checkpoint, type CheckpointHead } from './audit-checkpoint.js';

/** Ties the replicas' checkpoint runs together (advisory locks are per database). */
const LOCK_KEY = "hashtext('shanhai.workflow.audit-checkpoint')";
const HEADS_BATCH = 1000;

export type CheckpointOutcome =
  | { readonly outcome: 'created'; readonly checkpoint: Checkpoint }
  /** No chain advanced since the last checkpoint. */
  | { readonly outcome: 'nothing to checkpoint' }
  /** Another replica is making one right now. */
  | { readonly outcome: 'busy' };

/** The heads of a batch, copied into the checkpoint: the ones that moved since a checkpoint last recorded them. */
const copyHeads = (after: string | undefined) => `
  WITH batch AS (
    SELECT instance_id, seq, hash FROM audit_chain_heads
    WHERE seq > checkpointed_seq ${after === undefined ? '' : 'AND instance_id > $3'}
    ORDER BY instance_id LIMIT $2
  ), copied AS (
    INSERT INTO audit_checkpoint_heads (checkpoint_id, instance_id, seq, hash) SELECT $1, instance_id, seq, hash FROM batch
    RETURNING instance_id, seq, hash
  )
  SELECT instance_id AS "instanceId", seq, hash FROM copied`;

/**
 * Marks the recorded heads as checkpointed up to what was recorded (a head that moved on since is
 * recorded again next time). Rows an append holds right now are skipped rather than waited for:
 * they are recorded again next time, and no append ever waits for more than this statement.
 */
const MARK_CHECKPOINTED = `
  WITH seen AS (
    SELECT h.instance_id, c.seq FROM audit_checkpoint_heads c JOIN audit_chain_heads h ON h.instance_id = c.instance_id
    WHERE c.checkpoint_id = $1
    FOR UPDATE OF h SKIP LOCKED
  )
  UPDATE audit_chain_heads h SET checkpointed_seq = GREATEST(h.checkpointed_seq, seen.seq) FROM seen WHERE h.instance_id = seen.instance_id`;

/**
 * Signed checkpoints over every instance's chain head (audit-checkpoint.ts, ADR 0013). Every
 * replica tries every AUDIT_CHECKPOINT_MS; one wins each time (a transaction-level try-lock) and
 * the others skip. Admins can ask for one at once (`POST /admin/audit/checkpoints`).
 */
@Injectable()
export class AuditCheckpoints implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditCheckpoints.name);
  private readonly settings: AuditSettings;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(WORKFLOW_CONFIG) config: WorkflowConfig,
  ) {
    this.settings = auditSettingsOf(config);
    if (!this.settings.signingKeys.length) throw new Error('AUDIT_SIGNING_KEYS lists no key');
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.settings.checkpointMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * One checkpoint, in one transaction: the heads that moved, copied in batches into the
   * checkpoint and digested as they come; the checkpoint, linked to the one before and signed
   * with the first key; then the heads marked as checkpointed.
   */
  async checkpoint(now: Date = new Date()): Promise<CheckpointOutcome> {
    return this.dataSource.transaction(async (m) => {
      const [lock] = await m.query<{ locked: boolean }[]>(`SELECT pg_try_advisory_xact_lock(${LOCK_KEY}) AS locked`);
      if (!lock?.locked) return { outcome: 'busy' };
      const [moved] = await m.query<unknown[]>('SELECT 1 FROM audit_chain_heads WHERE seq > checkpointed_seq LIMIT 1');
      if (!moved) return { outcome: 'nothing to checkpoint' };
      // The heads are written before the checkpoint row (whose digest covers them): its id first.
      const [{ id } = { id: '' }] = await m.query<{ id: string }[]>(`SELECT nextval(pg_get_serial_sequence('audit_checkpoints', 'id'))::text AS id`);
      const digest = new HeadsDigest();
      for (let after: string | undefined; ; ) {
        const batch = await m.query<CheckpointHead[]>(copyHeads(after), after === undefined ? [id, HEADS_BATCH] : [id, HEADS_BATCH, after]);
        // RETURNING keeps no order; each batch is the next range of instance ids.
        batch.sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1)).forEach((head) => digest.push(head));
        if (batch.length < HEADS_BATCH) break;
        after = batch[batch.length - 1]!.instanceId;
      }
      if (!digest.count) return { outcome: 'nothing to checkpoint' };
      const [previous] = await m.query<{ hash: string }[]>('SELECT hash FROM audit_checkpoints ORDER BY id DESC LIMIT 1');
      const sealed = sealCheckpoint({ prevHash: previous?.hash ?? GENESIS_HASH, at: now, digest: digest.digest(), headCount: digest.count }, this.settings.signingKeys[0]!);
      await m.query(
        `INSERT INTO audit_checkpoints (id, at, head_count, digest, prev_hash, hash, key_id, signature) OVERRIDING SYSTEM VALUE
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, sealed.at, sealed.headCount, sealed.digest, sealed.prevHash, sealed.hash, sealed.keyId, sealed.signature],
      );
      await m.query(MARK_CHECKPOINTED, [id]);
      return { outcome: 'created', checkpoint: { id, ...sealed } };
    });
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.checkpoint()
      .then((r) => {
        if (r.outcome === 'created') this.logger.log(`audit checkpoint ${r.checkpoint.id}: ${r.checkpoint.headCount} chain heads, hash ${r.checkpoint.hash}`);
      })
      .catch((error: unknown) => this.logger.error(`audit checkpoint failed: ${(error as Error).message}`))
      .finally(() => (this.running = undefined));
  }
}
