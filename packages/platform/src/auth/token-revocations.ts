import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { SERVICE_CONFIG, type ServiceConfig } from '../config/config.js';
import { listenTo, type PgListener } from '../database/pg-listener.js';
import type { Principal } from './principal.js';

export const REVOCATION_CHANNEL = 'shanhai_token_revocations';
/** A safety net under LISTEN: the whole list is read again this often. */
const RELOAD_MS = 30_000;

/** What ends an account's tokens: all of them (`inactive`), or those issued before a moment. */
export type Revocation = { readonly inactive: true } | { readonly issuedBefore: Date };

/**
 * The revocation list every service checks on each request, in memory. Written in the
 * transaction that deactivates an account (intake) or applies the directory message saying so
 * (workflow, notifier); NOTIFY on commit tells every replica of every service at once.
 */
@Injectable()
export class TokenRevocations implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TokenRevocations.name);
  private notBefore = new Map<string, number>();
  private listener: PgListener | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /** Records a revocation in the caller's transaction; every replica hears of it on commit. */
  static async record(manager: EntityManager, userId: string, revocation: Revocation): Promise<void> {
    const notBefore = 'inactive' in revocation ? 'infinity' : revocation.issuedBefore.toISOString();
    await manager.query(
      `INSERT INTO token_revocations (user_id, not_before) VALUES ($1, $2::timestamptz)
       ON CONFLICT (user_id) DO UPDATE SET not_before = EXCLUDED.not_before, updated_at = now()`,
      [userId, notBefore],
    );
    await manager.query('SELECT pg_notify($1, $2)', [REVOCATION_CHANNEL, userId]);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.listener = await listenTo(this.config.databaseUrl, REVOCATION_CHANNEL, this.logger, {
      onNotify: (userId) => void this.reload(userId),
      onReconnect: () => void this.reload(),
    });
    await this.reload();
    this.timer = setInterval(() => void this.reload(), RELOAD_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.listener?.close();
  }

  /** Whether the principal's token was revoked: its account is inactive, or it was issued before a reset. */
  refuses(principal: Pick<Principal, 'userId' | 'issuedAt'>): boolean {
    const notBefore = this.notBefore.get(principal.userId);
    if (notBefore === undefined) return false;
    // iat has whole seconds: a token of the very second of a reset is given the benefit of the doubt.
    return principal.issuedAt === undefined || principal.issuedAt < Math.floor(notBefore / 1000);
  }

  private async reload(userId?: string): Promise<void> {
    try {
      const where = userId ? 'WHERE user_id = $1' : '';
      // float8 in milliseconds: `infinity` reads as Infinity, where a Date could not hold it.
      const rows: { user_id: string; at: number }[] = await this.dataSource.query(
        `SELECT user_id, CASE WHEN not_before = 'infinity' THEN 'Infinity'::float8 ELSE extract(epoch FROM not_before)::float8 * 1000 END AS at
         FROM token_revocations ${where}`,
        userId ? [userId] : [],
      );
      const read = new Map(rows.map((r) => [r.user_id, Number(r.at)]));
      if (userId) {
        const at = read.get(userId);
        if (at === undefined) this.notBefore.delete(userId);
        else this.notBefore.set(userId, at);
      } else this.notBefore = read;
    } catch (error) {
      this.logger.warn(`revocation list not read: ${(error as Error).message}; keeping the last one`);
    }
  }
}
