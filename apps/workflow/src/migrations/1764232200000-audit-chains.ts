import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What appends took before this migration, to serialise them on the one global chain. */
const OLD_CHAIN_LOCK = 0x4155444954;

/**
 * Per-instance audit chains with signed checkpoints (ADR 0013), instead of one global chain
 * behind an advisory lock.
 *
 * - `audit_chain_heads`: each instance's last entry (seq, hash), upserted with every append, and
 *   how far a checkpoint has recorded it. Mutable bookkeeping: what it says is signed into the
 *   next checkpoint, and verification checks the entries against the checkpoints, not this table.
 * - `audit_checkpoints`, `audit_checkpoint_heads`: append-only, like `audit_entries`.
 * - `audit_legacy`: one row, written here only: where the old global chain ends. Entries up to
 *   `until_id` keep their global links and hash format 1; `head_*` is the last of them.
 *
 * Stop every workflow replica of the old version before running it: an old replica would go on
 * appending globally linked entries after the boundary, which verification then refuses.
 */
export class AuditChains1764232200000 implements MigrationInterface {
  name = 'AuditChains1764232200000';

  async up(q: QueryRunner): Promise<void> {
    // The old appenders' lock ("AUDIT", see the previous AuditService): the boundary is read after
    // the last of their transactions committed.
    await q.query('SELECT pg_advisory_xact_lock($1)', [OLD_CHAIN_LOCK]);
    await q.query(`
      CREATE TABLE audit_chain_heads (
        instance_id uuid PRIMARY KEY REFERENCES instances (id),
        seq int NOT NULL CHECK (seq > 0),
        hash char(64) NOT NULL,
        checkpointed_seq int NOT NULL DEFAULT 0 CHECK (checkpointed_seq >= 0)
      )`);
    // What the next checkpoint reads: only the heads that moved since the last one.
    await q.query('CREATE INDEX audit_chain_heads_unchecked_idx ON audit_chain_heads (instance_id) WHERE seq > checkpointed_seq');
    await q.query(`
      CREATE TABLE audit_checkpoints (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        head_count int NOT NULL CHECK (head_count > 0),
        digest char(64) NOT NULL,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL,
        key_id text NOT NULL,
        signature char(64) NOT NULL
      )`);
    await q.query(`
      CREATE TABLE audit_checkpoint_heads (
        -- Deferred: a checkpoint's heads are written before the checkpoint, whose digest covers them.
        checkpoint_id bigint NOT NULL REFERENCES audit_checkpoints (id) DEFERRABLE INITIALLY DEFERRED,
        instance_id uuid NOT NULL,
        seq int NOT NULL CHECK (seq > 0),
        hash char(64) NOT NULL,
        PRIMARY KEY (checkpoint_id, instance_id)
      )`);
    await q.query(`
      CREATE TABLE audit_legacy (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        until_id bigint NOT NULL,
        head_hash char(64) NOT NULL,
        head_instance_id uuid,
        head_seq int
      )`);

    // As audit_entries_append_only, naming the table it guards.
    await q.query(`
      CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'raise_exception';
      END
      $$`);
    for (const table of ['audit_checkpoints', 'audit_checkpoint_heads', 'audit_legacy']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`);
    }

    // Every existing chain's head, not yet checkpointed: the first signed checkpoint covers them all.
    await q.query(`
      INSERT INTO audit_chain_heads (instance_id, seq, hash)
      SELECT DISTINCT ON (instance_id) instance_id, seq, hash FROM audit_entries ORDER BY instance_id, seq DESC`);
    await q.query(`
      INSERT INTO audit_legacy (until_id, head_hash, head_instance_id, head_seq)
      SELECT coalesce(last.id, 0), coalesce(last.hash, repeat('0', 64)), last.instance_id, last.seq
      FROM (SELECT 1) AS one LEFT JOIN (SELECT id, hash, instance_id, seq FROM audit_entries ORDER BY id DESC LIMIT 1) AS last ON true`);

    // The service's role (migration 1764230800000) appends checkpoints but never changes them,
    // never writes the boundary, and never deletes a chain head (which would hide a deleted chain
    // from the next checkpoint).
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'shanhai_workflow_app') THEN
          REVOKE UPDATE, DELETE, TRUNCATE ON audit_checkpoints, audit_checkpoint_heads FROM shanhai_workflow_app;
          REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_legacy FROM shanhai_workflow_app;
          REVOKE DELETE, TRUNCATE ON audit_chain_heads FROM shanhai_workflow_app;
        END IF;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Entries appended since keep per-instance links: the old global verification refuses them.
    await q.query('DROP TABLE audit_legacy');
    await q.query('DROP TABLE audit_checkpoint_heads');
    await q.query('DROP TABLE audit_checkpoints');
    await q.query('DROP TABLE audit_chain_heads');
    await q.query('DROP FUNCTION audit_append_only()');
  }
}
