import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A reviewer may supervise their organisation's work (科室负责人, 分管领导): the people an overdue
 * step of the organisation is escalated to (督办). Only a reviewer: the check keeps it so.
 */
export class Supervisors1764232000000 implements MigrationInterface {
  name = 'Supervisors1764232000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN supervisor boolean NOT NULL DEFAULT false, ADD CONSTRAINT users_supervisor_reviewer CHECK (NOT supervisor OR role = 'reviewer')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users DROP CONSTRAINT users_supervisor_reviewer, DROP COLUMN supervisor');
  }
}
