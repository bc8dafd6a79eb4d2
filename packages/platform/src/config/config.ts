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
  readonly auth: AuthConfig;
  /** Jobs each worker runs at once, by queue name (see messaging/concurrency.ts); DEFAULT_CONCURRENCY for a queue not named. */
  readonly concurrency?: Readonly<Partial<Record<string, number>>>;
}

/** One HMAC key for access tokens, named by the `kid` header of the tokens it signs. */
export interface JwtKey {
  readonly kid: string;
  readonly secret: string;
}

export interface AuthConfig {
  /** The first key signs; every key verifies (rotation: add the new key first, drop the old one once its tokens expired). */
  readonly keys: readonly JwtKey[];
  readonly accessTtlSeconds: number;
  readonly issuer: string;
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

const MIN_SECRET_LENGTH = 32;

/**
 * Signs tokens on a developer's machine only: it is in the source, so anyone can forge tokens with
 * it. Refused when NODE_ENV=production.
 */
export const DEVELOPMENT_JWT_KEY: JwtKey = { kid: 'dev-2026', secret: 'shanhai-development-only-signing-key-never-use-in-production' };

/** The auth settings when none are given: fine on a developer's machine and in tests, refused in production. */
export const DEVELOPMENT_AUTH: AuthConfig = { keys: [DEVELOPMENT_JWT_KEY], accessTtlSeconds: 900, issuer: 'shanhai' };

/**
 * `kid:secret,kid:secret,…`: HMAC keys named by id, the first to sign and every one to verify
 * (AUTH_JWT_KEYS here, AUDIT_SIGNING_KEYS in workflow). Each problem is its own issue, naming the
 * entry by position and never echoing a secret (or what may be one). A secret may contain `:` but not `,`.
 */
export const hmacKeys = z.string().transform((raw, ctx): JwtKey[] => {
  const keys: JwtKey[] = [];
  const problem = (message: string) => ctx.addIssue({ code: 'custom', message, input: '(not shown)' });
  raw.split(',').forEach((entry, index) => {
    const at = `entry ${index + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) return problem(`${at}: expected kid:secret`);
    const kid = entry.slice(0, colon).trim();
    const secret = entry.slice(colon + 1).trim();
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(kid)) return problem(`${at}: the kid must be 1 to 64 letters, digits, _ or -`);
    if (secret.length < MIN_SECRET_LENGTH) problem(`${at} (kid ${kid}): the secret must be at least ${MIN_SECRET_LENGTH} characters`);
    else if (keys.some((k) => k.kid === kid)) problem(`${at}: kid ${kid} is listed twice`);
    else keys.push({ kid, secret });
  });
  return keys;
});

/**
 * The environment variables every service reads, with defaults that work on a developer's machine.
 * It carries a cross-variable check, so extend it (`.extend`, new names only); zod refuses
 * `.pick`, `.omit` and `.merge` on it.
 */
export const commonEnv = z
  .object({
    NODE_ENV: z.string().optional(),
    REDIS_URL: settings.redisUrl.default('redis://127.0.0.1:6379'),
    DATABASE_URL: settings.postgresUrl.default('postgres://postgres@127.0.0.1:5432'),
    QUEUE_PREFIX: settings.queuePrefix.default('shanhai'),
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
    OUTBOX_POLL_MS: settings.positiveInt.default(1000),
    OUTBOX_BATCH_SIZE: settings.positiveInt.default(100),
    // Unset: each queue's own default (messaging/concurrency.ts); a queue's own variable wins over it.
    QUEUE_CONCURRENCY: settings.positiveInt.optional(),
    AUTH_JWT_KEYS: hmacKeys.default([...DEVELOPMENT_AUTH.keys]),
    AUTH_ACCESS_TTL_SECONDS: settings.positiveInt.default(DEVELOPMENT_AUTH.accessTtlSeconds),
    AUTH_ISSUER: z.string().min(1).default(DEVELOPMENT_AUTH.issuer),
  })
  .superRefine(
    (env, ctx) => {
      // Unset falls back to the development key, so this also catches "forgot to set it".
      if (env.NODE_ENV === 'production' && env.AUTH_JWT_KEYS?.some((k) => k.secret === DEVELOPMENT_JWT_KEY.secret)) {
        ctx.addIssue({ code: 'custom', path: ['AUTH_JWT_KEYS'], message: 'required when NODE_ENV=production, without the development key' });
      }
    },
    // Run even when other variables are bad, so one error still lists every problem.
    { when: () => true },
  );

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
    auth: { keys: env.AUTH_JWT_KEYS, accessTtlSeconds: env.AUTH_ACCESS_TTL_SECONDS, issuer: env.AUTH_ISSUER },
  };
}

/** Nest injection token for the service's ServiceConfig. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
