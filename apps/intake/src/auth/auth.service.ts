import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DUMMY_HASH, TokenService, unauthenticated, verifyPassword, type Principal } from '@shanhai/platform';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { UsersService, type Account } from '../directory/users.service.js';
import { RefreshTokenRecord } from './refresh-token.entity.js';

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
  ) {}

  /** A missing user costs the same time as a wrong password, so neither can be told apart. */
  async login(username: string, password: string, now = new Date()): Promise<TokenPair> {
    const user = await this.users.activeAccount(this.dataSource.manager, { username });
    const matches = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !matches) throw unauthenticated('unknown user or wrong password', 'CREDENTIALS_INVALID');
    return this.dataSource.transaction((m) => this.issue(m, user, randomUUID(), now));
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
