import { randomUUID } from 'node:crypto';
import { Outbox } from '@shanhai/platform';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, QueryDeepPartialEntity } from 'typeorm';
import { DirectoryPublisher } from './directory-publisher.js';
import { demoAccounts } from './demo-accounts.js';
import { AdvancedZoneRecord, CityRecord, CountyRecord, OrganisationRecord, PairingRecord } from './directory.entities.js';
import { cities, counties } from './seed-data/counties.js';
import { organisations } from './seed-data/organisations.js';
import { advancedZones, pairings } from './seed-data/zones.js';

export interface SeedOptions {
  /** Also create the demo accounts. */
  readonly demo: boolean;
  /** Bcrypt hash of the demo accounts' password; computed once by the caller. */
  readonly demoPasswordHash?: string;
}

export interface SeedReport {
  readonly cities: number;
  readonly counties: number;
  readonly zones: number;
  readonly pairings: number;
  readonly organisations: number;
  readonly demoAccounts: number;
  /** Organisations and accounts published to the services' replicas (every one, each run). */
  readonly published: { readonly organisations: number; readonly users: number };
}

/**
 * Loads the programme's directory (`seed-data/`, and optionally the demo accounts) idempotently. Once loaded, the
 * directory is the admins' (PUT /directory/…): a later run (every `npm start`) only adds the records
 * that are missing and never writes over an admin's edit. A pair an admin deleted comes back, though.
 * Each run then publishes every organisation and account to the replicas in workflow and the
 * notifier (a snapshot through the outbox), so a service whose database is new catches up.
 */
export async function seedDirectory(dataSource: DataSource, options: SeedOptions): Promise<SeedReport> {
  return dataSource.transaction(async (m) => {
    await insertMissing(m, CityRecord, cities.map((c) => ({ code: c.code, name: c.name })));
    await insertMissing(
      m,
      CountyRecord,
      counties.map((c) => ({ code: c.code, name: c.name, cityCode: c.cityCode, validFrom: c.validFrom, validTo: c.validTo })),
    );
    await insertMissing(m, AdvancedZoneRecord, advancedZones.map((z) => ({ ...z })));
    await insertMissing(
      m,
      PairingRecord,
      pairings.map((p) => ({ countyCode: p.countyCode, zoneCode: p.zoneCode, platformName: p.platformName ?? null, source: p.source, note: p.note })),
    );
    await insertMissing(
      m,
      OrganisationRecord,
      organisations.map((o) => ({ code: o.code, name: o.name, kind: o.kind, cityCode: o.cityCode ?? null, email: o.email })),
    );
    const demo = options.demo ? await seedDemoAccounts(m, options.demoPasswordHash) : 0;
    const published = await new DirectoryPublisher(new Outbox()).publishAll(m);
    return {
      cities: cities.length,
      counties: counties.length,
      zones: advancedZones.length,
      pairings: pairings.length,
      organisations: organisations.length,
      demoAccounts: demo,
      published,
    };
  });
}

async function seedDemoAccounts(m: EntityManager, passwordHash: string | undefined): Promise<number> {
  if (!passwordHash) throw new Error('demo accounts need a password hash');
  for (const a of demoAccounts) {
    // The id stays stable across runs: only the account's attributes are brought back to the seed.
    await m.query(
      `INSERT INTO users (id, username, password_hash, role, name, email, county_code, organisation_code, zone_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role, name = EXCLUDED.name,
         email = EXCLUDED.email, county_code = EXCLUDED.county_code, organisation_code = EXCLUDED.organisation_code,
         zone_code = EXCLUDED.zone_code, active = true, updated_at = now(), version = users.version + 1`,
      [randomUUID(), a.username, passwordHash, a.role, a.name, a.email, a.county ?? null, a.organisation ?? null, a.zone ?? null],
    );
  }
  return demoAccounts.length;
}

/** Inserts the rows whose key is not taken yet; the others stay as they are. */
async function insertMissing<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, rows: QueryDeepPartialEntity<T>[]): Promise<void> {
  await m.createQueryBuilder().insert().into(entity).values(rows).orIgnore().execute();
}
