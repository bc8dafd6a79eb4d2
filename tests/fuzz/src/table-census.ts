import pg from 'pg';

/** The rows of one table: how many, and a digest of their content (an UPDATE changes no count). */
export interface TableCensus {
  readonly rows: number;
  readonly digest: string;
}

/** `schema.table` → its census. */
export type Census = Record<string, TableCensus>;

/**
 * Tables (`service.table`) that may change while the fuzzer runs, whatever it sends, each with its
 * reason; every other must be exactly as it was, for a refused request writes nothing. None today:
 * intake's security log (`sign_in_events`) grows only when a sign-in reaches its handler, which no
 * refused request does, and an `Idempotency-Key` claim is released when its request fails.
 */
export const CHANGING_TABLES: Readonly<Record<string, string>> = {};

/** Every base table of a database (any schema but PostgreSQL's own), counted and digested. */
export async function takeCensus(databaseUrl: string): Promise<Census> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
    );
    const census: Census = {};
    for (const { schema, name } of tables) {
      const table = `${quote(schema)}.${quote(name)}`;
      const { rows } = await client.query<{ rows: string; digest: string | null }>(`SELECT count(*) AS rows, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS digest FROM ${table} t`);
      census[`${schema}.${name}`] = { rows: Number(rows[0]!.rows), digest: rows[0]!.digest ?? '' };
    }
    return census;
  } finally {
    await client.end();
  }
}

const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;

/** The tables whose rows differ between two censuses, outside the documented exceptions. */
export function changedTables(before: Census, after: Census, service: string): { table: string; before: TableCensus | undefined; after: TableCensus | undefined }[] {
  const tables = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...tables]
    .filter((table) => !(`${service}.${table.replace(/^public\./, '')}` in CHANGING_TABLES))
    .filter((table) => before[table]?.rows !== after[table]?.rows || before[table]?.digest !== after[table]?.digest)
    .map((table) => ({ table, before: before[table], after: after[table] }));
}
