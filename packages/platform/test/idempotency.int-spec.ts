import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Body, Controller, Delete, type DynamicModule, Header, HttpCode, Module, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { IsInt, IsOptional, IsString } from 'class-validator';
import type { Response } from 'express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Public } from '../src/auth/decorators.js';
import type { Principal } from '../src/auth/principal.js';
import { TokenService } from '../src/auth/token.service.js';
import type { ServiceConfig } from '../src/config/config.js';
import { DomainError } from '../src/http/domain-error.js';
import { PlatformModule } from '../src/platform.module.js';
import { createTestApp, type TestApp } from '../src/testing/test-app.js';
import { ApiConsumes } from '@nestjs/swagger';

class ThingRequest {
  @IsString()
  name!: string;

  @IsOptional()
  @IsInt()
  size?: number;
}

/** What the handlers did, so a spec can tell a replay from a second run. */
const runs = { create: 0, remove: 0, upload: 0, flaky: 0 };
let flakyFailsNext = false;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

@Controller('things')
class ThingsController {
  @Post()
  @HttpCode(201)
  async create(@Body() body: ThingRequest, @Res({ passthrough: true }) res: Response): Promise<{ id: string; name: string; run: number; at: Date }> {
    const run = ++runs.create;
    // Long enough for two concurrent requests to overlap.
    await pause(30);
    const id = randomUUID();
    res.setHeader('Location', `/things/${id}`);
    res.setHeader('ETag', `"${run}"`);
    return { id, name: body.name, run, at: new Date() };
  }

  @Public()
  @Post('open')
  open(@Body() body: ThingRequest): { name: string; run: number } {
    return { name: body.name, run: ++runs.create };
  }

  @Public()
  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  token(@Body() body: ThingRequest): { accessToken: string; run: number } {
    return { accessToken: `secret-${body.name}`, run: ++runs.create };
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id') id: string): void {
    void id;
    runs.remove++;
  }

  @Post('flaky')
  @HttpCode(200)
  flaky(@Body() body: ThingRequest): { name: string; run: number } {
    runs.flaky++;
    if (flakyFailsNext) {
      flakyFailsNext = false;
      throw new DomainError('NOT_EDITABLE', 'not now');
    }
    return { name: body.name, run: runs.flaky };
  }

  @Post('upload')
  // A multipart operation says so; anything else takes JSON only (ContentTypeGuard).
  @ApiConsumes('multipart/form-data')
  @HttpCode(201)
  @UseInterceptors(FileInterceptor('file'))
  upload(@Body() body: { kind?: string }, @UploadedFile() file: { originalname: string; size: number } | undefined): { kind?: string; name?: string; size?: number; run: number } {
    return { kind: body.kind, name: file?.originalname, size: file?.size, run: ++runs.upload };
  }
}

@Module({})
class ThingsModule {
  static forService(config: ServiceConfig): DynamicModule {
    return {
      module: ThingsModule,
      imports: [PlatformModule.forService({ config, entities: [], migrations: [], consumes: [], authentication: true })],
      controllers: [ThingsController],
    };
  }
}

const qingyuan: Principal = { userId: 'u-qingyuan', username: 'qingyuan', name: '庆元县人民政府', role: 'applicant', county: 'qingyuan' };
const jingning: Principal = { userId: 'u-jingning', username: 'jingning', name: '景宁畲族自治县人民政府', role: 'applicant', county: 'jingning' };

describe('Idempotency-Key on mutating requests', () => {
  let t: TestApp;
  let as: { qingyuan: string; jingning: string };
  const http = () => request(t.app.getHttpServer());
  const post = (path: string, key: string | undefined, body: object, auth = as.qingyuan) => {
    const r = http().post(path).set('authorization', auth);
    return (key === undefined ? r : r.set('Idempotency-Key', key)).send(body);
  };

  beforeAll(async () => {
    t = await createTestApp({ service: 'intake', module: ThingsModule.forService, schema: { entities: [], migrations: [] } });
    const tokens = t.app.get(TokenService);
    as = {
      qingyuan: `Bearer ${(await tokens.signAccess(qingyuan)).token}`,
      jingning: `Bearer ${(await tokens.signAccess(jingning)).token}`,
    };
  });

  afterAll(async () => {
    await t?.close();
  });

  beforeEach(() => {
    Object.assign(runs, { create: 0, remove: 0, upload: 0, flaky: 0 });
    flakyFailsNext = false;
  });

  it('replays the first response to a retry without running the handler again', async () => {
    const key = randomUUID();
    const first = await post('/things', key, { name: '庆元', size: 3 }).expect(201);
    const again = await post('/things', key, { size: 3, name: '庆元' }).expect(201);
    expect(runs.create).toBe(1);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
  });

  it('replays an empty 204 as an empty 204', async () => {
    const key = randomUUID();
    await http().delete('/things/a').set('authorization', as.qingyuan).set('Idempotency-Key', key).expect(204);
    const again = await http().delete('/things/a').set('authorization', as.qingyuan).set('Idempotency-Key', key).expect(204);
    expect([runs.remove, again.text, again.headers['idempotent-replayed']]).toEqual([1, '', 'true']);
  });

  it('refuses the same key with another body (422 IDEMPOTENCY_KEY_REUSED) and keeps the first response', async () => {
    const key = randomUUID();
    const first = await post('/things', key, { name: '庆元' }).expect(201);
    const other = await post('/things', key, { name: '景宁' }).expect(422);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(other.text)).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED', type: 'https://shanhai.dev/problems/idempotency-key-reused' });
    const again = await post('/things', key, { name: '庆元' }).expect(201);
    expect([runs.create, again.body]).toEqual([1, first.body]);
  });

  it('runs the handler once when two requests with one key arrive together; the other waits its turn (409) or is a replay', async () => {
    for (let round = 0; round < 5; round++) {
      const before = runs.create;
      const key = randomUUID();
      const answers = await Promise.all([post('/things', key, { name: '庆元' }), post('/things', key, { name: '庆元' })]);
      expect(runs.create - before).toBe(1);
      const statuses = answers.map((a) => a.status).sort();
      expect([[201, 201], [201, 409]]).toContainEqual(statuses);
      const conflict = answers.find((a) => a.status === 409);
      if (conflict) expect([JSON.parse(conflict.text), conflict.headers['retry-after']]).toEqual([expect.objectContaining({ code: 'IDEMPOTENCY_IN_PROGRESS' }), '1']);
      else expect(answers[0]?.body).toEqual(answers[1]?.body);
    }
  });

  it('keeps one caller\'s key apart from another\'s, and one route\'s from another\'s', async () => {
    const key = randomUUID();
    const mine = await post('/things', key, { name: '庆元' }).expect(201);
    const theirs = await post('/things', key, { name: '景宁' }, as.jingning).expect(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    const anonymous = await http().post('/things/open').set('Idempotency-Key', key).send({ name: '庆元' }).expect(201);
    expect(anonymous.headers['idempotent-replayed']).toBeUndefined();
    expect(runs.create).toBe(3);
  });

  it('forgets a request whose handler failed, so the same key may be retried', async () => {
    const key = randomUUID();
    flakyFailsNext = true;
    await post('/things/flaky', key, { name: '庆元' }).expect(409);
    const retried = await post('/things/flaky', key, { name: '庆元' }).expect(200);
    const replayed = await post('/things/flaky', key, { name: '庆元' }).expect(200);
    expect([runs.flaky, replayed.body, replayed.headers['idempotent-replayed']]).toEqual([2, retried.body, 'true']);
  });

  it('forgets a request refused by validation, which never reached the handler', async () => {
    const key = randomUUID();
    await post('/things', key, { name: 7 }).expect(400);
    await post('/things', key, { name: '庆元' }).expect(201);
    expect(runs.create).toBe(1);
  });

  it('never keeps a response marked Cache-Control: no-store, such as tokens', async () => {
    const key = randomUUID();
    await http().post('/things/token').set('Idempotency-Key', key).send({ name: '庆元' }).expect(200);
    const again = await http().post('/things/token').set('Idempotency-Key', key).send({ name: '庆元' }).expect(200);
    expect([runs.create, again.headers['idempotent-replayed']]).toEqual([2, undefined]);
    await expect(t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1`, [key])).resolves.toEqual([{ n: 0 }]);
  });

  it('does nothing without the header, and refuses a malformed key naming the header', async () => {
    await post('/things', undefined, { name: '庆元' }).expect(201);
    await post('/things', undefined, { name: '庆元' }).expect(201);
    expect(runs.create).toBe(2);
    for (const bad of ['a'.repeat(256), 'with space', '']) {
      const refused = await post('/things', bad, { name: '庆元' }).expect(400);
      expect(JSON.parse(refused.text)).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'Idempotency-Key', message: expect.any(String) }] });
    }
    expect(runs.create).toBe(2);
  });

  it('fingerprints a multipart upload by its parts, whatever boundary the client picks', async () => {
    const key = randomUUID();
    const upload = (content: string) =>
      http().post('/things/upload').set('authorization', as.qingyuan).set('Idempotency-Key', key).field('kind', 'feasibility_report').attach('file', Buffer.from(content), 'report.pdf');
    const first = await upload('%PDF-1.7 the report').expect(201);
    expect(first.body).toMatchObject({ kind: 'feasibility_report', name: 'report.pdf', size: 19 });
    const again = await upload('%PDF-1.7 the report').expect(201);
    expect([runs.upload, again.body, again.headers['idempotent-replayed']]).toEqual([1, first.body, 'true']);
    await upload('%PDF-1.7 another report').expect(422);
    expect(runs.upload).toBe(1);
  });

  it('takes an expired key as absent and clears expired keys as it goes', async () => {
    const key = randomUUID();
    await post('/things', key, { name: '庆元' }).expect(201);
    const db = t.app.get(DataSource);
    await db.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);
    await db.query(
      `INSERT INTO idempotency_keys (scope, key, fingerprint, status, expires_at) VALUES ('old', 'old', 'x', 'completed', now() - interval '1 hour')`,
    );
    const fresh = await post('/things', key, { name: '景宁' }).expect(201);
    expect([runs.create, fresh.headers['idempotent-replayed']]).toEqual([2, undefined]);
    await expect(db.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE expires_at <= now()`)).resolves.toEqual([{ n: 0 }]);
  });
});
