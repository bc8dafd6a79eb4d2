import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BEARER_SCHEME } from '@shanhai/platform';
import { documentedOperations, lintOpenApi, parameterExamples, requestBodyExamples, type DocumentedOperation, type TestApp } from '@shanhai/platform/testing';
import request from 'supertest';
import type { IntakeConfig } from '../src/config.js';
import { qingyuanEventExample } from '../src/promotion-events/dto/promotion-event.request.js';
import { qingyuanReportExample } from '../src/promotion-events/dto/event-report.request.js';
import { qingyuanPlanExample } from '../src/submissions/dto/zone-plan.request.js';
import { undocumented } from './support/documented-problems.js';
import { bearer, startIntake } from './support/intake-app.js';
import { sampleExe } from './support/samples.js';

describe('intake: the OpenAPI document', () => {
  let t: TestApp<IntakeConfig>;
  let http: ReturnType<typeof request>;
  let document: Parameters<typeof documentedOperations>[0] & { security?: Record<string, string[]>[] };

  beforeAll(async () => {
    t = await startIntake();
    http = request(t.app.getHttpServer());
    document = (await http.get('/docs-json').expect(200).expect('content-type', /^application\/json/)).body;
  });

  afterAll(async () => {
    await t?.close();
  });

  const operations = () => documentedOperations(document);
  const find = (method: string, path: string) => operations().find((o) => o.method === method && o.path === path)?.operation;
  const name = (o: DocumentedOperation) => `${o.method.toUpperCase()} ${o.path}`;
  const needsToken = (o: DocumentedOperation) => (o.operation.security ?? document.security ?? []).some((r) => BEARER_SCHEME in r);
  /** The path with every parameter replaced: `{id}` by an unknown UUID, others by their documented example. */
  const concrete = (o: DocumentedOperation) =>
    o.path.replace(/\{(\w+)\}/g, (_, p: string) => {
      const example = parameterExamples(o.operation, 'path')[p];
      return p === 'id' ? randomUUID() : typeof example === 'string' || typeof example === 'number' ? String(example) : p;
    });

  it('serves Swagger UI at /docs', async () => {
    const page = await http.get('/docs').expect(200).expect('content-type', /^text\/html/);
    expect(page.text).toContain('swagger-ui');
  });

  it("documents intake's operations, each with a summary and one tag", () => {
    expect(operations().map(name)).toEqual(
      expect.arrayContaining(['GET /health', 'POST /auth/login', 'POST /zone-plans', 'GET /zone-plans', 'GET /zone-plans/{id}', 'POST /zone-plans/{id}/submit']),
    );
    for (const o of operations()) expect([name(o), o.operation.summary, o.operation.tags?.length]).toEqual([name(o), expect.any(String), 1]);
    expect(document).toMatchObject({ info: { title: 'Shanhai intake', version: '0.1.0' } });
  });

  it('documents every {id} as a UUID', () => {
    for (const o of operations().filter((x) => x.path.includes('{id}'))) {
      expect([name(o), o.operation.parameters?.find((p) => p.name === 'id')]).toEqual([
        name(o),
        expect.objectContaining({ in: 'path', schema: expect.objectContaining({ format: 'uuid' }) }),
      ]);
    }
  });

  it('gives every request body an example', () => {
    const withoutExample = operations().filter(
      (o) => o.operation.requestBody && !Object.keys(o.operation.requestBody.content ?? {}).some((type) => Object.keys(requestBodyExamples(o.operation, type)).length),
    );
    expect(withoutExample.map(name)).toEqual([]);
  });

  it('says which operations need a token, as the service enforces it', async () => {
    for (const o of operations()) {
      const response = await http[o.method as 'get'](concrete(o));
      if (needsToken(o)) expect([name(o), response.status]).toEqual([name(o), 401]);
      // Without a body or a token, a public operation may refuse the request, but never for want of a token.
      else expect([name(o), response.status]).not.toEqual([name(o), 401]);
    }
  });

  it('documents the status and every member of what each operation answers without a token', async () => {
    const gaps: string[] = [];
    for (const o of operations()) {
      const response = await http[o.method as 'get'](concrete(o));
      if (response.status >= 400) gaps.push(...undocumented(document, o.method, o.path, response).map((gap) => `${name(o)} ${gap}`));
    }
    expect(gaps).toEqual([]);
  });

  it('documents every member of the problems it answers', async () => {
    const [qingyuan, reviewer] = [await bearer(t, 'qingyuan'), await bearer(t, 'lishui-commerce')];
    const as = (user: string, r: request.Test) => r.set('authorization', user);
    const plan = (await as(qingyuan, http.post('/zone-plans')).send(qingyuanPlanExample).expect(201)).body as { id: string };
    const event = (await as(qingyuan, http.post('/promotion-events')).send(qingyuanEventExample).expect(201)).body as { id: string };
    await as(qingyuan, http.post(`/promotion-events/${event.id}/submit`)).expect(200);
    const refusals: [string, string, request.Test, number][] = [
      ['post', '/auth/login', http.post('/auth/login').send({ username: 'qingyuan', password: 'wrong' }), 401],
      ['post', '/zone-plans', as(qingyuan, http.post('/zone-plans')).send({ ...qingyuanPlanExample, owner: 'me' }), 400],
      ['post', '/zone-plans', as(reviewer, http.post('/zone-plans')).send(qingyuanPlanExample), 403],
      ['get', '/zone-plans/{id}', as(qingyuan, http.get(`/zone-plans/${randomUUID()}`)), 404],
      ['patch', '/zone-plans/{id}', as(qingyuan, http.patch(`/zone-plans/${plan.id}`)).set('if-match', 'abc').send({ zoneName: '改名' }), 400],
      ['patch', '/zone-plans/{id}', as(qingyuan, http.patch(`/zone-plans/${plan.id}`)).set('if-match', '"99"').send({ zoneName: '改名' }), 409],
      ['post', '/zone-plans/{id}/submit', as(qingyuan, http.post(`/zone-plans/${plan.id}/submit`)), 422],
      ['post', '/zone-plans/{id}/attachments', as(qingyuan, http.post(`/zone-plans/${plan.id}/attachments`)).field('kind', 'feasibility_report').attach('file', sampleExe(), 'report.pdf'), 415],
      ['patch', '/promotion-events/{id}', as(qingyuan, http.patch(`/promotion-events/${event.id}`)).send({ venue: '别处' }), 409],
      ['post', '/promotion-events/{id}/submit', as(qingyuan, http.post(`/promotion-events/${event.id}/submit`)), 409],
      ['put', '/promotion-events/{id}/report', as(qingyuan, http.put(`/promotion-events/${event.id}/report`)).send(qingyuanReportExample), 409],
    ];
    const gaps: string[] = [];
    for (const [method, path, sent, status] of refusals) {
      const response = await sent;
      expect([method, path, response.status]).toEqual([method, path, status]);
      gaps.push(...undocumented(document, method, path, response).map((gap) => `${method.toUpperCase()} ${path} ${gap}`));
    }
    expect(gaps).toEqual([]);
  });

  it('accepts the documented example of POST /zone-plans as it stands', async () => {
    const examples = Object.values(requestBodyExamples(find('post', '/zone-plans')!));
    expect(examples.length).toBeGreaterThan(0);
    const qingyuan = await bearer(t, 'qingyuan');
    for (const example of examples) {
      const created = await http.post('/zone-plans').set('authorization', qingyuan).send(example as object).expect(201);
      expect(created.body).toMatchObject({ zoneName: '浙江庆元经济开发区', status: 'draft' });
    }
  });

  it('documents return for correction in every submission response and in the timeline', () => {
    const schemas = (document as { components?: { schemas?: Record<string, { properties?: Record<string, { enum?: string[]; nullable?: boolean; allOf?: unknown[]; $ref?: string }> }> } }).components?.schemas ?? {};
    for (const response of ['ZonePlanResponse', 'PromotionEventResponse']) {
      const properties = schemas[response]?.properties ?? {};
      expect([response, properties.status?.enum]).toEqual([response, expect.arrayContaining(['returned'])]);
      expect([response, JSON.stringify(properties.correction)]).toEqual([response, expect.stringContaining('CorrectionResponse')]);
    }
    expect(Object.keys(schemas.CorrectionResponse?.properties ?? {}).sort()).toEqual(['actingFor', 'at', 'deficiencies', 'opinion', 'returnedBy', 'revision', 'step']);
    expect(schemas.TimelineEntryResponse?.properties?.event?.enum).toEqual(expect.arrayContaining(['returned', 'resubmitted', 'delegated']));
  });

  it('passes Redocly lint with no errors', async () => {
    const { errors } = await lintOpenApi(document);
    expect(errors).toEqual([]);
  }, 60_000);
});
