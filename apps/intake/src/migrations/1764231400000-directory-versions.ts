import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisations and accounts carry a version, bumped on every change and published with the
 * record (`directory.*` messages), so the replicas in workflow and the notifier keep the newest.
 */
export class DirectoryVersions1764231400000 implements MigrationInterface {
  name = 'DirectoryVersions1764231400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE organisations ADD COLUMN version bigint NOT NULL DEFAULT 1');
    await q.query('ALTER TABLE users ADD COLUMN version bigint NOT NULL DEFAULT 1');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users DROP COLUMN version');
    await q.query('ALTER TABLE organisations DROP COLUMN version');
  }
}
