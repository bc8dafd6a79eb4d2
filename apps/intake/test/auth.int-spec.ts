import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TokenService } from '@shanhai/platform';
import type { TestApp } from '@shanhai/platform/testing';
import request from 'supertest';
import type { IntakeConfig } from '../src/config.js';
import { DEMO_PASSWORD, startIntake } from './support/intake-app.js';

describe('intake: signing in', () => {
  let t: TestApp<IntakeConfig>;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    t = await startIntake();
    http = request(t.app.getHttpServer());
  });

  afterAll(async () => {
    await t?.close();
  });

  const login = (username: string, password = DEMO_PASSWORD) => http.post('/auth/login').send({ username, password });

  it('returns a short-lived signed access token carrying the role and county, and a refresh token', async () => {
    const response = await login('qingyuan').expect(200);
    expect(response.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, refreshExpiresIn: 14 * 24 * 3600 });
    const principal = await t.app.get(TokenService).verifyAccess(response.body.accessToken);
    expect(principal).toMatchObject({ username: 'qingyuan', role: 'applicant', county: 'qingyuan', name: '庆元县人民政府', email: 'qingyuan@county.shanhai.example' });
    const me = await http.get('/me').set('authorization', `Bearer ${response.body.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ username: 'qingyuan', role: 'applicant', county: 'qingyuan', organisation: null });
  });

  it('refuses a wrong password and an unknown user alike, as 401 problem+json', async () => {
    for (const attempt of [login('qingyuan', 'wrong-password'), login('nobody-here')]) {
      const response = await attempt.expect(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses a login body with missing or unknown fields, listing them', async () => {
    const response = await http.post('/auth/login').send({ user: 'qingyuan' }).expect(400);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['password', 'user', 'username']);
  });

  it('trades a refresh token once; a second use revokes the whole family', async () => {
    const first = (await login('lishui-commerce').expect(200)).body as { refreshToken: string };
    const second = (await http.post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body as { refreshToken: string; accessToken: string };
    await expect(t.app.get(TokenService).verifyAccess(second.accessToken)).resolves.toMatchObject({ role: 'reviewer', organisation: 'lishui-commerce', email: 'lishui-commerce@shanhai.example' });
    // The first token again: someone replayed it, so its successor stops working too.
    await http.post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    await http.post('/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401);
  });

  it('requires a valid token everywhere but login, refresh, health and the docs', async () => {
    await http.get('/health').expect(200);
    await http.get('/docs-json').expect(200);
    await http.get('/me').expect(401);
    await http.get('/zone-plans').set('authorization', 'Bearer not.a.token').expect(401);
    await http.get('/directory/counties').expect(401);
  });
});
