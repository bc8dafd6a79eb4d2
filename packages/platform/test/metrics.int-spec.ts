import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QueueName } from '@shanhai/contracts';
import request from 'supertest';
import { Inbox } from '../src/messaging/inbox.js';
import { PlatformModule } from '../src/platform.module.js';
import { createTestApp, type TestApp } from '../src/testing/test-app.js';

describe('GET /metrics', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    t = await createTestApp({
      service: 'notifier',
      module: (config) => PlatformModule.forService({ config, entities: [], migrations: [], consumes: [QueueName.Notifier], authentication: true }),
      schema: { entities: [], migrations: [] },
    });
    http = request(t.app.getHttpServer());
  });

  afterAll(async () => {
    await t?.close();
  });

  it('serves Prometheus text to anyone, with no token', async () => {
    const response = await http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.text).toMatch(/^shanhai_outbox_pending\{service="notifier"\} 0$/m);
    expect(response.text).toMatch(/^shanhai_queue_jobs\{queue="notifier",state="waiting",service="notifier"\} 0$/m);
    expect(response.text).toContain('shanhai_process_cpu_seconds_total');
  });

  it('counts requests under their route pattern, not their URL', async () => {
    await http.get('/health').expect(200);
    await http.get(`/nowhere/${randomUUID()}`).expect(404);
    const { text } = await http.get('/metrics').expect(200);
    expect(text).toMatch(/^shanhai_http_requests_total\{method="GET",route="\/health",status="200",service="notifier"\} [1-9]/m);
    expect(text).toMatch(/^shanhai_http_requests_total\{method="GET",route="unmatched",status="404",service="notifier"\} 1$/m);
    expect(text).not.toContain('/nowhere/');
  });

  it('counts messages by outcome', async () => {
    const inbox = t.app.get(Inbox);
    const id = randomUUID();
    await inbox.runOnce(id, 'spec', async () => undefined);
    await inbox.runOnce(id, 'spec', async () => undefined);
    const { text } = await http.get('/metrics').expect(200);
    expect(text).toMatch(/^shanhai_messages_total\{consumer="spec",outcome="handled",service="notifier"\} 1$/m);
    expect(text).toMatch(/^shanhai_messages_total\{consumer="spec",outcome="duplicate",service="notifier"\} 1$/m);
  });
});
