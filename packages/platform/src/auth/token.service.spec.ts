import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { decodeProtectedHeader, SignJWT } from 'jose';
import type { AuthConfig, JwtKey } from '../config/config.js';
import { AuthError } from './auth-error.js';
import type { Principal } from './principal.js';
import { TokenService } from './token.service.js';

/** A verified principal carries its token's issue time (for the revocation list). */
const issued = <P extends object>(p: P) => ({ ...p, issuedAt: expect.any(Number) });

const key = (kid: string): JwtKey => ({ kid, secret: `${kid}-secret-`.padEnd(40, kid.slice(-1)) });
const [k2026, k2027, other] = [key('k2026'), key('k2027'), key('other')];
const tokens = (keys: JwtKey[], auth: Partial<AuthConfig> = {}) => new TokenService({ auth: { keys, accessTtlSeconds: 900, issuer: 'shanhai', ...auth } });

const applicant: Principal = { userId: 'u-qingyuan', username: 'qingyuan', name: '庆元县人民政府', role: 'applicant', county: 'qingyuan' };
const everyField: Principal = {
  userId: 'u-1',
  username: 'watcher',
  name: '杭州经济技术开发区',
  role: 'stakeholder',
  county: 'qingyuan',
  organisation: 'hz-etdz',
  zone: 'hangzhou-etdz',
  email: 'hz-etdz@shanhai.example',
};
const now = new Date('2026-03-02T08:00:00Z');
const seconds = (n: number) => new Date(now.getTime() + n * 1000);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claimsFor = (p: Principal) => ({ sub: p.userId, preferred_username: p.username, name: p.name, role: p.role, county: p.county, iss: 'shanhai', iat: 1, exp: 4102444800, jti: 'j' });
/** Hand-made HS256 token, to produce what SignJWT would refuse to. */
const handMade = (header: object, payload: object, secret: string) => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};

const refusal = (promise: Promise<unknown>) => expect(promise).rejects.toThrow(AuthError);
const refusedWith = async (promise: Promise<unknown>, code: AuthError['code']) => {
  await expect(promise).rejects.toBeInstanceOf(AuthError);
  await expect(promise).rejects.toMatchObject({ code });
};

describe(TokenService.name, () => {
  it('round-trips every field of a principal', async () => {
    const service = tokens([k2026]);
    const { token, expiresAt } = await service.signAccess(everyField, now);
    await expect(service.verifyAccess(token, seconds(60))).resolves.toEqual(issued(everyField));
    expect(expiresAt).toEqual(seconds(900));
  });

  it('leaves unset scope fields out of the token and the principal', async () => {
    const service = tokens([k2026]);
    const { token } = await service.signAccess(applicant, now);
    const principal = await service.verifyAccess(token, now);
    expect(principal).toEqual(issued(applicant));
    expect(Object.keys(principal)).not.toContain('organisation');
  });

  it('carries the email as a claim, and still accepts a token signed before the claim existed', async () => {
    const service = tokens([k2026]);
    const { token } = await service.signAccess({ ...applicant, email: 'qingyuan@county.shanhai.example' }, now);
    const [, payload] = token.split('.') as [string, string];
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({ email: 'qingyuan@county.shanhai.example' });
    await expect(service.verifyAccess(token, now)).resolves.toEqual(issued({ ...applicant, email: 'qingyuan@county.shanhai.example' }));
    const old = handMade({ alg: 'HS256', typ: 'at+jwt', kid: 'k2026' }, claimsFor(applicant), k2026.secret);
    const principal = await service.verifyAccess(old, now);
    expect(principal).toEqual(issued(applicant));
    expect(Object.keys(principal)).not.toContain('email');
  });

  it('signs with the first key and names it in the kid header', async () => {
    const { token } = await tokens([k2027, k2026]).signAccess(applicant, now);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'at+jwt', kid: 'k2027' });
  });

  it('keeps accepting tokens of an old key while it is listed, and refuses them once it is dropped', async () => {
    const { token: old } = await tokens([k2026]).signAccess(applicant, now);
    // Rotation step 1: the new key is put first, the old one kept.
    const rotating = tokens([k2027, k2026]);
    await expect(rotating.verifyAccess(old, seconds(60))).resolves.toEqual(issued(applicant));
    const { token: fresh } = await rotating.signAccess(applicant, now);
    // Step 2, once the old tokens expired: the old key is dropped.
    const rotated = tokens([k2027]);
    await expect(rotated.verifyAccess(fresh, seconds(60))).resolves.toEqual(issued(applicant));
    await refusedWith(rotated.verifyAccess(old, seconds(60)), 'TOKEN_INVALID');
  });

  it('reports an expired token as expired, after a few seconds of clock tolerance', async () => {
    const service = tokens([k2026], { accessTtlSeconds: 60 });
    const { token } = await service.signAccess(applicant, now);
    await expect(service.verifyAccess(token, seconds(64))).resolves.toEqual(issued(applicant));
    await refusedWith(service.verifyAccess(token, seconds(66)), 'TOKEN_EXPIRED');
  });

  it('refuses a token whose payload or signature was changed', async () => {
    const service = tokens([k2026]);
    const { token } = await service.signAccess(applicant, now);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const asAdmin = b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' });
    await refusedWith(service.verifyAccess(`${header}.${asAdmin}.${signature}`, now), 'TOKEN_INVALID');
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BA' : 'AA'}`;
    await refusedWith(service.verifyAccess(`${header}.${payload}.${flipped}`, now), 'TOKEN_INVALID');
  });

  it('does not report a forged expired token as expired', async () => {
    const forged = handMade({ alg: 'HS256', typ: 'at+jwt', kid: 'k2026' }, { ...claimsFor(applicant), exp: 2 }, 'not-the-secret-not-the-secret-not-the-secret');
    await refusedWith(tokens([k2026]).verifyAccess(forged, now), 'TOKEN_INVALID');
  });

  it('refuses an unsigned token (alg none)', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'at+jwt', kid: 'k2026' })}.${b64(claimsFor(applicant))}.`;
    await refusedWith(tokens([k2026]).verifyAccess(unsigned, now), 'TOKEN_INVALID');
  });

  it('refuses another HMAC algorithm, even with the right secret', async () => {
    const hs512 = await new SignJWT(claimsFor(applicant))
      .setProtectedHeader({ alg: 'HS512', typ: 'at+jwt', kid: 'k2026' })
      .sign(new TextEncoder().encode(k2026.secret));
    await refusedWith(tokens([k2026]).verifyAccess(hs512, now), 'TOKEN_INVALID');
  });

  it('refuses a token signed with a key it does not know, or naming none', async () => {
    const { token } = await tokens([other]).signAccess(applicant, now);
    await refusedWith(tokens([k2026]).verifyAccess(token, now), 'TOKEN_INVALID');
    const noKid = handMade({ alg: 'HS256', typ: 'at+jwt' }, claimsFor(applicant), k2026.secret);
    await refusedWith(tokens([k2026]).verifyAccess(noKid, now), 'TOKEN_INVALID');
  });

  it('refuses a token from another issuer', async () => {
    const { token } = await tokens([k2026], { issuer: 'elsewhere' }).signAccess(applicant, now);
    await refusedWith(tokens([k2026]).verifyAccess(token, now), 'TOKEN_INVALID');
  });

  it('refuses a JWT that is not an access token, or lacks a claim', async () => {
    const idToken = handMade({ alg: 'HS256', typ: 'JWT', kid: 'k2026' }, claimsFor(applicant), k2026.secret);
    await refusedWith(tokens([k2026]).verifyAccess(idToken, now), 'TOKEN_INVALID');
    const { role: _, ...roleless } = claimsFor(applicant);
    await refusedWith(tokens([k2026]).verifyAccess(handMade({ alg: 'HS256', typ: 'at+jwt', kid: 'k2026' }, roleless, k2026.secret), now), 'TOKEN_INVALID');
    const unknownRole = { ...claimsFor(applicant), role: 'superuser' };
    await refusedWith(tokens([k2026]).verifyAccess(handMade({ alg: 'HS256', typ: 'at+jwt', kid: 'k2026' }, unknownRole, k2026.secret), now), 'TOKEN_INVALID');
  });

  it('refuses a validly signed applicant token without a county', async () => {
    const { county: _, ...unscoped } = claimsFor(applicant);
    await refusedWith(tokens([k2026]).verifyAccess(handMade({ alg: 'HS256', typ: 'at+jwt', kid: 'k2026' }, unscoped, k2026.secret), now), 'TOKEN_INVALID');
  });

  it.each(['', 'garbage', 'a.b.c', '...', 'eyJhbGciOiJIUzI1NiJ9..'])('refuses a malformed token %j', async (garbage) => {
    await refusal(tokens([k2026]).verifyAccess(garbage, now));
  });

  it('will not sign for an applicant without a county or a reviewer without an organisation', async () => {
    const service = tokens([k2026]);
    await expect(service.signAccess({ ...applicant, county: undefined }, now)).rejects.toThrow('an applicant needs a county');
    await expect(service.signAccess({ userId: 'r', username: 'r', name: 'R', role: 'reviewer' }, now)).rejects.toThrow('a reviewer needs an organisation');
  });

  it('gives each token its own id', async () => {
    const service = tokens([k2026]);
    const [a, b] = await Promise.all([service.signAccess(applicant, now), service.signAccess(applicant, now)]);
    expect(a.token).not.toBe(b.token);
  });

  it('mints random refresh tokens and stores only their SHA-256', () => {
    const service = tokens([k2026]);
    const first = service.newRefreshToken();
    const second = service.newRefreshToken();
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.token).not.toBe(second.token);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(service.hashRefreshToken(first.token)).toBe(first.hash);
    expect(service.hashRefreshToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('needs at least one key', () => {
    expect(() => tokens([])).toThrow('at least one signing key');
  });
});
