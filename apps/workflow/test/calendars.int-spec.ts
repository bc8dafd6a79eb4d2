import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TokenService, type Principal } from '@shanhai/platform';
import { createTestApp, type TestApp } from '@shanhai/platform/testing';
import request from 'supertest';
import { AppModule, entities, migrations } from '../src/app.module.js';
import { CalendarsService } from '../src/calendars/calendars.service.js';
import { seedDirectoryReplica } from './support/directory.js';

/** 2027 as an admin might load it (dates for the spec, not the State Council's notice). */
const calendar2027 = {
  holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'],
  makeUpWorkdays: ['2027-02-13', '2027-02-14'],
  source: 'spec',
};

describe('workflow: the working-day calendar as data', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let admin: string;
  let reviewer: string;
  const sign = async (principal: Principal) => `Bearer ${(await t.app.get(TokenService).signAccess(principal)).token}`;

  beforeAll(async () => {
    t = await createTestApp({ service: 'workflow', module: (config) => AppModule.forConfig(config), schema: { entities, migrations }, prepare: seedDirectoryReplica });
    http = request(t.app.getHttpServer());
    admin = await sign({ userId: randomUUID(), username: 'admin', name: '系统管理员', role: 'admin' });
    reviewer = await sign({ userId: randomUUID(), username: 'zj-commerce', name: '省商务厅 审核人', role: 'reviewer', organisation: 'zj-commerce' });
  });

  afterAll(() => t?.close());

  it('ships 2026 from the State Council notice', async () => {
    const list = await http.get('/calendars').set('authorization', reviewer).expect(200);
    expect(list.body.items.map((c: { year: number }) => c.year)).toContain(2026);
    const year = await http.get('/calendars/2026').set('authorization', reviewer).expect(200);
    expect(year.body).toMatchObject({ year: 2026, updatedBy: 'system', version: 1 });
    expect(year.body.holidays).toEqual(expect.arrayContaining(['2026-02-15', '2026-02-23', '2026-10-07']));
    expect(year.body.makeUpWorkdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    const days = await t.app.get(CalendarsService).workingDays();
    expect(days.addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
  });

  it('lets an admin load a later year, which counts at once; a reviewer may not', async () => {
    await http.get('/calendars/2027').set('authorization', reviewer).expect(404);
    await expect(t.app.get(CalendarsService).workingDays().then((d) => d.addWorkingDays('2026-12-30', 5))).rejects.toMatchObject({ code: 'CALENDAR_MISSING', year: 2027 });
    const refused = await http.put('/calendars/2027').set('authorization', reviewer).send(calendar2027);
    expect(refused.status).toBe(403);
    const loaded = await http.put('/calendars/2027').set('authorization', admin).send(calendar2027).expect(200);
    expect(loaded.body).toMatchObject({ year: 2027, version: 1, updatedBy: '系统管理员', makeUpWorkdays: ['2027-02-13', '2027-02-14'] });
    // Dec 31 (Thu), then Jan 4, 5, 6, 7 of 2027: New Year closes Jan 1–3.
    expect((await t.app.get(CalendarsService).workingDays()).addWorkingDays('2026-12-30', 5)).toBe('2027-01-07');
    const replaced = await http.put('/calendars/2027').set('authorization', admin).send({ ...calendar2027, makeUpWorkdays: ['2027-02-13'] }).expect(200);
    expect(replaced.body).toMatchObject({ version: 2, makeUpWorkdays: ['2027-02-13'] });
  });

  it('refuses a calendar with every bad entry named, and stores nothing', async () => {
    const bad = { holidays: ['2028-02-30', '2027-12-31', '2028-10-09', 'soon'], makeUpWorkdays: ['2028-10-09', '2028-02-08'] };
    const r = await http.put('/calendars/2028').set('authorization', admin).send(bad).expect(400);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body.errors).toEqual([
      { field: 'holidays.0', message: '2028-02-30 is not a date (YYYY-MM-DD)' },
      { field: 'holidays.1', message: '2027-12-31 is not in 2028' },
      { field: 'holidays.3', message: 'soon is not a date (YYYY-MM-DD)' },
      { field: 'makeUpWorkdays.0', message: '2028-10-09 is both a holiday and a make-up working day' },
      { field: 'makeUpWorkdays.1', message: '2028-02-08 is a weekday: only a Saturday or Sunday can be a make-up working day' },
    ]);
    await http.get('/calendars/2028').set('authorization', admin).expect(404);
    await http.put('/calendars/1999').set('authorization', admin).send({ holidays: [], makeUpWorkdays: [] }).expect(400);
    for (const year of ['1999', '2101', '2e3', '02026', '2026.0']) {
      const got = await http.get(`/calendars/${year}`).set('authorization', admin).expect(400);
      expect(got.body.errors).toEqual([{ field: 'year', message: 'year must be a year from 2000 to 2100, in digits' }]);
    }
    await http.put('/calendars/2028').set('authorization', admin).send({ holidays: '2028-01-01', makeUpWorkdays: [] }).expect(400);
  });
});
