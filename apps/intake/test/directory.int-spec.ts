import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestApp } from '@shanhai/platform/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { IntakeConfig } from '../src/config.js';
import { seedDirectory } from '../src/directory/directory.seed.js';
import { bearer, startIntake } from './support/intake-app.js';

describe('intake: the directory', () => {
  let t: TestApp<IntakeConfig>;
  let http: ReturnType<typeof request>;
  let token: string;

  beforeAll(async () => {
    t = await startIntake();
    http = request(t.app.getHttpServer());
    token = await bearer(t, 'suichang');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lists the 26 mountain counties of 2022 with their cities, and the dated changes after', async () => {
    const in2022 = await http.get('/directory/counties?on=2022-01-01').set('authorization', token).expect(200);
    expect(in2022.body.items).toHaveLength(26);
    expect(in2022.body.items.find((c: { code: string }) => c.code === 'qingyuan')).toEqual({
      code: 'qingyuan',
      name: '庆元县',
      city: { code: 'lishui', name: '丽水市' },
      validFrom: '2021-01-01',
      validTo: null,
    });
    const in2025 = await http.get('/directory/counties?on=2025-06-01').set('authorization', token).expect(200);
    expect(in2025.body.items.map((c: { code: string }) => c.code)).toEqual(expect.arrayContaining(['dongtou', 'shengsi']));
    expect(in2025.body.items.map((c: { code: string }) => c.code)).not.toContain('pingyang');
    await http.get('/directory/counties?on=last-year').set('authorization', token).expect(400);
  });

  it("labels the article's pairings as such", async () => {
    const pairings = await http.get('/directory/pairings').set('authorization', token).expect(200);
    const jiangshan = pairings.body.items.find((p: { countyCode: string }) => p.countyCode === 'jiangshan');
    expect(jiangshan).toMatchObject({ zoneCode: 'keqiao', source: 'article-2022' });
    expect(jiangshan.note).toMatch(/2022 article/);
  });

  it('lists the reviewing organisations, consulted departments included', async () => {
    const organisations = await http.get('/directory/organisations').set('authorization', token).expect(200);
    expect(organisations.body.items.map((o: { code: string }) => o.code)).toEqual(
      expect.arrayContaining(['lishui-commerce', 'zj-commerce', 'zj-commerce-office', 'zj-nr', 'zj-drc', 'zj-eco', 'zj-gov']),
    );
  });

  it('seeds idempotently: a second run adds nothing', async () => {
    const dataSource = t.app.get(DataSource);
    const counts = () => dataSource.query<{ t: string; n: number }[]>(
      `SELECT 'users' t, count(*)::int n FROM users UNION ALL SELECT 'counties', count(*)::int FROM counties UNION ALL SELECT 'pairings', count(*)::int FROM pairings ORDER BY 1`,
    );
    const before = await counts();
    const ids = await dataSource.query<{ id: string }[]>(`SELECT id FROM users ORDER BY username`);
    await seedDirectory(dataSource, { demo: true, demoPasswordHash: '$2b$10$abcdefghijklmnopqrstuu1234567890123456789012345678901' });
    await expect(counts()).resolves.toEqual(before);
    await expect(dataSource.query(`SELECT id FROM users ORDER BY username`)).resolves.toEqual(ids);
  });
});
