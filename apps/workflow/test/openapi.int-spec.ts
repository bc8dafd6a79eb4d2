import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TokenService } from '@shanhai/platform';
import { createTestApp, documentedOperations, lintOpenApi, parameterExamples, requestBodyExamples, type TestApp } from '@shanhai/platform/testing';
import request from 'supertest';
import { AppModule, entities, migrations } from '../src/app.module.js';
import { openApi } from '../src/openapi.js';
import { seedDirectoryReplica } from './support/directory.js';

describe('workflow: the OpenAPI document', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let document: Parameters<typeof documentedOperations>[0];
  let reviewer: string;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp({ service: 'workflow', module: (config) => AppModule.forConfig(config), schema: { entities, migrations }, openapi: openApi, prepare: seedDirectoryReplica });
    http = request(t.app.getHttpServer());
    document = (await http.get('/docs-json').expect(200).expect('content-type', /^application\/json/)).body;
    const tokens = t.app.get(TokenService);
    reviewer = `Bearer ${(await tokens.signAccess({ userId: randomUUID(), username: 'lishui-commerce', name: '丽水市商务局 审核员', role: 'reviewer', organisation: 'lishui-commerce' })).token}`;
    admin = `Bearer ${(await tokens.signAccess({ userId: randomUUID(), username: 'admin', name: '系统管理员', role: 'admin' })).token}`;
  });

  afterAll(async () => {
    await t.close();
  });

  const operation = (method: string, path: string) => documentedOperations(document).find((o) => o.method === method && o.path === path)?.operation;

  it('serves Swagger UI at /docs', async () => {
    const page = await http.get('/docs').expect(200).expect('content-type', /^text\/html/);
    expect(page.text).toContain('swagger-ui');
  });

  it('documents every operation of workflow, with a summary and a tag', () => {
    const operations = documentedOperations(document);
    expect(operations.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort()).toEqual(
      [
        'GET /definitions',
        'GET /definitions/{key}/versions/{version}',
        'POST /definitions',
        'GET /health',
        'GET /metrics',
        'GET /instances/{id}',
        'GET /instances/{id}/audit',
        'GET /instances/{id}/diff',
        'GET /tasks',
        'GET /tasks/{id}',
        'POST /tasks/{id}/decisions',
        'POST /tasks/{id}/reassignment',
        'POST /tasks/{id}/extension',
        'GET /calendars',
        'GET /calendars/{year}',
        'PUT /calendars/{year}',
        'POST /admin/audit/verify',
        'POST /admin/audit/checkpoints',
      ].sort(),
    );
    for (const { operation: o } of operations) {
      expect(o.summary).toEqual(expect.any(String));
      expect(o.tags?.length).toBe(1);
    }
    expect(document).toMatchObject({ info: { title: 'Shanhai workflow', version: '0.1.0' } });
  });

  it('documents the task filters, every {id} as a UUID, and conflicts with the current state', () => {
    expect(operation('get', '/tasks')?.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual(
      ['query:due_before', 'query:kind', 'query:limit', 'query:mine', 'query:offset', 'query:organisation', 'query:overdue', 'query:status', 'query:step', 'query:submissionId'].sort(),
    );
    for (const { path, operation: o } of documentedOperations(document).filter((x) => x.path.includes('{id}'))) {
      expect([path, o.parameters?.find((p) => p.name === 'id')]).toEqual([path, expect.objectContaining({ in: 'path', schema: expect.objectContaining({ format: 'uuid' }) })]);
    }
    const decide = operation('post', '/tasks/{id}/decisions');
    expect(Object.keys(decide?.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '404', '409', '413', '415', '422']);
    expect(decide?.responses?.['409']?.content?.['application/problem+json']?.example).toMatchObject({ code: 'TASK_CLOSED', current: { currentStep: 1 } });
  });

  it('gives every request body an example, an approval and a rejection for decisions', () => {
    const withBody = documentedOperations(document).filter((o) => o.operation.requestBody);
    expect(withBody.map((o) => `${o.method} ${o.path}`).sort()).toEqual(['post /definitions', 'post /tasks/{id}/decisions', 'post /tasks/{id}/extension', 'post /tasks/{id}/reassignment', 'put /calendars/{year}']);
    const withoutExample = withBody.filter((o) => !Object.keys(requestBodyExamples(o.operation)).length);
    expect(withoutExample.map((o) => `${o.method} ${o.path}`)).toEqual([]);
    expect(requestBodyExamples(operation('post', '/tasks/{id}/decisions')!)).toEqual({
      approve: { outcome: 'approve', opinion: '同意上报。' },
      reject: expect.objectContaining({ outcome: 'reject', reason: expect.any(String) }),
      return: expect.objectContaining({ outcome: 'return', deficiencies: expect.arrayContaining([expect.objectContaining({ target: 'field' })]) }),
      delegate: expect.objectContaining({ outcome: 'delegate', to: expect.objectContaining({ userId: expect.any(String) }) }),
    });
  });

  it('passes each documented decision through validation as it stands (an unknown task gives 404, not 400)', async () => {
    const examples = Object.entries(requestBodyExamples(operation('post', '/tasks/{id}/decisions')!));
    expect(examples.map(([name]) => name)).toEqual(['approve', 'reject', 'return', 'delegate']);
    for (const [name, body] of examples) {
      const response = await http.post(`/tasks/${randomUUID()}/decisions`).set('authorization', reviewer).send(body as object);
      expect([name, response.status, response.body.code]).toEqual([name, 404, 'NOT_FOUND']);
    }
    // The same route refuses a body that is not valid, so the 404 above is not validation being skipped.
    await http.post(`/tasks/${randomUUID()}/decisions`).set('authorization', reviewer).send({ outcome: 'reject', reviewer: '陈' }).expect(400);
  });

  it('publishes the documented definition as it stands, and documents who may', async () => {
    const examples = Object.entries(requestBodyExamples(operation('post', '/definitions')!));
    expect(examples.map(([name]) => name)).toEqual(['zonePlanWithTimeLimits']);
    for (const [name, body] of examples) {
      const response = await http.post('/definitions').set('authorization', admin).send(body as object);
      expect([name, response.status, response.body.key]).toEqual([name, 201, 'zone_plan']);
    }
    const publish = operation('post', '/definitions');
    expect(Object.keys(publish?.responses ?? {}).sort()).toEqual(['201', '400', '401', '403', '409', '413', '415', '422']);
    expect((publish?.responses?.['403'] as { description?: string } | undefined)?.description).toBe('Only admins publish definitions.');
    // The same route refuses a definition that is not valid, so the 201 above is not validation being skipped.
    await http.post('/definitions').set('authorization', admin).send({ key: 'zone_plan', name: '审批', steps: [] }).expect(400);
  });

  it('accepts the documented examples of the task filters', async () => {
    const query = parameterExamples(operation('get', '/tasks')!, 'query');
    expect(Object.keys(query).sort()).toEqual(['due_before', 'kind', 'limit', 'mine', 'offset', 'organisation', 'overdue', 'status', 'step', 'submissionId']);
    const tasks = await http.get('/tasks').set('authorization', admin).query(query as Record<string, string>).expect(200);
    expect(tasks.body).toEqual({ items: [], total: 0 });
  });

  it('marks every operation but health and metrics as needing a token, as the service enforces it', async () => {
    for (const { method, path, operation: o } of documentedOperations(document)) {
      const needsToken = (o.security ?? []).some((r) => 'bearer' in r);
      expect([method, path, needsToken]).toEqual([method, path, !['/health', '/metrics'].includes(path)]);
      if (needsToken) {
        const url = path.replace('{id}', randomUUID());
        const response = await (method === 'post' ? http.post(url).send({}) : http.get(url));
        expect([method, path, response.status]).toEqual([method, path, 401]);
      }
    }
  });

  it('passes Redocly lint with no errors', async () => {
    const { errors } = await lintOpenApi(document);
    expect(errors).toEqual([]);
  }, 60_000);
});
