import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Principal } from '@shanhai/platform';
import { testServers } from '@shanhai/platform/testing';
import pg from 'pg';
import { accessPolicy } from './submission-access.js';

/** Rows as `submissions` holds them: the columns the read rule looks at. */
const rows = [
  { id: 'qy-draft', countyCode: 'qingyuan', status: 'draft', reviewingOrganisations: [], pairedZoneCode: 'keqiao' },
  { id: 'qy-review', countyCode: 'qingyuan', status: 'in_review', reviewingOrganisations: ['lishui-commerce', 'zj-commerce'], pairedZoneCode: 'keqiao' },
  { id: 'js-review', countyCode: 'jiangshan', status: 'approved', reviewingOrganisations: ['quzhou-commerce'], pairedZoneCode: null },
] as const;

const principals: Record<string, Principal> = {
  admin: { userId: 'u1', username: 'admin', name: 'admin', role: 'admin' },
  qingyuan: { userId: 'u2', username: 'qingyuan', name: '庆元', role: 'applicant', county: 'qingyuan' },
  lishui: { userId: 'u3', username: 'lishui-commerce', name: '丽水', role: 'reviewer', organisation: 'lishui-commerce' },
  keqiao: { userId: 'u4', username: 'keqiao-zone', name: '柯桥', role: 'stakeholder', zone: 'keqiao' },
  noCounty: { userId: 'u5', username: 'x', name: 'x', role: 'applicant' },
  noOrganisation: { userId: 'u6', username: 'y', name: 'y', role: 'reviewer' },
};

/** Who reads what, stated once by hand: both forms of the rule must give exactly this. */
const expected: Record<string, string[]> = {
  admin: ['js-review', 'qy-draft', 'qy-review'],
  qingyuan: ['qy-draft', 'qy-review'],
  lishui: ['qy-review'],
  keqiao: ['qy-review'],
  noCounty: [],
  noOrganisation: [],
};

describe('accessPolicy.read: the check and the SQL condition agree', () => {
  const client = new pg.Client({ connectionString: `${testServers.databaseUrl}/postgres` });

  beforeAll(async () => {
    await client.connect();
    // A temporary table with the columns of `submissions` the rule reads; it vanishes with the connection.
    await client.query('CREATE TEMP TABLE submissions (id text, county_code text, status text, reviewing_organisations text[], paired_zone_code text)');
    for (const r of rows) await client.query('INSERT INTO submissions VALUES ($1, $2, $3, $4, $5)', [r.id, r.countyCode, r.status, r.reviewingOrganisations, r.pairedZoneCode]);
  });

  afterAll(() => client.end());

  it.each(Object.keys(principals))('%s', async (who) => {
    const principal = principals[who]!;
    const byCheck = rows.filter((r) => accessPolicy.read.allows(principal, { ...r, reviewingOrganisations: [...r.reviewingOrganisations] })).map((r) => r.id);
    const condition = accessPolicy.read.where(principal, 's');
    const params: unknown[] = [];
    // TypeORM's named parameters, numbered as pg takes them.
    const sql = condition === 'all' ? 'true' : condition.sql.replace(/:(\w+)/g, (_, name: string) => (params.push(condition.params[name]), `$${params.length}`));
    const bySql = (await client.query<{ id: string }>(`SELECT id FROM submissions s WHERE ${sql} ORDER BY id`, params)).rows.map((r) => r.id);
    expect([byCheck.sort(), bySql]).toEqual([expected[who], expected[who]]);
  });
});
