import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { errors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { SERVICE_CONFIG, type ServiceConfig } from '../config/config.js';
import { AuthError } from './auth-error.js';
import { type Principal, ROLES, scopeProblem } from './principal.js';

const ALGORITHM = 'HS256';
/** RFC 9068: marks the token as an access token, so no other JWT signed with these keys passes as one. */
const TOKEN_TYPE = 'at+jwt';
/** Replicas' clocks differ a little; a token is not refused for a few seconds of drift. */
const CLOCK_TOLERANCE_SECONDS = 5;
const REFRESH_TOKEN_BYTES = 32;

const optionalCode = z.string().min(1).optional();
const claimsSchema = z.object({
  sub: z.string().min(1),
  preferred_username: z.string().min(1),
  name: z.string(),
  role: z.enum(ROLES),
  county: optionalCode,
  organisation: optionalCode,
  zone: optionalCode,
  // Optional: tokens signed before the claim was added stay valid. Not checked as an address: the
  // directory's value is signed as it is, and a token must not fail on a spelling it accepted.
  email: z.string().min(1).optional(),
  iat: z.number().int().nonnegative(),
});

/**
 * Signs and verifies the short-lived access tokens every service accepts (HS256, shared keys from
 * configuration, picked by `kid` so a key can be rotated without downtime), and mints refresh
 * tokens, which are random strings and not JWTs: they are only ever checked against intake's store.
 */
@Injectable()
export class TokenService {
  private readonly signingKey: { readonly kid: string; readonly secret: Uint8Array };
  private readonly verifyingKeys: ReadonlyMap<string, Uint8Array>;
  private readonly ttlSeconds: number;
  private readonly issuer: string;

  constructor(@Inject(SERVICE_CONFIG) config: Pick<ServiceConfig, 'auth'>) {
    const { keys, accessTtlSeconds, issuer } = config.auth;
    const encoder = new TextEncoder();
    const [first] = keys;
    if (!first) throw new Error('auth.keys is empty: at least one signing key is needed');
    this.signingKey = { kid: first.kid, secret: encoder.encode(first.secret) };
    this.verifyingKeys = new Map(keys.map((k) => [k.kid, encoder.encode(k.secret)]));
    this.ttlSeconds = accessTtlSeconds;
    this.issuer = issuer;
  }

  /** A signed access token for `principal`, valid for the configured time. */
  async signAccess(principal: Principal, now: Date = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const problem = scopeProblem(principal);
    if (problem) throw new TypeError(`cannot sign a token for ${principal.username}: ${problem}`);
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = issuedAt + this.ttlSeconds;
    const token = await new SignJWT({
      name: principal.name,
      role: principal.role,
      preferred_username: principal.username,
      ...(principal.county && { county: principal.county }),
      ...(principal.organisation && { organisation: principal.organisation }),
      ...(principal.zone && { zone: principal.zone }),
      ...(principal.email && { email: principal.email }),
    })
      .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE, kid: this.signingKey.kid })
      .setSubject(principal.userId)
      .setIssuer(this.issuer)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(this.signingKey.secret);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  /** The principal an access token names, or an AuthError when the token must not be trusted. */
  async verifyAccess(token: string, now: Date = new Date()): Promise<Principal> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.keyFor, {
        algorithms: [ALGORITHM],
        typ: TOKEN_TYPE,
        issuer: this.issuer,
        requiredClaims: ['sub', 'iat', 'exp', 'jti'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: now,
      }));
    } catch (error) {
      if (error instanceof AuthError) throw error;
      // jose checks the signature before the claims: only a genuine token can be reported as expired.
      if (error instanceof errors.JWTExpired) throw new AuthError('TOKEN_EXPIRED');
      if (error instanceof errors.JOSEError) throw new AuthError('TOKEN_INVALID');
      throw error;
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new AuthError('TOKEN_INVALID');
    const { sub, preferred_username, name, role, county, organisation, zone, email, iat } = claims.data;
    const principal: Principal = {
      userId: sub,
      username: preferred_username,
      name,
      role,
      ...(county && { county }),
      ...(organisation && { organisation }),
      ...(zone && { zone }),
      ...(email && { email }),
      issuedAt: iat,
    };
    if (scopeProblem(principal)) throw new AuthError('TOKEN_INVALID');
    return principal;
  }

  /** A new refresh token for the client and the hash to store (the token itself is never stored). */
  newRefreshToken(): { token: string; hash: string } {
    const token = randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
    return { token, hash: this.hashRefreshToken(token) };
  }

  /** The stored form of a refresh token: SHA-256 hex (the token has 256 random bits, so no salt or slow hash is needed). */
  hashRefreshToken(token: string): string {
    return createHash('sha256').update(token, 'utf8').digest('hex');
  }

  private readonly keyFor: JWTVerifyGetKey = (header) => {
    const key = header.kid === undefined ? undefined : this.verifyingKeys.get(header.kid);
    if (!key) throw new AuthError('TOKEN_INVALID');
    return key;
  };
}
