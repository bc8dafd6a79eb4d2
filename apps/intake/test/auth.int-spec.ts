import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TokenService } from '@shanhai/platform';
import type { TestApp } from '@shanhai/platform/testing';
import request from 'supertest';
import type { IntakeConfig } from '../src/config.js';
import { SIGN_IN_LIMITS, SignInLimits } from '../src/auth/sign-in-limits.js';
import { DEMO_PASSWORD, startIntake } from './support/intake-app.js';

describe('intake: signing in', () => {
  let t: TestApp<IntakeConfig>;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    // A lower address limit than the default 100: each failure costs a password hash, slow on a busy machine.
    t = await startIntake({ signInLimits: { ...SIGN_IN_LIMITS, address: { ...SIGN_IN_LIMITS.address, failures: 20 } } });
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

  it('locks an account out after 5 wrong passwords, even for the right one, until the lock lifts or an admin lifts it; all in the security log', async () => {
    const admin = `Bearer ${(await login('admin').expect(200)).body.accessToken}`;
    for (let i = 0; i < 5; i += 1) await login('songyang', `wrong-${i}`).expect(401);
    const locked = await login('songyang').expect(429);
    expect(locked.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(locked.body).toMatchObject({ code: 'SIGN_IN_LOCKED', retryAfter: expect.any(Number) });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    // Another account is not affected; the name is matched whatever its case.
    await login('qingyuan').expect(200);
    await login('SongYang').expect(429);

    const lockouts = await http.get('/auth/lockouts').set('authorization', admin).expect(200);
    expect(lockouts.body).toContainEqual({ kind: 'account', key: 'songyang', retryAfter: expect.any(Number) });
    await http.delete('/auth/lockouts/account/songyang').set('authorization', admin).expect(204);
    await http.delete('/auth/lockouts/account/songyang').set('authorization', admin).expect(404);
    await http.delete('/auth/lockouts/nonsense/songyang').set('authorization', admin).expect(400);
    await login('songyang').expect(200);

    const log = await http.get('/auth/sign-ins?username=songyang&limit=20').set('authorization', admin).expect(200);
    // Names are logged as typed: the attempt as 'SongYang' is its own line.
    expect(log.body.items.map((e: { outcome: string }) => e.outcome)).toEqual(['signed_in', 'locked_out', ...Array(5).fill('wrong_password')]);
    expect(log.body.items[0]).toMatchObject({ username: 'songyang', userId: expect.any(String), clientAddress: expect.any(String) });
    const applicant = `Bearer ${(await login('qingyuan').expect(200)).body.accessToken}`;
    await http.get('/auth/sign-ins').set('authorization', applicant).expect(403);
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

  it('locks a client address out after many failures across accounts', async () => {
    // The address already has this file's earlier failures against it: count on to the limit.
    const codes: number[] = [];
    for (let i = 0; i < 20 && !codes.includes(429); i += 1) codes.push((await login(`nobody-${i}`, 'x')).status);
    expect(codes.at(-1)).toBe(429);
    expect(new Set(codes.slice(0, -1))).toEqual(new Set([401]));
    const locked = await login('qingyuan').expect(429);
    expect(locked.body.code).toBe('SIGN_IN_LOCKED');
    const [address] = ((await t.app.get(SignInLimits).lockouts()) as { kind: string; key: string }[]).filter((l) => l.kind === 'address');
    expect(address).toBeDefined();
    await t.app.get(SignInLimits).lift('address', address!.key);
    await login('qingyuan').expect(200);
  });
});
