import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, DUMMY_HASH, TokenService, unauthenticated, verifyPassword, type Principal } from '@shanhai/platform';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { UsersService, type Account } from '../directory/users.service.js';
import { SignInEvent, type SignInOutcome } from './sign-in-event.entity.js';
import { SignInLimits } from './sign-in-limits.js';
import { RefreshTokenRecord } from './refresh-token.entity.js';

/** Where a sign-in comes from: the client address (the socket's, or the proxy's when trusted) and its user agent. */
export interface SignInClient {
  readonly address: string;
  readonly userAgent: string | null;
}

export const REFRESH_TTL_SECONDS = 14 * 24 * 3600;

export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}


@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly users: UsersService,
    private readonly limits: SignInLimits,
  ) {}

  /**
   * A missing user costs the same time as a wrong password, so neither can be told apart; so does
   * a locked-out one (the password is still checked, against a dummy hash). Failures count
   * against the account and the client address (SignInLimits); every attempt is logged.
   */
  async login(username: string, password: string, client: SignInClient = { address: 'unknown', userAgent: null }, now = new Date()): Promise<TokenPair> {
    const lockedFor = await this.limits.lockedFor(username, client.address);
    const user = lockedFor ? null : await this.users.activeAccount(this.dataSource.manager, { username });
    const matches = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (lockedFor) {
      await this.log(username, null, client, 'locked_out', now);
      throw new DomainError('SIGN_IN_LOCKED', `too many failed sign-ins: try again in ${lockedFor} s, or ask an admin to lift the lock-out`, { retryAfter: lockedFor }, { 'Retry-After': String(lockedFor) });
    }
    if (!user || !matches) {
      await this.limits.failed(username, client.address);
      await this.log(username, user?.id ?? null, client, user ? 'wrong_password' : 'unknown_user', now);
      throw unauthenticated('unknown user or wrong password', 'CREDENTIALS_INVALID');
    }
    await this.limits.succeeded(username);
    await this.log(username, user.id, client, 'signed_in', now);
    return this.dataSource.transaction((m) => this.issue(m, user, randomUUID(), now));
  }

  /** The security log, newest first. */
  async signIns(filter: { username?: string; limit: number; offset: number }): Promise<{ items: SignInEvent[]; total: number }> {
    const [items, total] = await this.dataSource.manager.findAndCount(SignInEvent, {
      where: filter.username ? { username: filter.username } : {},
      order: { id: 'DESC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return { items, total };
  }

  private async log(username: string, userId: string | null, client: SignInClient, outcome: SignInOutcome, at: Date): Promise<void> {
    await this.dataSource.manager.insert(SignInEvent, { at, username, userId, clientAddress: client.address, userAgent: client.userAgent?.slice(0, 500) ?? null, outcome });
  }

  /** Trades a refresh token for a new pair; a token used twice revokes its whole family. */
  async refresh(refreshToken: string, now = new Date()): Promise<TokenPair> {
    const outcome = await this.dataSource.transaction(async (m) => {
      const record = await m.findOne(RefreshTokenRecord, {
        where: { tokenHash: this.tokens.hashRefreshToken(refreshToken) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!record || record.revokedAt || record.expiresAt <= now) return undefined;
      if (record.usedAt) {
        await m.update(RefreshTokenRecord, { familyId: record.familyId, revokedAt: IsNull() }, { revokedAt: now });
        return 'reused' as const;
      }
      const user = await this.users.activeAccount(m, { id: record.userId });
      if (!user) return undefined;
      await m.update(RefreshTokenRecord, { id: record.id }, { usedAt: now });
      return this.issue(m, user, record.familyId, now);
    });
    // The family's revocation must commit even though the request is refused.
    if (!outcome || outcome === 'reused') throw unauthenticated('the refresh token is not valid', 'TOKEN_INVALID');
    return outcome;
  }

  async me(principal: Principal): Promise<Account> {
    const user = await this.users.activeAccount(this.dataSource.manager, { id: principal.userId });
    if (!user) throw unauthenticated('the account no longer exists', 'TOKEN_INVALID');
    return user;
  }

  private async issue(m: EntityManager, user: Account, familyId: string, now: Date): Promise<TokenPair> {
    const access = await this.tokens.signAccess(principalOf(user), now);
    const refresh = this.tokens.newRefreshToken();
    await m.insert(RefreshTokenRecord, {
      id: randomUUID(),
      userId: user.id,
      tokenHash: refresh.hash,
      familyId,
      expiresAt: new Date(now.getTime() + REFRESH_TTL_SECONDS * 1000),
      usedAt: null,
      revokedAt: null,
    });
    return {
      accessToken: access.token,
      tokenType: 'Bearer',
      // exp is in whole seconds: round up so a 900 s token says 900, not 899.
      expiresIn: Math.ceil((access.expiresAt.getTime() - now.getTime()) / 1000),
      refreshToken: refresh.token,
      refreshExpiresIn: REFRESH_TTL_SECONDS,
    };
  }
}

export function principalOf(user: Account): Principal {
  return {
    userId: user.id,
    username: user.username,
    name: user.name,
    role: user.role,
    ...(user.countyCode ? { county: user.countyCode } : {}),
    ...(user.organisationCode ? { organisation: user.organisationCode } : {}),
    ...(user.zoneCode ? { zone: user.zoneCode } : {}),
    ...(user.email ? { email: user.email } : {}),
  };
}
