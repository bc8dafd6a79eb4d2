import type { DynamicModule, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { configureHttp } from '../bootstrap.js';
import { DEVELOPMENT_AUTH, type ServiceConfig } from '../config/config.js';
import { dropDatabase } from '../database/ensure-database.js';
import { migrate, type DatabaseOptions } from '../database/data-source.js';
import { defaultOpenApiOptions, setupOpenApi, type OpenApiOptions } from '../http/openapi.js';
import { Clock } from '../time/clock.js';
import { deleteQueueKeys, testServers, uniqueDatabaseUrl, uniqueQueuePrefix } from './test-config.js';

export interface TestApp<C extends ServiceConfig = ServiceConfig> {
  readonly app: INestApplication;
  readonly config: C;
  /** Closes the app, drops its database and deletes its queue keys. */
  close(): Promise<void>;
}

/**
 * Boots one service in-process against its own fresh database (built by the real migrations)
 * and its own queue prefix, listening on an ephemeral port.
 */
export async function createTestApp<C extends ServiceConfig>(options: {
  service: ServiceConfig['service'];
  module: (config: C) => DynamicModule;
  schema: Pick<DatabaseOptions, 'entities' | 'migrations'>;
  /** Service-specific settings on top of the common ones. */
  extra?: Omit<C, keyof ServiceConfig>;
  /** Share a queue prefix (and so queues) with other test apps. */
  queuePrefix?: string;
  /** The service's OpenAPI title and description, served at /docs and /docs-json as in production. */
  openapi?: OpenApiOptions;
  /** Runs on the migrated database before the app starts, e.g. to seed the directory. */
  prepare?: (databaseUrl: string) => Promise<void>;
  /** The time the app runs on, e.g. a ManualClock the spec moves; the machine's by default. */
  clock?: Clock;
}): Promise<TestApp<C>> {
  const databaseUrl = uniqueDatabaseUrl(options.service);
  await migrate({ url: databaseUrl, ...options.schema });
  await options.prepare?.(databaseUrl);
  const config = {
    service: options.service,
    host: '127.0.0.1',
    port: 0,
    redisUrl: testServers.redisUrl,
    databaseUrl,
    queuePrefix: options.queuePrefix ?? uniqueQueuePrefix(options.service),
    logFormat: 'json',
    outbox: { pollMs: 200, batchSize: 100 },
    auth: DEVELOPMENT_AUTH,
    ...options.extra,
  } as C;
  const builder = Test.createTestingModule({ imports: [options.module(config)] }).setLogger(silentLogger);
  if (options.clock) builder.overrideProvider(Clock).useValue(options.clock);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, rawBody: true });
  configureHttp(app);
  setupOpenApi(app, options.openapi ?? defaultOpenApiOptions(options.service));
  await app.listen(0, '127.0.0.1');
  return {
    app,
    config,
    async close() {
      await app.close();
      await dropDatabase(databaseUrl);
      if (!options.queuePrefix) await deleteQueueKeys(config.queuePrefix);
    },
  };
}

/** Keeps spec output readable; failures still surface through assertions. */
const silentLogger = { log() {}, error() {}, warn() {}, debug() {}, verbose() {}, fatal() {} };
