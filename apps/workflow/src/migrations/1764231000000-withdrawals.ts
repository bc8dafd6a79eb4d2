import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An applicant may withdraw a submission under review: its instance and pending task close as 'withdrawn'. */
export class Withdrawals1764231000000 implements MigrationInterface {
  name = 'Withdrawals1764231000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE instances DROP CONSTRAINT instances_status_check');
    await q.query(`ALTER TABLE instances ADD CONSTRAINT instances_status_check CHECK (status IN ('in_review', 'approved', 'rejected', 'withdrawn'))`);
    await q.query('ALTER TABLE tasks DROP CONSTRAINT tasks_status_check');
    await q.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_status_check CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tasks DROP CONSTRAINT tasks_status_check');
    await q.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_status_check CHECK (status IN ('pending', 'approved', 'rejected'))`);
    await q.query('ALTER TABLE instances DROP CONSTRAINT instances_status_check');
    await q.query(`ALTER TABLE instances ADD CONSTRAINT instances_status_check CHECK (status IN ('in_review', 'approved', 'rejected'))`);
  }
}
