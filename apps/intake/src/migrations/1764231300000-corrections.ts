import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Return for correction (补正): the `returned` status, and the correction notice a reviewer sent.
 * `submissions.correction` is the notice the applicant has to act on (cleared by the next submit);
 * `submission_revisions.correction` keeps each returned revision's notice for good.
 */
export class Corrections1764231300000 implements MigrationInterface {
  name = 'Corrections1764231300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE submissions DROP CONSTRAINT submissions_status_check`);
    await q.query(`ALTER TABLE submissions ADD CONSTRAINT submissions_status_check
      CHECK (status IN ('draft', 'submitted', 'in_review', 'returned', 'approved', 'rejected', 'withdrawn'))`);
    await q.query(`ALTER TABLE submissions ADD COLUMN correction jsonb CHECK (jsonb_typeof(correction) = 'object')`);
    await q.query(`ALTER TABLE submission_revisions ADD COLUMN correction jsonb CHECK (jsonb_typeof(correction) = 'object')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE submission_revisions DROP COLUMN correction`);
    await q.query(`ALTER TABLE submissions DROP COLUMN correction`);
    // A returned submission has no status to go back to but the one it was returned from.
    await q.query(`UPDATE submissions SET status = 'in_review' WHERE status = 'returned'`);
    await q.query(`ALTER TABLE submissions DROP CONSTRAINT submissions_status_check`);
    await q.query(`ALTER TABLE submissions ADD CONSTRAINT submissions_status_check
      CHECK (status IN ('draft', 'submitted', 'in_review', 'approved', 'rejected', 'withdrawn'))`);
  }
}
