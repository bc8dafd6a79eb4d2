import { describe, expect, it } from '@jest/globals';
import { commonConfig, commonEnv, ConfigError, parseEnv, serviceDatabaseUrl, settings } from './config.js';

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
});
