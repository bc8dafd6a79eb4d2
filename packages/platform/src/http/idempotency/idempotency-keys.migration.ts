import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The `Idempotency-Key` records every service database carries (see IdempotencyInterceptor). */
export class IdempotencyKeys1764231300000 implements MigrationInterface {
  name = 'IdempotencyKeys1764231300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        fingerprint text NOT NULL,
        status text NOT NULL CHECK (status IN ('in_progress', 'completed')),
        response_status int,
        response_headers jsonb,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (scope, key)
      )`);
    await q.query('CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_keys');
  }
}
