import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The directory: places, zones, pairings, organisations and the people who sign in. */
export class Directory1764230800000 implements MigrationInterface {
  name = 'Directory1764230800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE cities (code text PRIMARY KEY, name text NOT NULL)`);
    await q.query(`
      CREATE TABLE counties (
        code text PRIMARY KEY,
        name text NOT NULL,
        city_code text NOT NULL REFERENCES cities (code),
        valid_from date NOT NULL,
        valid_to date,
        CHECK (valid_to IS NULL OR valid_to > valid_from)
      )`);
    await q.query(`CREATE TABLE advanced_zones (code text PRIMARY KEY, name text NOT NULL, city_name text NOT NULL, email text NOT NULL)`);
    await q.query(`
      CREATE TABLE pairings (
        county_code text NOT NULL REFERENCES counties (code),
        zone_code text NOT NULL REFERENCES advanced_zones (code),
        platform_name text,
        source text NOT NULL CHECK (source IN ('article-2022', 'demo', 'admin')),
        note text NOT NULL,
        PRIMARY KEY (county_code, zone_code)
      )`);
    await q.query(`
      CREATE TABLE organisations (
        code text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL,
        city_code text REFERENCES cities (code),
        email text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        username text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('applicant', 'reviewer', 'stakeholder', 'admin')),
        name text NOT NULL,
        email text NOT NULL,
        county_code text REFERENCES counties (code),
        organisation_code text REFERENCES organisations (code),
        zone_code text REFERENCES advanced_zones (code),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((role = 'applicant') = (county_code IS NOT NULL)),
        CHECK ((role = 'reviewer') = (organisation_code IS NOT NULL)),
        CHECK ((role = 'stakeholder') = (zone_code IS NOT NULL))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['users', 'organisations', 'pairings', 'advanced_zones', 'counties', 'cities']) await q.query(`DROP TABLE ${table}`);
  }
}
