import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox relays in the order messages were written. `created_at` is the transaction's start,
 * shared by every message one decision writes, so ties went out in any order (a step's approval
 * after the next step's assignment); an identity column keeps the order of the inserts.
 */
export class OutboxSequence1764231500000 implements MigrationInterface {
  name = 'OutboxSequence1764231500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE outbox ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY');
    await q.query('DROP INDEX outbox_pending_idx');
    await q.query('CREATE INDEX outbox_pending_idx ON outbox (seq) WHERE dispatched_at IS NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outbox_pending_idx');
    await q.query('CREATE INDEX outbox_pending_idx ON outbox (created_at) WHERE dispatched_at IS NULL');
    await q.query('ALTER TABLE outbox DROP COLUMN seq');
  }
}
