import { organisations } from '@shanhai/domain';
import pg from 'pg';

/**
 * What intake's seed publishes, written straight into a test database's directory replica: the
 * programme's organisations, at version 1. Specs that need another organisation send the
 * `directory.organisation_changed` message, as intake would.
 */
export async function seedDirectoryReplica(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const o of organisations) {
      await client.query(
        'INSERT INTO directory_organisations (code, name, kind, email, city_code, version) VALUES ($1, $2, $3, $4, $5, 1) ON CONFLICT (code) DO NOTHING',
        [o.code, o.name, o.kind, o.email, o.cityCode ?? null],
      );
    }
  } finally {
    await client.end();
  }
}
