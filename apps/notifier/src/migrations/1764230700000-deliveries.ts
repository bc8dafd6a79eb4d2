import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Deliveries1764230700000 implements MigrationInterface {
  name = 'Deliveries1764230700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deliveries (
        id uuid PRIMARY KEY,
        event_id uuid NOT NULL,
        event_name text NOT NULL,
        submission_id uuid NOT NULL,
        recipient text NOT NULL,
        recipient_name text NOT NULL,
        template text NOT NULL,
        subject text NOT NULL,
        text text NOT NULL,
        html text NOT NULL,
        message_id text NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT deliveries_event_recipient_template_key UNIQUE (event_id, recipient, template)
      )`);
    await q.query(`CREATE INDEX deliveries_submission_idx ON deliveries (submission_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE deliveries');
  }
}
