import { describe, expect, it } from '@jest/globals';
import { commonConfig, commonEnv, ConfigError, DEVELOPMENT_JWT_KEY, parseEnv, serviceDatabaseUrl, settings } from './config.js';

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    parseEnv(commonEnv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

const secret = (c: string) => c.repeat(32);

describe('service configuration', () => {
  it('works on a developer machine with nothing set', () => {
    const env = parseEnv(commonEnv, {});
    expect(commonConfig('intake', env, 3001, undefined, false)).toEqual({
      service: 'intake',
      host: '127.0.0.1',
      port: 3001,
      redisUrl: 'redis://127.0.0.1:6379',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/shanhai_intake',
      queuePrefix: 'shanhai',
      logFormat: 'json',
      outbox: { pollMs: 1000, batchSize: 100 },
      auth: { keys: [DEVELOPMENT_JWT_KEY], accessTtlSeconds: 900, issuer: 'shanhai' },
    });
  });

  it("prefers a service's own database URL to the shared server", () => {
    const env = parseEnv(commonEnv, { DATABASE_URL: 'postgres://app:secret@db:5433' });
    expect(commonConfig('notifier', env, 3003, undefined, true)).toMatchObject({ databaseUrl: 'postgres://app:secret@db:5433/shanhai_notifier', logFormat: 'pretty' });
    expect(commonConfig('notifier', env, 3003, 'postgres://elsewhere/n', true).databaseUrl).toBe('postgres://elsewhere/n');
  });

  it('names every bad variable in one error', () => {
    const schema = commonEnv.extend({ INTAKE_PORT: settings.port.default(3001) });
    const bad = { REDIS_URL: 'http://x', DATABASE_URL: 'mysql://db', QUEUE_PREFIX: 'a:b', INTAKE_PORT: '70000' };
    expect(() => parseEnv(schema, bad)).toThrow(ConfigError);
    try {
      parseEnv(schema, bad);
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.split(':')[0])).toEqual(['REDIS_URL', 'DATABASE_URL', 'QUEUE_PREFIX', 'INTAKE_PORT']);
    }
  });

  it('keeps credentials and options when it picks the service database', () => {
    expect(serviceDatabaseUrl('postgresql://u:p@h:1/ignored?sslmode=require', 'workflow')).toBe('postgresql://u:p@h:1/shanhai_workflow?sslmode=require');
  });

  it('reads every signing key in order, the first one signing', () => {
    const env = parseEnv(commonEnv, { AUTH_JWT_KEYS: ` k2027:${secret('n')} , k-2026_a:${secret('o')}:with:colons`, AUTH_ACCESS_TTL_SECONDS: '300', AUTH_ISSUER: 'shanhai-test' });
    expect(commonConfig('workflow', env, 3002, undefined, false).auth).toEqual({
      keys: [
        { kid: 'k2027', secret: secret('n') },
        { kid: 'k-2026_a', secret: `${secret('o')}:with:colons` },
      ],
      accessTtlSeconds: 300,
      issuer: 'shanhai-test',
    });
  });

  it('lists every bad signing key without echoing a secret', () => {
    const problems = problemsOf({ AUTH_JWT_KEYS: `good:${secret('g')},bad kid:${secret('b')},short:tooshort,nocolon${secret('x')},good:${secret('h')}` });
    expect(problems).toEqual([
      'AUTH_JWT_KEYS: entry 2: the kid must be 1 to 64 letters, digits, _ or -',
      'AUTH_JWT_KEYS: entry 3 (kid short): the secret must be at least 32 characters',
      'AUTH_JWT_KEYS: entry 4: expected kid:secret',
      'AUTH_JWT_KEYS: entry 5: kid good is listed twice',
    ]);
    expect(problems.join('\n')).not.toMatch(/tooshort|bbbb|xxxx/);
  });

  it('refuses an empty key list and a kid longer than 64 characters', () => {
    expect(problemsOf({ AUTH_JWT_KEYS: '' })).toEqual(['AUTH_JWT_KEYS: entry 1: expected kid:secret']);
    expect(problemsOf({ AUTH_JWT_KEYS: `${'k'.repeat(65)}:${secret('s')}` })).toEqual(['AUTH_JWT_KEYS: entry 1: the kid must be 1 to 64 letters, digits, _ or -']);
  });

  it('refuses to run in production on the development key, listing it with the other problems', () => {
    expect(problemsOf({ NODE_ENV: 'production', REDIS_URL: 'http://x' })).toEqual([
      'REDIS_URL: must be a URL starting with redis:// or rediss://',
      'AUTH_JWT_KEYS: required when NODE_ENV=production, without the development key',
    ]);
    expect(problemsOf({ NODE_ENV: 'production', AUTH_JWT_KEYS: `new:${secret('n')},${DEVELOPMENT_JWT_KEY.kid}:${DEVELOPMENT_JWT_KEY.secret}` })).toEqual([
      'AUTH_JWT_KEYS: required when NODE_ENV=production, without the development key',
    ]);
    expect(problemsOf({ NODE_ENV: 'production', AUTH_JWT_KEYS: `prod-1:${secret('p')}` })).toEqual([]);
  });

  it('keeps the development key outside production', () => {
    expect(parseEnv(commonEnv, { NODE_ENV: 'test' }).AUTH_JWT_KEYS).toEqual([DEVELOPMENT_JWT_KEY]);
  });
});
