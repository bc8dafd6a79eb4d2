import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { attachmentKinds } from '@shanhai/domain';
import type { TestApp } from '@shanhai/platform/testing';
import request from 'supertest';
import type { IntakeConfig } from '../src/config.js';
import { qingyuanEventExample } from '../src/promotion-events/dto/promotion-event.request.js';
import { qingyuanPlanExample } from '../src/submissions/dto/zone-plan.request.js';
import { undocumented } from './support/documented-problems.js';
import { bearer, startIntake } from './support/intake-app.js';
import { samplePdf } from './support/samples.js';

/** A plan and an event speak the same grammar: the path, a body to draft one, and a one-field edit. */
const resources = [
  { name: 'zone plan', path: '/zone-plans', draft: qingyuanPlanExample, edit: { zoneName: '浙江庆元经济开发区（修订）' }, otherEdit: { zoneName: '别的名字' } },
  { name: 'promotion event', path: '/promotion-events', draft: qingyuanEventExample, edit: { venue: '庆元县香菇城会议中心' }, otherEdit: { venue: '别处' } },
] as const;

const ETAG = /^"[0-9]+"$/;

describe('intake: one concurrency grammar, ETag out and If-Match back', () => {
  let t: TestApp<IntakeConfig>;
  let http: ReturnType<typeof request>;
  let document: object;
  let qingyuan: string;

  beforeAll(async () => {
    t = await startIntake();
    http = request(t.app.getHttpServer());
    document = (await http.get('/docs-json').expect(200)).body as object;
    qingyuan = await bearer(t, 'qingyuan');
  });

  afterAll(async () => {
    await t?.close();
  });

  /** Drafts one; the 201's ETag is all the caller keeps. */
  const draft = async (r: (typeof resources)[number]) => {
    const created = await http.post(r.path).set('authorization', qingyuan).send(r.draft).expect(201);
    expect(created.headers.etag).toMatch(ETAG);
    return { id: created.body.id as string, etag: created.headers.etag as string };
  };
  const edit = (r: (typeof resources)[number], id: string, ifMatch?: string, body: object = r.edit) => {
    const patch = http.patch(`${r.path}/${id}`).set('authorization', qingyuan);
    return (ifMatch === undefined ? patch : patch.set('if-match', ifMatch)).send(body);
  };

  describe.each(resources)('a $name', (r) => {
    it('takes back the ETag of its 201 in If-Match, and answers the next ETag', async () => {
      const { id, etag } = await draft(r);
      const edited = await edit(r, id, etag).expect(200);
      expect(edited.body).toMatchObject(r.edit);
      expect(edited.headers.etag).toBe(`"${edited.body.version}"`);
      expect(edited.headers.etag).not.toBe(etag);
      const read = await http.get(`${r.path}/${id}`).set('authorization', qingyuan).expect(200);
      expect(read.headers.etag).toBe(edited.headers.etag);
    });

    it('refuses an edit based on a stale ETag with 409 STALE_VERSION and the version now, changing nothing', async () => {
      const { id, etag } = await draft(r);
      const first = await edit(r, id, etag).expect(200);
      const stale = await edit(r, id, etag, r.otherEdit).expect(409);
      expect(stale.body).toMatchObject({ code: 'STALE_VERSION', currentVersion: first.body.version });
      expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(undocumented(document, 'patch', `${r.path}/{id}`, stale)).toEqual([]);
      const read = await http.get(`${r.path}/${id}`).set('authorization', qingyuan).expect(200);
      expect([read.body, read.headers.etag]).toEqual([expect.objectContaining(r.edit), first.headers.etag]);
    });

    it.each(['"3", "4"', 'abc', '"3', 'W/"x"', '"-1"'])('refuses If-Match %j with 400 naming If-Match', async (ifMatch) => {
      const { id } = await draft(r);
      const refused = await edit(r, id, ifMatch).expect(400);
      expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'If-Match', message: 'If-Match must be one entity tag as this API sends it in ETag, e.g. "3"' }] });
      expect(undocumented(document, 'patch', `${r.path}/{id}`, refused)).toEqual([]);
    });

    it('takes If-Match: * and no If-Match as "no check"', async () => {
      const { id } = await draft(r);
      await edit(r, id, '*').expect(200);
      await edit(r, id).expect(200);
    });

    it('sends the ETag with the resource on submit and on withdraw', async () => {
      const { id } = await draft(r);
      if (r.path === '/zone-plans') {
        for (const kind of attachmentKinds) {
          await http.post(`/zone-plans/${id}/attachments`).set('authorization', qingyuan).field('kind', kind).attach('file', samplePdf(kind), `${kind}.pdf`).expect(201);
        }
      }
      const submitted = await http.post(`${r.path}/${id}/submit`).set('authorization', qingyuan).expect(200);
      expect(submitted.headers.etag).toBe(`"${submitted.body.version}"`);
      const notEditable = await edit(r, id, submitted.headers.etag).expect(409);
      expect(notEditable.body).toMatchObject({ code: 'NOT_EDITABLE', submissionStatus: 'submitted' });
      expect(undocumented(document, 'patch', `${r.path}/{id}`, notEditable)).toEqual([]);
      const withdrawing = await http.post(`${r.path}/${id}/withdraw`).set('authorization', qingyuan).expect(202);
      expect(withdrawing.headers.etag).toBe(`"${withdrawing.body.version}"`);

      const { id: other } = await draft(r);
      const withdrawn = await http.post(`${r.path}/${other}/withdraw`).set('authorization', qingyuan).expect(200);
      expect([withdrawn.body.status, withdrawn.headers.etag]).toEqual(['withdrawn', `"${withdrawn.body.version}"`]);
      const again = await http.post(`${r.path}/${other}/withdraw`).set('authorization', qingyuan).expect(409);
      expect(again.body).toMatchObject({ code: 'NOT_WITHDRAWABLE', submissionStatus: 'withdrawn' });
      expect(undocumented(document, 'post', `${r.path}/{id}/withdraw`, again)).toEqual([]);
    });
  });

  it('sends no other kind of ETag: none on a list, a timeline or a problem', async () => {
    const { id } = await draft(resources[1]);
    const responses = await Promise.all([
      http.get('/zone-plans').set('authorization', qingyuan).expect(200),
      http.get('/promotion-events').set('authorization', qingyuan).expect(200),
      http.get(`/promotion-events/${id}/timeline`).set('authorization', qingyuan).expect(200),
      http.get(`/zone-plans/${randomUUID()}`).set('authorization', qingyuan).expect(404),
    ]);
    expect(responses.map((r) => r.headers.etag)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('refuses a malformed If-Match on the event report with the same problem', async () => {
    const refused = await http.put(`/promotion-events/${randomUUID()}/report`).set('authorization', qingyuan).set('if-match', 'abc').send({ projects: [] }).expect(400);
    expect(refused.body.errors).toEqual([{ field: 'If-Match', message: 'If-Match must be one entity tag as this API sends it in ETag, e.g. "3"' }]);
  });

  it('documents the ETag of every response carrying a plan, an event or a report, and If-Match where an edit takes it', () => {
    const paths = (document as { paths: Record<string, Record<string, { parameters?: { name?: string; in?: string }[]; responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema?: { $ref?: string } }> }> }>> }).paths;
    const versioned = /#\/components\/schemas\/(ZonePlanResponse|PromotionEventResponse|EventReportResponse)$/;
    const withoutEtag: string[] = [];
    const takingIfMatch: string[] = [];
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          const carries = versioned.test(response.content?.['application/json']?.schema?.$ref ?? '');
          if (carries && !response.headers?.ETag) withoutEtag.push(`${method.toUpperCase()} ${path} ${status}`);
        }
        if (operation.parameters?.some((p) => p.in === 'header' && p.name === 'If-Match')) takingIfMatch.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(withoutEtag).toEqual([]);
    expect(takingIfMatch.sort()).toEqual(['PATCH /promotion-events/{id}', 'PATCH /zone-plans/{id}', 'PUT /promotion-events/{id}/report']);
  });
});
