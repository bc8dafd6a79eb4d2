import { startNotifier } from './support/notifier-app.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TokenService } from '@shanhai/platform';
import { documentedOperations, lintOpenApi, parameterExamples, requestBodyExamples, type TestApp } from '@shanhai/platform/testing';
import request from 'supertest';
import type { NotifierConfig } from '../src/config.js';
import { openApi } from '../src/openapi.js';

describe('notifier: the OpenAPI document', () => {
  let t: TestApp<NotifierConfig>;
  let http: ReturnType<typeof request>;
  let admin: string;
  let document: Parameters<typeof documentedOperations>[0];

  beforeAll(async () => {
    // Nothing is sent here: the SMTP server is never reached.
    t = await startNotifier({}, { openapi: openApi });
    http = request(t.app.getHttpServer());
    admin = `Bearer ${(await t.app.get(TokenService).signAccess({ userId: randomUUID(), username: 'admin', name: '系统管理员', role: 'admin' })).token}`;
    document = (await http.get('/docs-json').expect(200).expect('content-type', /^application\/json/)).body;
  });

  afterAll(async () => {
    await t.close();
  });

  it('serves Swagger UI at /docs', async () => {
    const page = await http.get('/docs').expect(200).expect('content-type', /^text\/html/);
    expect(page.text).toContain('swagger-ui');
  });

  it('documents every operation of the notifier, with a summary and a tag', () => {
    const operations = documentedOperations(document);
    expect(operations.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort()).toEqual([
      'DELETE /preferences/me/watching/{submissionId}',
      'GET /admin/reconciliation',
      'GET /deliveries',
      'GET /health',
      'GET /metrics',
      'GET /preferences/me',
      'POST /deliveries/redrive',
      'POST /deliveries/{id}/redrive',
      'PUT /preferences/me',
      'PUT /preferences/me/watching/{submissionId}',
    ]);
    for (const { operation } of operations) {
      expect(operation.summary).toEqual(expect.any(String));
      expect(operation.tags?.length).toBe(1);
    }
    expect(document).toMatchObject({ info: { title: 'Shanhai notifier', version: '0.1.0' } });
  });

  it('documents the delivery log filters, whose examples the service accepts', async () => {
    const [list] = documentedOperations(document).filter((o) => o.path === '/deliveries');
    const query = parameterExamples(list!.operation, 'query');
    expect(Object.keys(query).sort()).toEqual(['limit', 'offset', 'recipient', 'status', 'submissionId']);
    const response = await http.get('/deliveries').set('authorization', admin).query(query as Record<string, string>).expect(200);
    expect(response.body).toEqual({ items: [] });
    expect(Object.keys(list!.operation.responses ?? {}).sort()).toEqual(['200', '400', '401', '403']);
  });

  it('has no request body without an example', () => {
    const withoutExample = documentedOperations(document).filter((o) => o.operation.requestBody && !Object.keys(requestBodyExamples(o.operation)).length);
    expect(withoutExample.map((o) => `${o.method} ${o.path}`)).toEqual([]);
  });

  it('passes Redocly lint with no errors', async () => {
    const { errors } = await lintOpenApi(document);
    expect(errors).toEqual([]);
  }, 60_000);
});
