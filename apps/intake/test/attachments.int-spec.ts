import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { attachmentKinds } from '@shanhai/domain';
import { TokenService } from '@shanhai/platform';
import type { TestApp } from '@shanhai/platform/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { IntakeConfig } from '../src/config.js';
import { qingyuanPlanExample } from '../src/submissions/dto/zone-plan.request.js';
import * as sample from './support/attachment-samples.js';
import { bearer, startIntake } from './support/intake-app.js';

const MAX_BYTES = 64 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** supertest buffers only text by default; downloads are compared byte for byte. */
const binary = (res: request.Response, done: (error: Error | null, body: Buffer) => void) => {
  // In Node, superagent hands the parser the raw response stream.
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

/** A PDF padded with a comment to exactly `size` bytes. */
const pdfOfSize = (size: number): Buffer => {
  const head = sample.pdf();
  return Buffer.concat([head, Buffer.from(`%${'x'.repeat(size - head.length - 2)}\n`, 'latin1')]);
};

describe('intake: zone plan attachments', () => {
  let t: TestApp<IntakeConfig>;
  let http: ReturnType<typeof request>;
  let dataSource: DataSource;
  let directory: string;
  const as: Record<string, string> = {};

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'shanhai-attachments-'));
    t = await startIntake({ fileStore: { kind: 'local', directory }, uploadMaxBytes: MAX_BYTES });
    http = request(t.app.getHttpServer());
    dataSource = t.app.get(DataSource);
    for (const user of ['qingyuan', 'suichang', 'lishui-commerce', 'keqiao-zone']) as[user] = await bearer(t, user);
    // No demo account is a stakeholder of another zone: sign one.
    const { token } = await t.app.get(TokenService).signAccess({ userId: randomUUID(), username: 'fuyang-zone', name: '杭州富阳经济技术开发区', role: 'stakeholder', zone: 'fuyang' });
    as['fuyang-zone'] = `Bearer ${token}`;
  });

  afterAll(async () => {
    await t?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  const storedFiles = async (): Promise<string[]> =>
    (await readdir(directory, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  const rows = async (where = 'true') => (await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM attachments WHERE ${where}`))[0]?.n;
  const draft = async (): Promise<string> =>
    ((await http.post('/zone-plans').set('authorization', as.qingyuan!).send(qingyuanPlanExample).expect(201)).body as { id: string }).id;
  const upload = (planId: string, kind: string, bytes: Buffer, filename: string, who = 'qingyuan') =>
    http
      .post(`/zone-plans/${planId}/attachments`)
      .set('authorization', as[who]!)
      .field('kind', kind)
      // What the client claims is ignored: the type comes from the bytes.
      .attach('file', bytes, { filename, contentType: 'application/octet-stream' });
  const attachAll = async (planId: string) => {
    for (const kind of attachmentKinds) await upload(planId, kind, sample.pdf(kind), `${kind}.pdf`).expect(201);
  };

  it('stores each kind as the type its bytes show, each content once', async () => {
    const id = await draft();
    const feasibility = sample.pdf('feasibility');
    const files: Record<string, [Buffer, string, string]> = {
      application_letter: [sample.docx(), '申请书.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      feasibility_report: [feasibility, '可行性研究报告.pdf', 'application/pdf'],
      land_use_plan: [sample.png(), '土地利用规划图.png', 'image/png'],
      site_selection_opinion: [feasibility, '选址意见（同可研附件）.pdf', 'application/pdf'],
      plan_eia_review_opinion: [sample.jpeg(), '规划环评审查意见.jpg', 'image/jpeg'],
    };
    const filesBefore = (await storedFiles()).length;
    for (const [kind, [bytes, filename, mediaType]] of Object.entries(files)) {
      const response = await upload(id, kind, bytes, filename).expect(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        kind,
        filename,
        mediaType,
        sizeBytes: bytes.length,
        sha256: sha256(bytes),
        uploadedAt: expect.any(String),
      });
    }
    // Five attachments, four distinct contents: the PDF used twice is stored once, under its hash.
    expect((await storedFiles()).length - filesBefore).toBe(4);
    const hash = sha256(feasibility);
    await expect(readFile(path.join(directory, hash.slice(0, 2), hash.slice(2, 4), hash))).resolves.toEqual(feasibility);

    const list = await http.get(`/zone-plans/${id}/attachments`).set('authorization', as.qingyuan!).expect(200);
    expect(list.body.items.map((a: { kind: string }) => a.kind)).toEqual([...attachmentKinds]);
  });

  it('replaces the current file of a kind when the draft gets it again, keeping the old row', async () => {
    const id = await draft();
    const first = await upload(id, 'land_use_plan', sample.png(0x10), 'v1.png').expect(201);
    const second = await upload(id, 'land_use_plan', sample.png(0x20), 'v2.png').expect(201);
    const list = await http.get(`/zone-plans/${id}/attachments`).set('authorization', as.qingyuan!).expect(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([second.body.id]);
    expect(await rows(`submission_id = '${id}' AND superseded_at IS NOT NULL`)).toBe(1);
    expect(first.body.id).not.toBe(second.body.id);
  });

  it('refuses an executable named report.pdf with 415, and stores nothing', async () => {
    const id = await draft();
    const [filesBefore, rowsBefore] = [(await storedFiles()).length, await rows()];
    const response = await http
      .post(`/zone-plans/${id}/attachments`)
      .set('authorization', as.qingyuan!)
      .field('kind', 'feasibility_report')
      .attach('file', sample.exe(), { filename: 'report.pdf', contentType: 'application/pdf' })
      .expect(415);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', detectedType: 'application/x-msdownload', errors: [{ field: 'file' }] });
    await upload(id, 'feasibility_report', sample.html(), 'report.pdf').expect(415);
    await upload(id, 'feasibility_report', sample.zip({ 'report.pdf': sample.pdf() }), 'report.zip').expect(415);
    expect([(await storedFiles()).length, await rows()]).toEqual([filesBefore, rowsBefore]);
  });

  it('takes a file of exactly the limit and refuses a byte more with 413, storing nothing', async () => {
    const id = await draft();
    await upload(id, 'feasibility_report', pdfOfSize(MAX_BYTES), 'at-limit.pdf').expect(201);
    const [filesBefore, rowsBefore] = [(await storedFiles()).length, await rows()];
    const response = await upload(id, 'land_use_plan', pdfOfSize(MAX_BYTES + 1), 'over-limit.pdf').expect(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', maxBytes: MAX_BYTES });
    expect([(await storedFiles()).length, await rows()]).toEqual([filesBefore, rowsBefore]);
  });

  it('lists a bad kind and a missing file in one 400', async () => {
    const id = await draft();
    const response = await http.post(`/zone-plans/${id}/attachments`).set('authorization', as.qingyuan!).field('kind', 'selfie').expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['kind', 'file']);
    const stray = await http
      .post(`/zone-plans/${id}/attachments`)
      .set('authorization', as.qingyuan!)
      .field('kind', 'land_use_plan')
      .attach('document', sample.pdf(), 'x.pdf')
      .expect(400);
    expect(stray.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'document' }] });
  });

  it('gives the owner the exact bytes, as a download under the Chinese name', async () => {
    const id = await draft();
    const bytes = sample.pdf('download');
    const filename = '浙江庆元经济开发区 可行性研究报告（终稿）.pdf';
    const { body } = await upload(id, 'feasibility_report', bytes, filename).expect(201);
    const response = await http.get(`/zone-plans/${id}/attachments/${body.id}`).set('authorization', as.qingyuan!).buffer(true).parse(binary).expect(200);
    expect(response.body).toEqual(bytes);
    expect(response.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-length': String(bytes.length),
      'x-content-type-options': 'nosniff',
      'content-disposition': `attachment; filename="feasibility_report.pdf"; filename*=UTF-8''${encodeURIComponent(filename).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
    });
    await http.get(`/zone-plans/${id}/attachments/${randomUUID()}`).set('authorization', as.qingyuan!).expect(404);
  });

  it("answers 404 to another county's applicant, whatever the plan has", async () => {
    const id = await draft();
    const { body } = await upload(id, 'feasibility_report', sample.pdf(), 'report.pdf').expect(201);
    for (const probe of [
      http.get(`/zone-plans/${id}/attachments`),
      http.get(`/zone-plans/${id}/attachments/${body.id}`),
      http.get(`/zone-plans/${randomUUID()}/attachments`),
    ]) {
      const response = await probe.set('authorization', as.suichang!).expect(404);
      expect(response.body).toMatchObject({ code: 'NOT_FOUND' });
    }
    await upload(id, 'land_use_plan', sample.png(), 'x.png', 'suichang').expect(404);
  });

  it('lets the paired zone read a submitted plan, answers 404 to an unrelated zone, and refuses uploads after submit', async () => {
    const id = await draft();
    await attachAll(id);
    await http.get(`/zone-plans/${id}/attachments`).set('authorization', as['keqiao-zone']!).expect(404); // a draft is the county's own
    await http.post(`/zone-plans/${id}/submit`).set('authorization', as.qingyuan!).expect(200);

    const list = await http.get(`/zone-plans/${id}/attachments`).set('authorization', as['keqiao-zone']!).expect(200);
    expect(list.body.items).toHaveLength(attachmentKinds.length);
    const first = list.body.items[0] as { id: string };
    await http.get(`/zone-plans/${id}/attachments/${first.id}`).set('authorization', as['keqiao-zone']!).expect(200);
    await http.get(`/zone-plans/${id}/attachments`).set('authorization', as['fuyang-zone']!).expect(404);
    await http.get(`/zone-plans/${id}/attachments/${first.id}`).set('authorization', as['fuyang-zone']!).expect(404);

    const late = await upload(id, 'feasibility_report', sample.pdf('late'), 'late.pdf').expect(409);
    expect(late.body).toMatchObject({ code: 'NOT_EDITABLE', status: 409 });
    await upload(id, 'feasibility_report', sample.pdf('late'), 'late.pdf', 'lishui-commerce').expect(403);
  });
});
