import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** Where integration specs find PostgreSQL and Redis (the CI machine's services by default). */
export const testServers = {
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};

const suffix = (): string => randomBytes(4).toString('hex');

/** A database URL unique to one spec run: `shanhai_test_<label>_<random>`. */
export function uniqueDatabaseUrl(label: string): string {
  const u = new URL(testServers.databaseUrl);
  u.pathname = `/shanhai_test_${label}_${suffix()}`;
  return u.toString();
}

/** A BullMQ key prefix unique to one spec run, so parallel specs never see each other's jobs. */
export const uniqueQueuePrefix = (label: string): string => `shanhai-test-${label}-${suffix()}`;

/** Deletes every Redis key under `prefix`. */
export async function deleteQueueKeys(prefix: string, redisUrl = testServers.redisUrl): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** The environment for the Redocly CLI the OpenAPI specs run: ours, without its telemetry and update notices. */
export const redoclyEnv = (): NodeJS.ProcessEnv => ({ ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' });

/** What a spawned service inherits from the spec's environment: the PATH, and where e2e logs go (E2E_LOG_DIR). */
export const spawnedServiceEnv = { path: process.env.PATH ?? '', logDir: process.env.E2E_LOG_DIR };
