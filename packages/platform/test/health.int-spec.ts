import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { PlatformModule } from '../src/platform.module.js';
import { createTestApp, type TestApp } from '../src/testing/test-app.js';

const platformOnly = (redisUrl?: string) =>
  createTestApp({
    service: 'workflow',
    module: (config) => PlatformModule.forService({ config: redisUrl ? { ...config, redisUrl } : config, entities: [], migrations: [], consumes: [] }),
    schema: { entities: [], migrations: [] },
  });

describe('GET /health', () => {
  let up: TestApp;
  let redisDown: TestApp;

  beforeAll(async () => {
    up = await platformOnly();
    // Nothing listens on port 1: Redis is "down" for this app from the start.
    redisDown = await platformOnly('redis://127.0.0.1:1');
  });

  afterAll(async () => {
    await Promise.all([up.close(), redisDown.close()]);
  });

  it('answers 200 with the state of the database and Redis when both answer', async () => {
    const response = await request(up.app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', service: 'workflow', checks: { database: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('answers 503 naming Redis when Redis does not answer', async () => {
    const response = await request(redisDown.app.getHttpServer()).get('/health').expect(503);
    expect(response.body).toMatchObject({ status: 'unavailable', checks: { database: { status: 'up' }, redis: { status: 'down' } } });
    expect(response.body.checks.redis.error).toEqual(expect.any(String));
  });
});
