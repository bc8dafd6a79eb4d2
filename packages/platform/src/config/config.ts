import { z } from 'zod';

/** The settings every service shares. Each app's own config.ts extends these and reads the environment once. */
export interface ServiceConfig {
  readonly service: 'intake' | 'workflow' | 'notifier';
  readonly host: string;
  readonly port: number;
  readonly redisUrl: string;
  readonly databaseUrl: string;
  readonly queuePrefix: string;
  readonly logFormat: 'json' | 'pretty';
  readonly outbox: { readonly pollMs: number; readonly batchSize: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const url = (protocols: readonly string[]) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);

export const settings = {
  redisUrl: url(['redis:', 'rediss:']),
  postgresUrl: url(['postgres:', 'postgresql:']),
  smtpUrl: url(['smtp:', 'smtps:']),
  port: z.coerce.number().int().min(1).max(65535),
  positiveInt: z.coerce.number().int().positive(),
  queuePrefix: z.string().regex(/^[A-Za-z0-9_{}-]+$/, 'letters, digits, _ - { } only (no ":")'),
};

/** The database of `service` on the server named by DATABASE_URL, unless its own URL is set. */
export function serviceDatabaseUrl(serverUrl: string, service: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/shanhai_${service}`;
  return u.toString();
}

/** Parses `env` with `schema`, or throws one ConfigError naming every bad variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
}

/** The environment variables every service reads, with defaults that work on a developer's machine. */
export const commonEnv = z.object({
  REDIS_URL: settings.redisUrl.default('redis://127.0.0.1:6379'),
  DATABASE_URL: settings.postgresUrl.default('postgres://postgres@127.0.0.1:5432'),
  QUEUE_PREFIX: settings.queuePrefix.default('shanhai'),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  OUTBOX_POLL_MS: settings.positiveInt.default(1000),
  OUTBOX_BATCH_SIZE: settings.positiveInt.default(100),
});

/** Builds the shared part of a service's config from the parsed environment. */
export function commonConfig(
  service: ServiceConfig['service'],
  env: z.infer<typeof commonEnv>,
  port: number,
  ownDatabaseUrl: string | undefined,
  isTty: boolean,
): ServiceConfig {
  return {
    service,
    host: env.HOST,
    port,
    redisUrl: env.REDIS_URL,
    databaseUrl: ownDatabaseUrl ?? serviceDatabaseUrl(env.DATABASE_URL, service),
    queuePrefix: env.QUEUE_PREFIX,
    logFormat: env.LOG_FORMAT ?? (isTty ? 'pretty' : 'json'),
    outbox: { pollMs: env.OUTBOX_POLL_MS, batchSize: env.OUTBOX_BATCH_SIZE },
  };
}

/** Nest injection token for the service's ServiceConfig. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
