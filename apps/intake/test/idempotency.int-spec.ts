import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { documentedOperations, lintOpenApi, type TestApp } from '@shanhai/platform/testing';
import request from 'supertest';
import type { IntakeConfig } from '../src/config.js';
import { qingyuanPlanExample } from '../src/submissions/dto/zone-plan.request.js';
import { bearer, startIntake } from './support/intake-app.js';
import { samplePdf } from './support/samples.js';

describe('intake: Idempotency-Key on commands', () => {
  let t: TestApp<IntakeConfig>;
  let http: ReturnType<typeof request>;
  let qingyuan: string;

  beforeAll(async () => {
    t = await startIntake();
    http = request(t.app.getHttpServer());
    qingyuan = await bearer(t, 'qingyuan');
  });

  afterAll(async () => {
    await t?.close();
  });

  const plans = async () => (await http.get('/zone-plans').set('authorization', qingyuan).expect(200)).body as { items: { id: string }[]; total: number };
  const draft = (key: string, body: object = qingyuanPlanExample) => http.post('/zone-plans').set('authorization', qingyuan).set('Idempotency-Key', key).send(body);

  it('drafts one plan for two POST /zone-plans with one key, and replays its id and ETag', async () => {
    const before = (await plans()).total;
    const key = randomUUID();
    const first = await draft(key).expect(201);
    const retry = await draft(key).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect([retry.body.id, retry.headers.etag]).toEqual([first.body.id, first.headers.etag]);
    expect(retry.body).toEqual(first.body);
    const after = await plans();
    expect(after.total).toBe(before + 1);
    expect(after.items.filter((p) => p.id === first.body.id)).toHaveLength(1);
  });

  it('refuses another plan under a key already used (422 IDEMPOTENCY_KEY_REUSED) and drafts nothing', async () => {
    const key = randomUUID();
    await draft(key).expect(201);
    const before = (await plans()).total;
    const refused = await draft(key, { ...qingyuanPlanExample, zoneName: '浙江庆元经济开发区（二期）' }).expect(422);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(refused.text)).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect((await plans()).total).toBe(before);
  });

  it('stores one attachment for an upload retried with its key', async () => {
    const plan = (await draft(randomUUID()).expect(201)).body as { id: string };
    const key = randomUUID();
    const upload = () =>
      http.post(`/zone-plans/${plan.id}/attachments`).set('authorization', qingyuan).set('Idempotency-Key', key).field('kind', 'feasibility_report').attach('file', samplePdf('可行性研究报告'), 'report.pdf');
    const first = await upload().expect(201);
    const retry = await upload().expect(201);
    expect([retry.body, retry.headers['idempotent-replayed']]).toEqual([first.body, 'true']);
    const listed = (await http.get(`/zone-plans/${plan.id}/attachments`).set('authorization', qingyuan).expect(200)).body as { items: { id: string }[] };
    expect(listed.items.map((a) => a.id)).toEqual([first.body.id]);
  });

  it('documents the optional header, and its 409 and 422, on every mutating operation and on no other', async () => {
    const document = (await http.get('/docs-json').expect(200)).body as Parameters<typeof documentedOperations>[0] & {
      components: { parameters: Record<string, { name: string; in: string; required: boolean; example: string }> };
    };
    expect(document.components.parameters.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header', required: false, example: expect.any(String) });
    const operations = documentedOperations(document);
    const mutating = operations.filter((o) => ['post', 'put', 'patch', 'delete'].includes(o.method));
    expect(mutating.length).toBeGreaterThan(5);
    const refersToKey = (o: (typeof operations)[number]) => (o.operation.parameters ?? []).some((p) => (p as { $ref?: string }).$ref === '#/components/parameters/IdempotencyKey');
    for (const o of operations) {
      const responses = Object.keys(o.operation.responses ?? {});
      const mutates = mutating.includes(o);
      expect([o.method, o.path, refersToKey(o), mutates && responses.includes('409') && responses.includes('422')]).toEqual([o.method, o.path, mutates, mutates]);
    }
    const { warnings } = await lintOpenApi(document);
    expect(warnings.filter((w) => /idempoten/i.test(`${w.message} ${w.pointer ?? ''}`))).toEqual([]);
  }, 60_000);
});
