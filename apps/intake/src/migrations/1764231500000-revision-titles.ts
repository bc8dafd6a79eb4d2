import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A revision keeps its title, and its content as workflow received it (with the paired zone and
 * the contact), so a corrected revision can be compared with the one returned (see resubmission.ts).
 */
export class RevisionTitles1764231500000 implements MigrationInterface {
  name = 'RevisionTitles1764231500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE submission_revisions ADD COLUMN title text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE submission_revisions DROP COLUMN title');
  }
}
