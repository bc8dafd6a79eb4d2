import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The directory replica a consuming service keeps (workflow, notifier): see DirectoryReplica. */
export class DirectoryReplica1764232000000 implements MigrationInterface {
  name = 'DirectoryReplica1764232000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE directory_organisations (
        code text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL,
        email text NOT NULL,
        city_code text,
        version bigint NOT NULL
      )`);
    await q.query('CREATE INDEX directory_organisations_kind_city_idx ON directory_organisations (kind, city_code)');
    await q.query(`
      CREATE TABLE directory_users (
        id uuid PRIMARY KEY,
        username text NOT NULL,
        name text NOT NULL,
        role text NOT NULL,
        email text NOT NULL,
        organisation_code text,
        county_code text,
        zone_code text,
        active boolean NOT NULL,
        version bigint NOT NULL
      )`);
    await q.query('CREATE INDEX directory_users_organisation_idx ON directory_users (organisation_code)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE directory_users');
    await q.query('DROP TABLE directory_organisations');
  }
}

/** A reviewer may supervise their organisation (科室负责人): told when one of its steps is escalated (督办). */
export class DirectorySupervisors1764232900000 implements MigrationInterface {
  name = 'DirectorySupervisors1764232900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE directory_users ADD COLUMN supervisor boolean NOT NULL DEFAULT false');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE directory_users DROP COLUMN supervisor');
  }
}
