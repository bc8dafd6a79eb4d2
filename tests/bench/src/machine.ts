import os from 'node:os';
import { testServers } from '@shanhai/platform/testing';
import { Redis } from 'ioredis';
import pg from 'pg';

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
  readonly postgres: string;
  readonly redis: string;
  /** 1, 5 and 15 minute load averages when the run started: other work on the machine moves the figures. */
  readonly loadAverage: readonly number[];
}

/** What the figures were measured on. */
export async function describeMachine(): Promise<Machine> {
  const cpus = os.cpus();
  const client = new pg.Client({ connectionString: testServers.databaseUrl });
  await client.connect();
  const postgres = await client
    .query<{ server_version: string }>('SHOW server_version')
    .then((r) => r.rows[0]?.server_version ?? '?')
    .finally(() => client.end());
  const redis = new Redis(testServers.redisUrl, { maxRetriesPerRequest: 1 });
  const info = await redis.info('server').finally(() => redis.disconnect());
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? '?',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3 * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres,
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? '?',
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
