import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PreferencesAndReconciliation1764231700000 implements MigrationInterface {
  name = 'PreferencesAndReconciliation1764231700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_preferences (
        email text PRIMARY KEY CHECK (email = lower(email)),
        locale text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
        muted text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE submission_watchers (
        submission_id uuid NOT NULL,
        email text NOT NULL CHECK (email = lower(email)),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (submission_id, email)
      )`);
    await q.query(`CREATE INDEX submission_watchers_email_idx ON submission_watchers (email)`);
    await q.query(`
      CREATE TABLE notified_events (
        event_id uuid PRIMARY KEY,
        event_name text NOT NULL,
        submission_id uuid NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        planned int NOT NULL CHECK (planned >= 0),
        reconciled_at timestamptz,
        reported_at timestamptz
      )`);
    // The reconciler only ever scans the events not yet reconciled.
    await q.query(`CREATE INDEX notified_events_open_idx ON notified_events (received_at) WHERE reconciled_at IS NULL`);
    // deliveries are looked up by event through deliveries_event_recipient_template_key (event_id first).
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notified_events');
    await q.query('DROP TABLE submission_watchers');
    await q.query('DROP TABLE notification_preferences');
  }
}
