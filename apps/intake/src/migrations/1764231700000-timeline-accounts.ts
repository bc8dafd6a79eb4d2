import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each timeline line names the signed-in account that acted (user id, name, organisation or county), not only a display name. */
export class TimelineAccounts1764231700000 implements MigrationInterface {
  name = 'TimelineAccounts1764231700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE timeline_entries ADD COLUMN actor_account jsonb CHECK (jsonb_typeof(actor_account) = 'object')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE timeline_entries DROP COLUMN actor_account');
  }
}
