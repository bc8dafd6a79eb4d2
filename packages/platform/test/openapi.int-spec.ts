import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { PlatformModule } from '../src/platform.module.js';
import { createTestApp, type TestApp } from '../src/testing/test-app.js';
import { documentedOperations, lintOpenApi } from '../src/testing/openapi.js';

describe('the OpenAPI document every service serves', () => {
  let t: TestApp;
  let document: Record<string, unknown> & Parameters<typeof documentedOperations>[0];

  beforeAll(async () => {
    t = await createTestApp({
      service: 'workflow',
      module: (config) => PlatformModule.forService({ config, entities: [], migrations: [], consumes: [] }),
      schema: { entities: [], migrations: [] },
    });
    document = (await request(t.app.getHttpServer()).get('/docs-json').expect(200)).body;
  });

  afterAll(async () => {
    await t.close();
  });

  it('names the service, declares the bearer scheme and the Problem schema, and requires no token yet', () => {
    expect(document).toMatchObject({
      info: { title: 'Shanhai workflow', version: '0.1.0' },
      servers: [{ url: '/' }],
      security: [],
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        schemas: {
          Problem: { required: ['type', 'title', 'status'], properties: expect.objectContaining({ errors: { type: 'array', items: { $ref: '#/components/schemas/FieldProblem' }, description: expect.any(String) } }) },
          FieldProblem: { required: ['field', 'message'] },
        },
      },
    });
  });

  it('documents GET /health with its 200 and 503 answers', () => {
    const [health] = documentedOperations(document);
    expect(health).toMatchObject({ path: '/health', method: 'get', operation: { tags: ['health'] } });
    expect(Object.keys(health?.operation.responses ?? {})).toEqual(['200', '503']);
  });

  it('passes Redocly lint with no errors', async () => {
    const { errors } = await lintOpenApi(document);
    expect(errors).toEqual([]);
  }, 60_000);
});
