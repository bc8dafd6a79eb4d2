import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The daily digest (每日待办): one row per reviewing organisation and China date, written with its
 * `approval.digest` message. The key is what makes it once a day across replicas and restarts.
 */
export class Digests1764232700000 implements MigrationInterface {
  name = 'Digests1764232700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE digests (
        organisation_code text NOT NULL,
        on_date date NOT NULL,
        message_id uuid UNIQUE,
        tasks integer NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (organisation_code, on_date)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE digests');
  }
}
