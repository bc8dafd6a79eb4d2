import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who may watch a submission, as the notifier learns it from the workflow events it receives
 * (`submission_audience`), and the access each watcher had when they subscribed, so that a watcher
 * is told of an event only while that access still holds. Watchers who subscribed before this
 * (no `role`) never had their access checked: they are not notified until they watch again.
 */
export class SubmissionAudience1764231800000 implements MigrationInterface {
  name = 'SubmissionAudience1764231800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE submission_audience (
        submission_id uuid PRIMARY KEY,
        county text NOT NULL,
        organisations text[] NOT NULL DEFAULT '{}',
        stakeholders text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      ALTER TABLE submission_watchers
        ADD COLUMN role text CHECK (role IN ('applicant', 'reviewer', 'stakeholder', 'admin')),
        ADD COLUMN county text,
        ADD COLUMN organisation text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE submission_watchers DROP COLUMN organisation, DROP COLUMN county, DROP COLUMN role');
    await q.query('DROP TABLE submission_audience');
  }
}
