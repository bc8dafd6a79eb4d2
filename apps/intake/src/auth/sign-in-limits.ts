import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@shanhai/platform';
import { Redis } from 'ioredis';

export interface SignInLimit {
  /** Failures within the window that lock it. */
  readonly failures: number;
  readonly windowSeconds: number;
  readonly lockSeconds: number;
}

/**
 * Failures that lock an account, and how long; the same for a client address (shared by offices
 * behind one NAT, so higher). The failure counts are settings (SIGN_IN_ACCOUNT_FAILURES,
 * SIGN_IN_ADDRESS_FAILURES); these are the defaults.
 */
export const SIGN_IN_LIMITS = {
  account: { failures: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  address: { failures: 100, windowSeconds: 10 * 60, lockSeconds: 2 * 60 },
} as const satisfies Record<string, SignInLimit>;
export type LockKind = keyof typeof SIGN_IN_LIMITS;
export type SignInLimitSettings = Readonly<Record<LockKind, SignInLimit>>;

export interface Lockout {
  readonly kind: LockKind;
  /** The username (lower case) or the client address. */
  readonly key: string;
  /** Seconds until it lifts by itself. */
  readonly retryAfter: number;
}

/**
 * Sign-in failures counted per account and per client address in Redis, so every intake replica
 * shares them. Enough failures within the window lock the account (or address) for a while. If
 * Redis cannot be reached, sign-in is not blocked by it (logged): a backing service's outage must
 * not lock every county out.
 */
@Injectable()
export class SignInLimits implements OnModuleDestroy {
  private readonly logger = new Logger(SignInLimits.name);
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly limits: SignInLimitSettings;

  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig & { readonly signInLimits?: SignInLimitSettings }) {
    this.limits = config.signInLimits ?? SIGN_IN_LIMITS;
    this.redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
    this.redis.on('error', () => undefined);
    this.prefix = `${config.queuePrefix}:signin`;
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }

  /** The longest lock-out among the account's and the address's, in seconds (0: none). */
  async lockedFor(username: string, address: string): Promise<number> {
    try {
      const ttls = await Promise.all([this.redis.pttl(this.key('lock', 'account', username)), this.redis.pttl(this.key('lock', 'address', address))]);
      return Math.ceil(Math.max(0, ...ttls) / 1000);
    } catch (error) {
      this.logger.warn(`sign-in limits not read: ${(error as Error).message}`);
      return 0;
    }
  }

  /** Counts a failure against both; locks whichever reached its limit. */
  async failed(username: string, address: string): Promise<void> {
    try {
      await Promise.all([this.count('account', username), this.count('address', address)]);
    } catch (error) {
      this.logger.warn(`sign-in failure not counted: ${(error as Error).message}`);
    }
  }

  /** A successful sign-in clears the account's failures (not the address's). */
  async succeeded(username: string): Promise<void> {
    await this.redis.del(this.key('fail', 'account', username)).catch(() => undefined);
  }

  /** Every lock-out in force. */
  async lockouts(): Promise<Lockout[]> {
    const found: Lockout[] = [];
    for (const kind of Object.keys(SIGN_IN_LIMITS) as LockKind[]) {
      const pattern = `${this.prefix}:lock:${kind}:*`;
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 200);
        cursor = next;
        for (const k of keys) {
          const ttl = await this.redis.pttl(k);
          if (ttl > 0) found.push({ kind, key: decodeURIComponent(k.slice(pattern.length - 1)), retryAfter: Math.ceil(ttl / 1000) });
        }
      } while (cursor !== '0');
    }
    return found.sort((a, b) => a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key));
  }

  /** Lifts a lock-out and forgets its failures; false when there was none. */
  async lift(kind: LockKind, key: string): Promise<boolean> {
    const removed = await this.redis.del(this.key('lock', kind, key), this.key('fail', kind, key));
    return removed > 0;
  }

  private async count(kind: LockKind, key: string): Promise<void> {
    const limit = this.limits[kind];
    const fail = this.key('fail', kind, key);
    const result = await this.redis.multi().set(fail, '0', 'EX', limit.windowSeconds, 'NX').incr(fail).exec();
    const failures = Number(result?.[1]?.[1] ?? 0);
    if (failures >= limit.failures) await this.redis.set(this.key('lock', kind, key), String(failures), 'EX', limit.lockSeconds);
  }

  private key(what: 'fail' | 'lock', kind: LockKind, key: string): string {
    return `${this.prefix}:${what}:${kind}:${encodeURIComponent(kind === 'account' ? key.toLowerCase() : key)}`;
  }
}
