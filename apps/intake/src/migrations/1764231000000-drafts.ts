import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Submissions become drafts first: the applicant edits, then submits. Each submit freezes the
 * content as a revision, so reviewers can compare revisions later.
 */
export class Drafts1764231000000 implements MigrationInterface {
  name = 'Drafts1764231000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE submissions DROP CONSTRAINT submissions_status_check`);
    await q.query(`ALTER TABLE submissions ADD CONSTRAINT submissions_status_check
      CHECK (status IN ('draft', 'submitted', 'in_review', 'approved', 'rejected', 'withdrawn'))`);
    await q.query(`ALTER TABLE submissions ALTER COLUMN submitted_at DROP NOT NULL`);
    await q.query(`ALTER TABLE submissions ALTER COLUMN revision SET DEFAULT 0`);
    await q.query(`ALTER TABLE submissions ADD COLUMN content jsonb NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE submissions ADD COLUMN created_by uuid`);
    await q.query(`ALTER TABLE submissions ADD COLUMN paired_zone_code text`);
    await q.query(`ALTER TABLE submissions ADD COLUMN reviewing_organisations text[] NOT NULL DEFAULT '{}'`);
    await q.query(`
      CREATE TABLE submission_revisions (
        submission_id uuid NOT NULL REFERENCES submissions (id),
        revision int NOT NULL,
        content jsonb NOT NULL,
        submitted_by uuid,
        submitted_at timestamptz NOT NULL,
        PRIMARY KEY (submission_id, revision)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE submission_revisions');
    for (const column of ['reviewing_organisations', 'paired_zone_code', 'created_by', 'content']) await q.query(`ALTER TABLE submissions DROP COLUMN ${column}`);
    await q.query(`ALTER TABLE submissions DROP CONSTRAINT submissions_status_check`);
    await q.query(`ALTER TABLE submissions ADD CONSTRAINT submissions_status_check CHECK (status IN ('submitted', 'in_review', 'approved', 'rejected'))`);
  }
}
