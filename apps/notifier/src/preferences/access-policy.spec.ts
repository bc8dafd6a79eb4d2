import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { testServers } from '@shanhai/platform/testing';
import { DataSource, type QueryRunner } from 'typeorm';
import { accessPolicy, type WatcherAccess } from './access-policy.js';
import { SubmissionWatcher } from './preference.entities.js';
import type { SubmissionAudience } from './submission-audience.js';

const address = (name: string) => `${name.toLowerCase()}@shanhai.example`;
const watchers: Record<string, Omit<WatcherAccess, 'email'> & { email?: string }> = {
  admin: { role: 'admin' },
  songyangApplicant: { role: 'applicant', county: 'songyang' },
  qingyuanApplicant: { role: 'applicant', county: 'qingyuan' },
  applicantWithoutCounty: { role: 'applicant', county: null },
  applicantWithEmptyCounty: { role: 'applicant', county: '' },
  lishuiReviewer: { role: 'reviewer', organisation: 'lishui-commerce' },
  provinceReviewer: { role: 'reviewer', organisation: 'zj-commerce' },
  // The address as the stakeholder typed it; the audience keeps it in lower case.
  keqiaoStakeholder: { role: 'stakeholder', email: 'KeQiao@zone.shanhai.example' },
  otherStakeholder: { role: 'stakeholder' },
  // A reviewer's scope is not a county, nor an applicant's an organisation.
  reviewerWithCounty: { role: 'reviewer', county: 'songyang' },
  applicantWithOrganisation: { role: 'applicant', organisation: 'lishui-commerce' },
  // A watch from before the check: never.
  legacy: { role: null, county: 'songyang' },
};
const accessOf = (name: string): WatcherAccess => {
  const { email, ...scope } = watchers[name] ?? { role: null };
  return { ...scope, email: email ?? address(name) };
};

/** `unheard`: the notifier has no audience for the submission yet. */
const audiences: Record<string, SubmissionAudience | undefined> = {
  songyang: { county: 'songyang', organisations: ['lishui-commerce'], stakeholders: ['keqiao@zone.shanhai.example'] },
  qingyuan: { county: 'qingyuan', organisations: [], stakeholders: [] },
  unheard: undefined,
};

/** Who may hear of which submission; the check and the SQL must both give exactly this. */
const expected: Record<string, string[]> = {
  admin: ['qingyuan', 'songyang', 'unheard'],
  songyangApplicant: ['songyang'],
  qingyuanApplicant: ['qingyuan'],
  lishuiReviewer: ['songyang'],
  keqiaoStakeholder: ['songyang'],
};

describe('notifier access policy', () => {
  let dataSource: DataSource;
  let runner: QueryRunner;
  const submissions = new Map(Object.keys(audiences).map((name) => [name, randomUUID()]));

  beforeAll(async () => {
    dataSource = await new DataSource({ type: 'postgres', url: testServers.databaseUrl, entities: [SubmissionWatcher], extra: { max: 1 } }).initialize();
    runner = dataSource.createQueryRunner();
    await runner.connect();
    // Temporary tables with the columns the rule reads: private to this connection, gone when it closes.
    await runner.query('CREATE TEMP TABLE submission_audience (submission_id uuid PRIMARY KEY, county text NOT NULL, organisations text[] NOT NULL, stakeholders text[] NOT NULL)');
    await runner.query('CREATE TEMP TABLE submission_watchers (submission_id uuid, email text, role text, county text, organisation text, PRIMARY KEY (submission_id, email))');
    for (const [name, audience] of Object.entries(audiences)) {
      const id = submissions.get(name);
      if (audience) await runner.query('INSERT INTO submission_audience VALUES ($1, $2, $3::text[], $4::text[])', [id, audience.county, audience.organisations, audience.stakeholders]);
      for (const watcher of Object.keys(watchers)) {
        const a = accessOf(watcher);
        await runner.query('INSERT INTO submission_watchers VALUES ($1, $2, $3, $4, $5)', [id, a.email, a.role, a.county ?? null, a.organisation ?? null]);
      }
    }
  });

  afterAll(async () => {
    await runner?.release();
    await dataSource?.destroy();
  });

  it('lets the same watchers hear of the same submissions by the check as by the SQL', async () => {
    const condition = accessPolicy.watch.where('x');
    const rows = await runner.manager
      .createQueryBuilder(SubmissionWatcher, 'x')
      .select('x.submission_id', 'submission')
      .addSelect('x.email', 'email')
      .where(condition.sql, condition.params)
      .getRawMany<{ submission: string; email: string }>();
    const audienceNames = Object.keys(audiences);
    for (const watcher of Object.keys(watchers)) {
      const { email } = accessOf(watcher);
      const bySql = audienceNames.filter((a) => rows.some((r) => r.submission === submissions.get(a) && r.email === email)).sort();
      const byCheck = audienceNames.filter((a) => accessPolicy.watch.allows(accessOf(watcher), audiences[a])).sort();
      expect({ watcher, submissions: bySql }).toEqual({ watcher, submissions: byCheck });
      expect({ watcher, submissions: byCheck }).toEqual({ watcher, submissions: expected[watcher] ?? [] });
    }
  });
});
