import type { MigrationInterface, QueryRunner } from 'typeorm';
import { OUTBOX_CHANNEL } from './outbox.js';

/**
 * The database wakes the outbox relay, not the writer: one NOTIFY per INSERT statement on `outbox`,
 * fired inside the writer's transaction, so delivered on commit and never on a rollback. The
 * writer saved a round trip per message (`SELECT pg_notify` after each insert), and PostgreSQL folds
 * identical notifications of one transaction into one, so a decision that writes five messages
 * wakes each listener once.
 */
export class OutboxNotify1764235000000 implements MigrationInterface {
  name = 'OutboxNotify1764235000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${OUTBOX_CHANNEL}', '');
        RETURN NULL;
      END $$`);
    await q.query('CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER outbox_notify ON outbox');
    await q.query('DROP FUNCTION outbox_notify()');
  }
}
