import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Instances1764230600000 implements MigrationInterface {
  name = 'Instances1764230600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE instances (
        id uuid PRIMARY KEY,
        submission_id uuid NOT NULL,
        revision int NOT NULL,
        submission jsonb NOT NULL,
        definition_key text NOT NULL,
        definition_version int NOT NULL,
        status text NOT NULL CHECK (status IN ('in_review', 'approved', 'rejected')),
        current_step int NOT NULL,
        step_count int NOT NULL CHECK (step_count > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL,
        CONSTRAINT instances_submission_revision_key UNIQUE (submission_id, revision)
      )`);
    await q.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY,
        instance_id uuid NOT NULL REFERENCES instances (id),
        step_index int NOT NULL,
        step_key text NOT NULL,
        step_name text NOT NULL,
        organisation_code text NOT NULL,
        organisation_name text NOT NULL,
        organisation_email text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
        decided_by text,
        opinion text,
        decided_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tasks_instance_step_key UNIQUE (instance_id, step_index)
      )`);
    await q.query(`CREATE INDEX tasks_organisation_status_idx ON tasks (organisation_code, status)`);
    await q.query(`
      CREATE TABLE instance_events (
        instance_id uuid NOT NULL REFERENCES instances (id),
        seq int NOT NULL,
        type text NOT NULL,
        data jsonb NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (instance_id, seq)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE instance_events');
    await q.query('DROP TABLE tasks');
    await q.query('DROP TABLE instances');
  }
}
