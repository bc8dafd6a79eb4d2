import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The security log: every sign-in attempt and its outcome (see SignInEvent). */
export class SignInEvents1764231600000 implements MigrationInterface {
  name = 'SignInEvents1764231600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sign_in_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        username text NOT NULL,
        user_id uuid,
        client_address text NOT NULL,
        user_agent text,
        outcome text NOT NULL CHECK (outcome IN ('signed_in', 'wrong_password', 'unknown_user', 'locked_out'))
      )`);
    await q.query('CREATE INDEX sign_in_events_at_idx ON sign_in_events (at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE sign_in_events');
  }
}
