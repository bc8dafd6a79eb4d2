import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, type DynamicModule, Get, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TokenRevocations } from '../src/auth/token-revocations.js';
import { eventually } from '../src/testing/eventually.js';
import { CurrentUser, Public, Roles } from '../src/auth/decorators.js';
import type { Principal } from '../src/auth/principal.js';
import { TokenService } from '../src/auth/token.service.js';
import type { ServiceConfig } from '../src/config/config.js';
import { PlatformModule } from '../src/platform.module.js';
import { createTestApp, type TestApp } from '../src/testing/test-app.js';

@Controller('probe')
class ProbeController {
  @Public()
  @Get('open')
  open(): { open: true } {
    return { open: true };
  }

  @Get('me')
  me(@CurrentUser() principal: Principal): Principal {
    return principal;
  }

  @Roles('admin')
  @Get('admin')
  admin(): { admin: true } {
    return { admin: true };
  }
}

@Module({})
class ProbeModule {
  static forService(config: ServiceConfig): DynamicModule {
    return {
      module: ProbeModule,
      imports: [PlatformModule.forService({ config, entities: [], migrations: [], consumes: [], authentication: true })],
      controllers: [ProbeController],
    };
  }
}

const applicant: Principal = { userId: 'u-qingyuan', username: 'qingyuan', name: '庆元县人民政府', role: 'applicant', county: 'qingyuan' };
const admin: Principal = { userId: 'u-admin', username: 'admin', name: '系统管理员', role: 'admin' };

describe('authentication on every route', () => {
  let t: TestApp;
  let tokens: TokenService;
  const http = () => request(t.app.getHttpServer());
  const bearer = async (principal: Principal, now?: Date) => `Bearer ${(await tokens.signAccess(principal, now)).token}`;

  beforeAll(async () => {
    t = await createTestApp({ service: 'intake', module: ProbeModule.forService, schema: { entities: [], migrations: [] } });
    tokens = t.app.get(TokenService);
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 401 problem+json with a Bearer challenge when there is no token', async () => {
    const response = await http().get('/probe/me').expect(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(JSON.parse(response.text)).toEqual({
      type: 'https://shanhai.dev/problems/unauthenticated',
      title: 'Unauthenticated',
      status: 401,
      code: 'UNAUTHENTICATED',
      detail: expect.any(String),
      reason: 'TOKEN_MISSING',
      instance: '/probe/me',
    });
  });

  it('answers 401 to another scheme and to a token that is not valid', async () => {
    await http().get('/probe/me').set('Authorization', 'Basic cWluZ3l1YW46c2VjcmV0').expect(401);
    const response = await http().get('/probe/me').set('Authorization', 'Bearer not.a.token').expect(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(JSON.parse(response.text)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
  });

  it('tells the client when its token expired, so it can refresh', async () => {
    const expired = await bearer(applicant, new Date(Date.now() - 3600_000));
    const response = await http().get('/probe/me').set('Authorization', expired).expect(401);
    expect(JSON.parse(response.text)).toMatchObject({ reason: 'TOKEN_EXPIRED', detail: 'the access token has expired' });
  });

  it("lets a valid token through and hands the route the caller's principal", async () => {
    const response = await http().get('/probe/me').set('Authorization', await bearer(applicant)).expect(200);
    expect(response.body).toEqual({ ...applicant, issuedAt: expect.any(Number) });
  });

  it('refuses at once the tokens of an account on the revocation list: all of an inactive one, those issued before a reset', async () => {
    const dataSource = t.app.get(DataSource);
    const revoked = { ...applicant, userId: randomUUID() };
    const before = await bearer(revoked, new Date(Date.now() - 10_000));
    await http().get('/probe/me').set('Authorization', before).expect(200);
    await dataSource.transaction((m) => TokenRevocations.record(m, revoked.userId, { issuedBefore: new Date(Date.now() - 5_000) }));
    const refused = await eventually(() => http().get('/probe/me').set('Authorization', before), (r) => r.status === 401);
    expect(JSON.parse(refused.text)).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_REVOKED' });
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    // A token issued after the reset is taken; once the account is inactive, no token is.
    const after = await bearer(revoked);
    await http().get('/probe/me').set('Authorization', after).expect(200);
    await dataSource.transaction((m) => TokenRevocations.record(m, revoked.userId, { inactive: true }));
    await eventually(() => http().get('/probe/me').set('Authorization', after), (r) => r.status === 401);
    // Someone else's token is not affected.
    await http().get('/probe/me').set('Authorization', await bearer(applicant)).expect(200);
  });

  it('answers 403 problem+json when the role may not call the route', async () => {
    const response = await http().get('/probe/admin').set('Authorization', await bearer(applicant)).expect(403);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(response.text)).toMatchObject({ status: 403, code: 'FORBIDDEN', detail: 'this route is for admin only' });
    await http().get('/probe/admin').set('Authorization', await bearer(admin)).expect(200, { admin: true });
  });

  it('leaves public routes, health and the API docs open', async () => {
    await http().get('/probe/open').expect(200, { open: true });
    const health = await http().get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok' });
    // Swagger UI and the document are served by SwaggerModule straight on Express, outside Nest's guards.
    await http().get('/docs-json').expect(200);
    await http().get('/docs').expect(200);
  });
});
