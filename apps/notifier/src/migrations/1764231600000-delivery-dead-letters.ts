import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Dead letters (status `dead` with its reason), the transport used, re-drives, and the delivery log's filters. */
export class DeliveryDeadLetters1764231600000 implements MigrationInterface {
  name = 'DeliveryDeadLetters1764231600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check`);
    await q.query(`ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'dead'))`);
    await q.query(`ALTER TABLE deliveries ADD COLUMN dead_reason text, ADD COLUMN transport text, ADD COLUMN redrives int NOT NULL DEFAULT 0`);
    await q.query(`CREATE INDEX deliveries_recipient_idx ON deliveries (recipient)`);
    await q.query(`CREATE INDEX deliveries_status_idx ON deliveries (status, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX deliveries_status_idx`);
    await q.query(`DROP INDEX deliveries_recipient_idx`);
    await q.query(`UPDATE deliveries SET status = 'failed' WHERE status = 'dead'`);
    await q.query(`ALTER TABLE deliveries DROP COLUMN dead_reason, DROP COLUMN transport, DROP COLUMN redrives`);
    await q.query(`ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check`);
    await q.query(`ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check CHECK (status IN ('queued', 'sending', 'sent', 'failed'))`);
  }
}
