import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, type DynamicModule, Get, Module, Param, ParseIntPipe, Patch, Post, Query, SetMetadata } from '@nestjs/common';
import { ApiConsumes } from '@nestjs/swagger';
import { IsEmail, IsInt, IsOptional, IsString, Min } from 'class-validator';
import { Type } from 'class-transformer';
import request from 'supertest';
import { IS_PUBLIC, Public } from '../src/auth/decorators.js';
import type { ServiceConfig } from '../src/config/config.js';
import { PlatformModule } from '../src/platform.module.js';
import { createTestApp, type TestApp } from '../src/testing/test-app.js';

class NoteBody {
  @IsOptional() @IsString()
  title?: string;

  @IsOptional() @IsInt()
  count?: number;

  @IsOptional()
  content?: unknown;

  @IsOptional() @IsEmail()
  email?: string;
}

class PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  offset?: number;
}

@Public()
@Controller('probe')
class ProbeController {
  @Post('notes')
  create(@Body() body: NoteBody): { ok: true; body: NoteBody } {
    return { ok: true, body };
  }

  @Patch('notes')
  edit(@Body() body: NoteBody): { ok: true } {
    void body;
    return { ok: true };
  }

  @Get('notes')
  list(@Query() query: PageQuery): { offset: number } {
    return { offset: query.offset ?? 0 };
  }

  @Get('years/:year')
  year(@Param('year', new ParseIntPipe()) year: number): { year: number } {
    return { year };
  }

  @Post('private')
  @SetMetadata(IS_PUBLIC, false)
  mine(@Body() body: NoteBody): { ok: true } {
    void body;
    return { ok: true };
  }

  @Post('upload')
  @ApiConsumes('multipart/form-data')
  upload(): { ok: true } {
    return { ok: true };
  }
}

@Module({})
class ProbeModule {
  static forService(config: ServiceConfig): DynamicModule {
    return { module: ProbeModule, imports: [PlatformModule.forService({ config, entities: [], migrations: [], consumes: [], authentication: true })], controllers: [ProbeController] };
  }
}

describe('the input gate: no hostile input reaches a handler', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  const json = (body: string) => http().post('/probe/notes').set('content-type', 'application/json').send(body);
  const fields = (r: request.Response) => (r.body.errors as { field: string }[]).map((e) => e.field).sort();

  beforeAll(async () => {
    t = await createTestApp({ service: 'intake', module: ProbeModule.forService, schema: { entities: [], migrations: [] } });
  });

  afterAll(() => t.close());

  const expectProblem = (r: request.Response, status = 400) => {
    expect(r.status).toBe(status);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  };

  it('takes clean input', async () => {
    await json(JSON.stringify({ title: '浙江庆元经济开发区 😀', content: { blocks: [{ areaKm2: 3.2 }] } })).expect(201);
  });

  it('refuses a NUL, a lone surrogate and invalid UTF-8, naming where', async () => {
    const r = await json('{"title":"a\\u0000b","content":{"x":["ok","c\\ud800d"]}}');
    expectProblem(r);
    expect(fields(r)).toEqual(['content.x.1', 'title']);
    // Raw bytes, which supertest would re-encode: 0xFF 0xFE is no UTF-8 sequence.
    const bytes = Buffer.concat([Buffer.from('{"title":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('b"}')]);
    const raw = await fetch(`${await t.app.getUrl()}/probe/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes });
    expect([raw.status, raw.headers.get('content-type')]).toEqual([400, expect.stringMatching(/^application\/problem\+json/)]);
    expect(((await raw.json()) as { errors: unknown }).errors).toEqual([{ field: 'body', message: 'is not valid UTF-8' }]);
  });

  it('refuses prototype keys at any depth, and a body nested thousands of levels deep', async () => {
    const r = await json('{"__proto__":{"x":1},"content":{"blocks":[{"constructor":1,"prototype":2}]}}');
    expectProblem(r);
    expect(fields(r)).toEqual(['__proto__', 'content.blocks.0.constructor', 'content.blocks.0.prototype']);
    const deep = await json(`{"content":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expectProblem(deep);
    expect(deep.body.errors[0].message).toMatch(/nested deeper than 32 levels/);
  });

  it('lists the gate\'s problems and the DTO\'s in one response, one per field', async () => {
    const r = await json('{"title":"a\\u0000b","count":"many","__proto__":{"x":1},"extra":1}');
    expectProblem(r);
    expect(fields(r)).toEqual(['__proto__', 'count', 'extra', 'title']);
    expect(r.body.errors.find((e: { field: string }) => e.field === 'title').message).toMatch(/NUL/);
    const q = await http().get('/probe/notes?offset=1e308&limit=3');
    expect(fields(q)).toEqual(['limit', 'offset']);
  });

  it('lists a lone surrogate in a field whose validator encodes it (IsEmail) in the 400, never a 500', async () => {
    const r = await json('{"email":"a\\ud800@example.com","count":"many"}');
    expectProblem(r);
    expect(fields(r)).toEqual(['count', 'email']);
    expect(r.body.errors.find((e: { field: string }) => e.field === 'email').message).toMatch(/surrogate/);
  });

  it('refuses hostile input before authentication: 400, not 401, without a token', async () => {
    const r = await http().post('/probe/private').set('content-type', 'application/json').send('{"title":"a\\u0000"}');
    expectProblem(r);
    expect(fields(r)).toEqual(['title']);
    expectProblem(await http().post('/probe/private').set('content-type', 'application/json').send('{"title":"fine"}'), 401);
  });

  it('refuses numbers beyond the safe range, in the body and the query', async () => {
    expectProblem(await json('{"content":{"n":1e308}}'));
    expectProblem(await json('{"content":{"n":9007199254740993}}'));
    for (const offset of ['1e308', '9007199254740993', '-1e400']) {
      const r = await http().get(`/probe/notes?offset=${offset}`);
      expectProblem(r);
      expect(fields(r)).toEqual(['offset']);
    }
    await http().get('/probe/notes?offset=20').expect(200, { offset: 20 });
  });

  it('reads a number parameter only as digits: 1e3, 0x10 and numbers past the safe range are a 400 naming it', async () => {
    for (const year of ['1e3', '0x10', '9007199254740993', '%201', 'Infinity']) {
      const r = await http().get(`/probe/years/${year}`);
      expectProblem(r);
      expect(r.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'year' }] });
    }
    await http().get('/probe/years/2026').expect(200, { year: 2026 });
  });

  it('refuses a NUL or broken percent-encoding in the path and the query', async () => {
    expectProblem(await http().get('/probe/notes?offset=%00'));
    expectProblem(await http().get('/probe/no%00tes'));
    expectProblem(await http().get('/probe/notes%E0%A4%A'));
    // Express's query parser would read these as U+FFFD or as text: the gate reads the query as sent.
    for (const value of ['%FF', '%C3%28', '%ED%A0%80', '%ZZ', 'a%E4%B8']) {
      const r = await http().get(`/probe/notes?offset=${value}`);
      expectProblem(r);
      expect(fields(r)).toEqual(['offset']);
    }
  });

  it('reads a +json body as JSON: parsed, gated and validated, never ignored', async () => {
    const r = await http().patch('/probe/notes').set('content-type', 'application/merge-patch+json').send('{"title":"a\\u0000b","extra":1}');
    expectProblem(r);
    expect(fields(r)).toEqual(['extra', 'title']);
    await http().post('/probe/notes').set('content-type', 'application/vnd.shanhai+json').send('{"title":"fine"}').expect(201, { ok: true, body: { title: 'fine' } });
  });

  it('answers 415 to a body in the wrong or no content type, and takes multipart where the operation does', async () => {
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      const r = await http().patch('/probe/notes').set('content-type', type).send('title=x');
      expectProblem(r, 415);
      expect(r.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', accepts: ['application/json'] });
    }
    expectProblem(await http().post('/probe/notes').set('content-type', 'multipart/form-data; boundary=x').send('--x--'), 415);
    await http().post('/probe/upload').attach('file', Buffer.from('%PDF-1.4'), 'a.pdf').expect(201);
    expectProblem(await http().post('/probe/upload').set('content-type', 'application/json').send('{}'), 415);
    // No body at all needs no content type.
    await http().post('/probe/notes').expect(201);
  });
});
