import { IsNull, MoreThan, type EntityManager } from 'typeorm';
import { RefreshTokenRecord } from './refresh-token.entity.js';

/**
 * Ends every session of a user, in the caller's transaction: a revoked refresh token can never be
 * traded again. The directory calls it when an admin deactivates an account or resets its password.
 */
export async function endSessions(m: EntityManager, userId: string, now: Date): Promise<void> {
  await m.update(RefreshTokenRecord, { userId, revokedAt: IsNull(), usedAt: IsNull(), expiresAt: MoreThan(now) }, { revokedAt: now });
}
