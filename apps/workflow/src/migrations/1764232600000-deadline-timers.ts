import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reminder and escalation timers (ADR 0015): one flag per timer of a clock, set in the
 * transaction that sends it, so a duplicate or late job finds it set and does nothing. A new due
 * date (an extension, a recompute) clears the reminders' flags. The sweeper finds what is due but
 * not fired on a partial index of the running step clocks not yet escalated. A definition may set
 * its own early-reminder lead (`remind_before_business_days`; null: the service's setting).
 */
export class DeadlineTimers1764232600000 implements MigrationInterface {
  name = 'DeadlineTimers1764232600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE deadlines RENAME COLUMN reminded_at TO reminded_before_at');
    await q.query('ALTER TABLE deadlines ADD COLUMN reminded_due_at timestamptz');
    await q.query('ALTER TABLE definitions ADD COLUMN remind_before_business_days int CHECK (remind_before_business_days >= 0)');
    await q.query(`CREATE INDEX deadlines_unfired_idx ON deadlines (due_on) WHERE status = 'running' AND clock = 'step' AND escalated_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX deadlines_unfired_idx');
    await q.query('ALTER TABLE definitions DROP COLUMN remind_before_business_days');
    await q.query('ALTER TABLE deadlines DROP COLUMN reminded_due_at');
    await q.query('ALTER TABLE deadlines RENAME COLUMN reminded_before_at TO reminded_at');
  }
}
