import { DataSource, type DataSourceOptions, type MixedList } from 'typeorm';
import { ensureDatabase } from './ensure-database.js';
import { InboxMessage } from '../messaging/inbox-message.entity.js';
import { OutboxMessage } from '../messaging/outbox-message.entity.js';
import { MessagingTables1764230400000 } from '../messaging/messaging-tables.migration.js';
import { OutboxSequence1764231500000 } from '../messaging/outbox-sequence.migration.js';
import { OutboxNotify1764235000000 } from '../messaging/outbox-notify.migration.js';
import { IdempotencyKeyRecord } from '../http/idempotency/idempotency-key.entity.js';
import { IdempotencyKeys1764231300000 } from '../http/idempotency/idempotency-keys.migration.js';
import { TokenRevocationRecord } from '../auth/token-revocation.entity.js';
import { TokenRevocations1764231900000 } from '../auth/token-revocations.migration.js';

// TypeORM's own option types differ per driver; `Function` is what it accepts for classes.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Classes = MixedList<Function>;

export interface DatabaseOptions {
  readonly url: string;
  readonly entities: readonly Function[]; // eslint-disable-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: readonly Function[]; // eslint-disable-line @typescript-eslint/no-unsafe-function-type
  /** Only for throw-away test databases: build the schema from the entities instead of migrations. */
  readonly synchronize?: boolean;
  /** Connections the service may hold at once (DEFAULT_POOL_SIZE when absent); see `poolSizeFor`. */
  readonly poolSize?: number;
}

/** Enough for the HTTP requests and the outbox relay of a service whose workers hold few transactions at once. */
export const DEFAULT_POOL_SIZE = 10;

/**
 * The pool a service needs: every consumer job holds one connection for its inbox transaction, so
 * the pool must outgrow the jobs its workers run at once, or jobs wait for connections (and time
 * out after 5 s, to be retried) while HTTP requests and the relay starve.
 */
export const poolSizeFor = (transactionalJobs: number): number => Math.max(DEFAULT_POOL_SIZE, transactionalJobs + 4);

/** TypeORM options for a service database, the platform's own tables (outbox, inbox, idempotency keys, token revocations) included. */
export function dataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    entities: [OutboxMessage, InboxMessage, IdempotencyKeyRecord, TokenRevocationRecord, ...options.entities] as Classes,
    migrations: [MessagingTables1764230400000, IdempotencyKeys1764231300000, OutboxSequence1764231500000, TokenRevocations1764231900000, OutboxNotify1764235000000, ...options.migrations] as Classes,
    migrationsTableName: 'migrations',
    synchronize: options.synchronize ?? false,
    migrationsRun: false,
    extra: { max: options.poolSize ?? DEFAULT_POOL_SIZE, connectionTimeoutMillis: 5000 },
  };
}

/** Creates the database if missing and applies pending migrations; returns their names. */
export async function migrate(options: DatabaseOptions): Promise<string[]> {
  await ensureDatabase(options.url);
  const dataSource = new DataSource(dataSourceOptions(options));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
