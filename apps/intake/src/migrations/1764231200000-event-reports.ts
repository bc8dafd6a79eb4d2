import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The report of an investment-promotion event: one per event, its signed projects replaced as a whole. */
export class EventReports1764231200000 implements MigrationInterface {
  name = 'EventReports1764231200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event_reports (
        submission_id uuid PRIMARY KEY REFERENCES submissions (id),
        projects jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(projects) = 'array'),
        total_amount_yi numeric(14, 4) NOT NULL CHECK (total_amount_yi >= 0),
        version int NOT NULL CHECK (version >= 1),
        updated_by uuid NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE event_reports');
  }
}
