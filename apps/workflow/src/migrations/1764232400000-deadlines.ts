import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The legal clock (ADR 0014): one row per clock, a step's limit per step and round (办理时限) and
 * the submission's committed limit (承诺时限, step -1, round 0), written with the events that move
 * it. Dates are China dates. `due_on` is null when a year it would fall in has no calendar
 * (`problem` says which), until an admin loads it. The reminder and escalation columns are for the
 * timers that stand on this table.
 *
 * Also: the steps an instance's reviewers extended (once each), and a definition's committed limit.
 */
export class Deadlines1764232400000 implements MigrationInterface {
  name = 'Deadlines1764232400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deadlines (
        instance_id uuid NOT NULL REFERENCES instances (id),
        clock text NOT NULL CHECK (clock IN ('step', 'committed')),
        step int NOT NULL,
        round int NOT NULL,
        limit_days int NOT NULL CHECK (limit_days > 0),
        started_on date NOT NULL,
        budget_days int CHECK (budget_days >= 0),
        extended_days int NOT NULL DEFAULT 0 CHECK (extended_days >= 0),
        extension_reason text,
        extended_by text,
        due_on date,
        problem text,
        paused_on date,
        remaining_days int CHECK (remaining_days >= 0),
        resumed_from_round int,
        status text NOT NULL CHECK (status IN ('running', 'paused', 'resumed', 'done', 'closed')),
        closed_at timestamptz,
        reminded_at timestamptz,
        escalated_at timestamptz,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (instance_id, step, round),
        CHECK ((clock = 'committed') = (step = -1))
      )`);
    await q.query(`CREATE INDEX deadlines_open_due_idx ON deadlines (due_on) WHERE status IN ('running', 'paused')`);
    await q.query(`ALTER TABLE instances ADD COLUMN extended_steps jsonb NOT NULL DEFAULT '[]'`);
    await q.query('ALTER TABLE definitions ADD COLUMN committed_limit_business_days int CHECK (committed_limit_business_days > 0)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE definitions DROP COLUMN committed_limit_business_days');
    await q.query('ALTER TABLE instances DROP COLUMN extended_steps');
    await q.query('DROP TABLE deadlines');
  }
}
