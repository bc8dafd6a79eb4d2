import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The accounts whose earlier tokens every service refuses (see TokenRevocations): intake writes a
 * row when an admin deactivates an account or resets its password, the other services when the
 * directory message reaches them. `not_before` is `infinity` for an inactive account.
 */
export class TokenRevocations1764231900000 implements MigrationInterface {
  name = 'TokenRevocations1764231900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE token_revocations (
        user_id uuid PRIMARY KEY,
        not_before timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE token_revocations');
  }
}
