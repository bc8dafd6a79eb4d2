import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Documents filed with a submission. The bytes are in the file store, named by their SHA-256;
 * a row says which submission uses them as which kind. Re-uploading a kind of a draft supersedes
 * the current row, so at most one row per (submission, kind) is current.
 */
export class Attachments1764231100000 implements MigrationInterface {
  name = 'Attachments1764231100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE attachments (
        id uuid PRIMARY KEY,
        submission_id uuid NOT NULL REFERENCES submissions (id),
        kind text NOT NULL CHECK (kind IN ('application_letter', 'feasibility_report', 'land_use_plan', 'site_selection_opinion', 'plan_eia_review_opinion')),
        filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
        media_type text NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
        sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        uploaded_by uuid NOT NULL,
        uploaded_at timestamptz NOT NULL,
        superseded_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX attachments_current_kind_idx ON attachments (submission_id, kind) WHERE superseded_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE attachments');
  }
}
