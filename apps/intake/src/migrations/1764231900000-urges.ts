import type { MigrationInterface, QueryRunner } from 'typeorm';

/** 催办: one urge per submission and China date; the key refuses a second one of the same day. */
export class Urges1764231900000 implements MigrationInterface {
  name = 'Urges1764231900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE urges (
        submission_id uuid NOT NULL REFERENCES submissions(id),
        on_date date NOT NULL,
        revision integer NOT NULL,
        note text,
        urged_by uuid NOT NULL,
        message_id uuid NOT NULL UNIQUE,
        at timestamptz NOT NULL,
        PRIMARY KEY (submission_id, on_date)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE urges');
  }
}
