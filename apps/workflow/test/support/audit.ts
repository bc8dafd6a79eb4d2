import type { InstanceEvent } from '@shanhai/domain';
import type pg from 'pg';

/** An audit entry's `data` as JSON holds it (dates as ISO text), back as the domain event. */
export const reviveDates = (data: unknown): InstanceEvent => {
  const event = data as InstanceEvent & { at: string };
  return { ...event, at: new Date(event.at) };
};

/** The audit tables an attacker with the owner's rights might rewrite behind their append-only triggers. */
export type AuditTable = 'audit_entries' | 'audit_checkpoints' | 'audit_checkpoint_heads' | 'audit_legacy';

type Row = Record<string, unknown>;

/** The rows of `table` matching `where`, as JSON (what json_populate_recordset takes back). */
async function rowsOf(owner: pg.Client, table: AuditTable, where: string, params: readonly unknown[]): Promise<Row[]> {
  const { rows } = await owner.query<{ rows: Row[] }>(`SELECT coalesce(json_agg(t), '[]'::json) AS rows FROM ${table} t WHERE ${where}`, [...params]);
  return rows[0]!.rows;
}

/** Each table's primary key: what a rewrite matches rows on, and leaves alone. */
const keyOf: Record<AuditTable, readonly string[]> = {
  audit_entries: ['id'],
  audit_checkpoints: ['id'],
  audit_checkpoint_heads: ['checkpoint_id', 'instance_id'],
  audit_legacy: ['singleton'],
};

/**
 * As an attacker with the owner's rights would: in one transaction, step around the table's
 * append-only triggers, do `work`, and put the triggers back.
 */
async function unguarded(owner: pg.Client, table: AuditTable, work: () => Promise<void>): Promise<void> {
  await owner.query('BEGIN');
  try {
    // Foreign keys checked as each statement runs (a checkpoint's heads after the checkpoint), so none are pending at the ALTER TABLE.
    await owner.query('SET CONSTRAINTS ALL IMMEDIATE');
    await owner.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    await work();
    await owner.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
    await owner.query('COMMIT');
  } catch (error) {
    await owner.query('ROLLBACK');
    throw error;
  }
}

const insertRows = (owner: pg.Client, table: AuditTable, rows: readonly Row[]): Promise<void> =>
  unguarded(owner, table, async () => {
    if (rows.length) await owner.query(`INSERT INTO ${table} OVERRIDING SYSTEM VALUE SELECT * FROM json_populate_recordset(NULL::${table}, $1)`, [JSON.stringify(rows)]);
  });

/** Sets every column but the key of each row to the values given (as JSON). */
const updateRows = (owner: pg.Client, table: AuditTable, rows: readonly Row[]): Promise<void> =>
  unguarded(owner, table, async () => {
    for (const row of rows) {
      const columns = Object.keys(row).filter((c) => !keyOf[table].includes(c));
      const key = keyOf[table].map((k) => `t.${k} = r.${k}`).join(' AND ');
      await owner.query(`UPDATE ${table} AS t SET (${columns.join(', ')}) = (SELECT ${columns.map((c) => `r.${c}`).join(', ')}) FROM json_populate_record(NULL::${table}, $1) AS r WHERE ${key}`, [
        JSON.stringify(row),
      ]);
    }
  });

/** Undoes a tampering, putting the rows back as they were. */
export type Restore = () => Promise<void>;

/** Deletes the rows behind the triggers; the returned function puts them back, ids and all. */
export async function deleteRows(owner: pg.Client, table: AuditTable, where: string, params: readonly unknown[] = []): Promise<Restore> {
  const saved = await rowsOf(owner, table, where, params);
  await unguarded(owner, table, async () => {
    await owner.query(`DELETE FROM ${table} WHERE ${where}`, [...params]);
  });
  return () => insertRows(owner, table, saved);
}

/** Changes the rows behind the triggers (`change` gets each as JSON, and may not change its key); the returned function changes them back. */
export async function rewriteRows(owner: pg.Client, table: AuditTable, where: string, params: readonly unknown[], change: (row: Row) => Row): Promise<Restore> {
  const saved = await rowsOf(owner, table, where, params);
  await updateRows(owner, table, saved.map(change));
  return () => updateRows(owner, table, saved);
}
