import { evolve, type InstanceEvent, type InstanceState } from '@shanhai/domain';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { chain, GENESIS_HASH } from '../audit/audit-chain.js';
import { auditFields, type AuditActor } from '../audit/audit-entries.js';

/**
 * The hash-chained audit trail replaces `instance_events`: the events recorded so far become its
 * first entries (chained in the order their instances started), then the old table goes.
 */
export class AuditEntries1764230700000 implements MigrationInterface {
  name = 'AuditEntries1764230700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_entries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        instance_id uuid NOT NULL REFERENCES instances (id),
        seq int NOT NULL CHECK (seq > 0),
        actor text NOT NULL,
        acting_for text,
        action text NOT NULL,
        opinion text,
        from_status text,
        to_status text NOT NULL,
        from_step int,
        to_step int,
        revision int NOT NULL,
        definition_key text NOT NULL,
        definition_version int NOT NULL,
        at timestamptz NOT NULL,
        data jsonb NOT NULL,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL,
        CONSTRAINT audit_entries_instance_seq_key UNIQUE (instance_id, seq)
      )`);
    // Append-only for everyone, the owner included: changing a row takes disabling this trigger
    // first (an ALTER TABLE that needs owner rights, and that the hash chain exposes anyway).
    await q.query(`
      CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entries is append-only: % refused', TG_OP USING ERRCODE = 'raise_exception';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
      FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
      FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()`);

    await this.backfill(q);
    await q.query('DROP TABLE instance_events');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE instance_events (
        instance_id uuid NOT NULL REFERENCES instances (id),
        seq int NOT NULL,
        type text NOT NULL,
        data jsonb NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (instance_id, seq)
      )`);
    await q.query('INSERT INTO instance_events (instance_id, seq, type, data, at) SELECT instance_id, seq - 1, action, data, at FROM audit_entries');
    await q.query('DROP TABLE audit_entries');
    await q.query('DROP FUNCTION audit_entries_append_only()');
  }

  /** Replays each instance's recorded events into entries; a decision's follow-up events carry its reviewer. */
  private async backfill(q: QueryRunner): Promise<void> {
    const instances = (await q.query(
      `SELECT id, revision, definition_key, definition_version, submission->'applicant'->>'name' AS applicant
         FROM instances ORDER BY created_at, id`,
    )) as { id: string; revision: number; definition_key: string; definition_version: number; applicant: string | null }[];
    let head = GENESIS_HASH;
    for (const instance of instances) {
      const rows = (await q.query('SELECT data FROM instance_events WHERE instance_id = $1 ORDER BY seq', [instance.id])) as { data: Record<string, unknown> }[];
      const tasks = (await q.query('SELECT step_index, organisation_code FROM tasks WHERE instance_id = $1', [instance.id])) as { step_index: number; organisation_code: string }[];
      const subject = { instanceId: instance.id, revision: instance.revision, definitionKey: instance.definition_key, definitionVersion: instance.definition_version };
      let by: AuditActor = { actor: instance.applicant ?? 'unknown', actingFor: null };
      let state: InstanceState | undefined;
      const fields = [];
      for (const { data } of rows) {
        const event = { ...data, at: new Date(String(data.at)) } as unknown as InstanceEvent;
        if (event.type === 'step_approved' || event.type === 'rejected') {
          by = { actor: event.actor, actingFor: tasks.find((t) => t.step_index === event.step)?.organisation_code ?? null };
        }
        const [entry] = auditFields(subject, by, state, [event], fields.length + 1);
        fields.push(entry!);
        state = evolve(state, event);
      }
      for (const entry of chain(fields, head)) {
        await q.query(
          `INSERT INTO audit_entries (instance_id, seq, actor, acting_for, action, opinion, from_status, to_status, from_step, to_step,
                                      revision, definition_key, definition_version, at, data, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
          [
            entry.instanceId, entry.seq, entry.actor, entry.actingFor, entry.action, entry.opinion, entry.fromStatus, entry.toStatus, entry.fromStep,
            entry.toStep, entry.revision, entry.definitionKey, entry.definitionVersion, entry.at, JSON.stringify(entry.data), entry.prevHash, entry.hash,
          ],
        );
        head = entry.hash;
      }
    }
  }
}
