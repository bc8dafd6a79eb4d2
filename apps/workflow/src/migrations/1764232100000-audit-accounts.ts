import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each audit entry names the signed-in account that acted (user id, name, and the organisation
 * or county it acted for). Entries written before have none; the hash covers it only when set,
 * so their hashes still hold.
 */
export class AuditAccounts1764232100000 implements MigrationInterface {
  name = 'AuditAccounts1764232100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_entries ADD COLUMN actor_account jsonb CHECK (jsonb_typeof(actor_account) = 'object')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE audit_entries DROP COLUMN actor_account');
  }
}
