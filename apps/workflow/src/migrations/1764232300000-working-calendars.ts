import { readFileSync } from 'node:fs';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The calendars shipped with the service (infra/calendars/<year>.json): 2026, from the State Council notice. */
const shipped = [2026].map((year) => {
  // src/migrations and dist/migrations are both four levels below the repository root.
  const file = new URL(`../../../../infra/calendars/${year}.json`, import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as { year: number; holidays: string[]; makeUpWorkdays: string[]; source?: string };
});

/** The PRC working-day calendar, one row per year: what approval time limits count on. */
export class WorkingCalendars1764232300000 implements MigrationInterface {
  name = 'WorkingCalendars1764232300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE working_calendars (
        year int PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
        holidays jsonb NOT NULL CHECK (jsonb_typeof(holidays) = 'array'),
        make_up_workdays jsonb NOT NULL CHECK (jsonb_typeof(make_up_workdays) = 'array'),
        source text,
        version int NOT NULL CHECK (version > 0),
        updated_at timestamptz NOT NULL,
        updated_by text NOT NULL
      )`);
    for (const c of shipped) {
      await q.query(`INSERT INTO working_calendars VALUES ($1, $2, $3, $4, 1, now(), 'system')`, [c.year, JSON.stringify(c.holidays), JSON.stringify(c.makeUpWorkdays), c.source ?? null]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE working_calendars');
  }
}
