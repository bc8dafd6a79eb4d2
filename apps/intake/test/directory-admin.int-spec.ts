import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TokenService } from '@shanhai/platform';
import { documentedOperations, parameterExamples, requestBodyExamples, type TestApp } from '@shanhai/platform/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { IntakeConfig } from '../src/config.js';
import { seedDirectory } from '../src/directory/directory.seed.js';
import { bearer, DEMO_PASSWORD, startIntake } from './support/intake-app.js';

type Item = Record<string, unknown>;
const fields = (response: { body: { errors?: { field: string }[] } }) => (response.body.errors ?? []).map((e) => e.field).sort();

describe('intake: admins maintain the directory', () => {
  let t: TestApp<IntakeConfig>;
  let http: ReturnType<typeof request>;
  let admin: string;
  let qingyuan: string;

  beforeAll(async () => {
    t = await startIntake();
    http = request(t.app.getHttpServer());
    [admin, qingyuan] = await Promise.all([bearer(t, 'admin'), bearer(t, 'qingyuan')]);
  });

  afterAll(async () => {
    await t?.close();
  });

  const read = async (what: 'counties' | 'zones' | 'pairings' | 'organisations', query = ''): Promise<Item[]> =>
    (await http.get(`/directory/${what}${query}`).set('authorization', qingyuan).expect(200)).body.items as Item[];
  const county = async (code: string) => (await read('counties')).find((c) => c.code === code);
  const pair = async (countyCode: string, zoneCode: string) => (await read('pairings')).find((p) => p.countyCode === countyCode && p.zoneCode === zoneCode);
  const login = (username: string, password: string) => http.post('/auth/login').send({ username, password });
  const newUser = (body: Item) => http.post('/directory/users').set('authorization', admin).send(body);
  const patchUser = (id: string, body: Item) => http.patch(`/directory/users/${id}`).set('authorization', admin).send(body);
  const reviewer = (username: string, organisation = 'zj-nr'): Item => ({
    username,
    password: 'correct-horse-battery',
    role: 'reviewer',
    name: `${username} 审核员`,
    email: `${username}@shanhai.example`,
    organisation,
  });

  describe('counties', () => {
    const dongyang = { name: '东阳市（示例）', cityCode: 'jinhua', validFrom: '2026-01-01' };

    it('creates a county (201), replaces it (200), and the reads show each version', async () => {
      const created = await http.put('/directory/counties/dongyang').set('authorization', admin).send(dongyang).expect(201);
      expect(created.body).toEqual({ code: 'dongyang', name: '东阳市（示例）', city: { code: 'jinhua', name: '金华市' }, validFrom: '2026-01-01', validTo: null });
      expect((await read('counties', '?on=2026-06-01')).map((c) => c.code)).toContain('dongyang');
      expect((await read('counties', '?on=2025-06-01')).map((c) => c.code)).not.toContain('dongyang');

      const replaced = await http.put('/directory/counties/dongyang').set('authorization', admin).send({ ...dongyang, validTo: '2027-01-01' }).expect(200);
      expect(replaced.body).toMatchObject({ code: 'dongyang', validTo: '2027-01-01' });
      expect((await read('counties', '?on=2027-06-01')).map((c) => c.code)).not.toContain('dongyang');
      await expect(county('dongyang')).resolves.toMatchObject({ validTo: '2027-01-01' });
    });

    it('lists every malformed field and unknown field at once, and changes nothing', async () => {
      const before = await county('qingyuan');
      const response = await http
        .put('/directory/counties/qingyuan')
        .set('authorization', admin)
        .send({ name: '', cityCode: 'Lishui', validFrom: '2021-02-30', validTo: '2020-01-01', population: 200000 })
        .expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(fields(response)).toEqual(['cityCode', 'name', 'population', 'validFrom', 'validTo']);
      // No such month or day at all: a 400 naming the field, not a 500.
      const impossible = await http.put('/directory/counties/qingyuan').set('authorization', admin).send({ ...dongyang, validFrom: '2021-13-01', validTo: '2021-12-32' }).expect(400);
      expect(fields(impossible)).toEqual(['validFrom', 'validTo']);
      const backwards = await http.put('/directory/counties/qingyuan').set('authorization', admin).send({ ...dongyang, validTo: '2025-12-31' }).expect(400);
      expect(backwards.body.errors).toEqual([{ field: 'validTo', message: 'validTo must be after validFrom' }]);
      await expect(county('qingyuan')).resolves.toEqual(before);
    });

    it('refuses a city the directory does not hold, naming cityCode, and creates nothing', async () => {
      const response = await http.put('/directory/counties/atlantis').set('authorization', admin).send({ ...dongyang, cityCode: 'atlantis' }).expect(400);
      expect(response.body.errors).toEqual([{ field: 'cityCode', message: 'no city has the code atlantis' }]);
      await expect(county('atlantis')).resolves.toBeUndefined();
    });

    it('refuses a code in the path that is not a directory code', async () => {
      const response = await http.put('/directory/counties/Dong_Yang').set('authorization', admin).send(dongyang).expect(400);
      expect(fields(response)).toEqual(['code']);
      await expect(county('Dong_Yang')).resolves.toBeUndefined();
    });
  });

  describe('advanced zones', () => {
    it('creates a zone and replaces one, as the reads show', async () => {
      const hangzhouBay = { name: '宁波杭州湾经济技术开发区', cityName: '宁波市', email: 'hzw-zone@shanhai.example' };
      await http.put('/directory/zones/hangzhou-bay').set('authorization', admin).send(hangzhouBay).expect(201);
      const keqiao = await http
        .put('/directory/zones/keqiao')
        .set('authorization', admin)
        .send({ name: '绍兴柯桥经济技术开发区', cityName: '绍兴市', email: 'investment@keqiao.example' })
        .expect(200);
      expect(keqiao.body).toEqual({ code: 'keqiao', name: '绍兴柯桥经济技术开发区', cityName: '绍兴市', email: 'investment@keqiao.example' });
      const zones = await read('zones');
      expect(zones).toEqual(expect.arrayContaining([{ code: 'hangzhou-bay', ...hangzhouBay }, keqiao.body]));
    });

    it('refuses a zone without a valid email, and keeps the old one', async () => {
      const response = await http.put('/directory/zones/fuyang').set('authorization', admin).send({ name: '杭州富阳经济技术开发区', cityName: '杭州市', email: 'not an address' }).expect(400);
      expect(fields(response)).toEqual(['email']);
      expect((await read('zones')).find((z) => z.code === 'fuyang')).toMatchObject({ email: 'fuyang-zone@shanhai.example' });
    });
  });

  describe('pairings', () => {
    it("labels a pair an admin creates `admin`, and keeps `article-2022` on an article pair an admin edits", async () => {
      const created = await http.put('/directory/pairings/suichang/xiaoshan').set('authorization', admin).send({ note: 'entered by an admin (spec)' }).expect(201);
      expect(created.body).toEqual({ countyCode: 'suichang', zoneCode: 'xiaoshan', platformName: null, source: 'admin', note: 'entered by an admin (spec)' });
      const edited = await http
        .put('/directory/pairings/jiangshan/keqiao')
        .set('authorization', admin)
        .send({ platformName: '江山经济开发区', note: 'per the 2022 article; platform added by an admin' })
        .expect(200);
      expect(edited.body).toMatchObject({ source: 'article-2022', platformName: '江山经济开发区' });
      await expect(pair('suichang', 'xiaoshan')).resolves.toMatchObject({ source: 'admin' });
      await expect(pair('jiangshan', 'keqiao')).resolves.toMatchObject({ source: 'article-2022', note: 'per the 2022 article; platform added by an admin' });
    });

    it('refuses codes the directory does not hold, or that are not codes, listing both', async () => {
      const unknown = await http.put('/directory/pairings/atlantis/nowhere').set('authorization', admin).send({ note: 'x' }).expect(400);
      expect(unknown.body.errors).toEqual([
        { field: 'countyCode', message: 'no county has the code atlantis' },
        { field: 'zoneCode', message: 'no advanced zone has the code nowhere' },
      ]);
      const malformed = await http.put('/directory/pairings/A/b').set('authorization', admin).send({ note: 'x' }).expect(400);
      expect(fields(malformed)).toEqual(['countyCode', 'zoneCode']);
      const noNote = await http.put('/directory/pairings/suichang/fuyang').set('authorization', admin).send({ source: 'article-2022' }).expect(400);
      expect(fields(noNote)).toEqual(['note', 'source']);
      await expect(pair('atlantis', 'nowhere')).resolves.toBeUndefined();
      await expect(pair('suichang', 'fuyang')).resolves.toBeUndefined();
    });

    it('unpairs (204), and answers 404 for a pair that is not there', async () => {
      await http.put('/directory/pairings/taishun/fuyang').set('authorization', admin).send({ note: 'to be removed' }).expect(201);
      await http.delete('/directory/pairings/taishun/fuyang').set('authorization', admin).expect(204);
      await expect(pair('taishun', 'fuyang')).resolves.toBeUndefined();
      const again = await http.delete('/directory/pairings/taishun/fuyang').set('authorization', admin).expect(404);
      expect(again.body.code).toBe('NOT_FOUND');
    });
  });

  describe('organisations', () => {
    it('creates a consulted department and replaces a city bureau, as the reads show', async () => {
      const water = { name: '浙江省水利厅', kind: 'consulted_department', email: 'zj-water@shanhai.example' };
      const created = await http.put('/directory/organisations/zj-water').set('authorization', admin).send(water).expect(201);
      expect(created.body).toEqual({ code: 'zj-water', ...water, cityCode: null });
      await http
        .put('/directory/organisations/lishui-commerce')
        .set('authorization', admin)
        .send({ name: '丽水市商务局', kind: 'city_commerce_bureau', cityCode: 'lishui', email: 'review@lishui-commerce.example' })
        .expect(200);
      const organisations = await read('organisations');
      expect(organisations.find((o) => o.code === 'zj-water')).toEqual(created.body);
      expect(organisations.find((o) => o.code === 'lishui-commerce')).toMatchObject({ email: 'review@lishui-commerce.example', cityCode: 'lishui' });
    });

    it('refuses an unknown kind, a city bureau without its city, and a city not in the directory', async () => {
      const kind = await http.put('/directory/organisations/zj-x').set('authorization', admin).send({ name: 'X', kind: 'ministry', email: 'x@shanhai.example' }).expect(400);
      expect(fields(kind)).toEqual(['kind']);
      const noCity = await http.put('/directory/organisations/zj-x').set('authorization', admin).send({ name: 'X', kind: 'city_commerce_bureau', email: 'x@shanhai.example' }).expect(400);
      expect(fields(noCity)).toEqual(['cityCode']);
      const unknownCity = await http
        .put('/directory/organisations/zj-x')
        .set('authorization', admin)
        .send({ name: 'X', kind: 'city_commerce_bureau', cityCode: 'atlantis', email: 'x@shanhai.example' })
        .expect(400);
      expect(unknownCity.body.errors).toEqual([{ field: 'cityCode', message: 'no city has the code atlantis' }]);
      expect((await read('organisations')).map((o) => o.code)).not.toContain('zj-x');
    });
  });

  describe('users', () => {
    it('creates a reviewer who then signs in with the password set, their token carrying the organisation', async () => {
      const created = await newUser(reviewer('nr-reviewer-2')).expect(201);
      expect(created.body).toMatchObject({ username: 'nr-reviewer-2', role: 'reviewer', organisation: 'zj-nr', county: null, zone: null, active: true });
      expect(created.text).not.toMatch(/password|\$2[aby]\$/i);
      const signedIn = await login('nr-reviewer-2', 'correct-horse-battery').expect(200);
      await expect(t.app.get(TokenService).verifyAccess(signedIn.body.accessToken)).resolves.toMatchObject({
        userId: created.body.id,
        role: 'reviewer',
        organisation: 'zj-nr',
      });
      const stored = await t.app.get(DataSource).query<{ password_hash: string }[]>(`SELECT password_hash FROM users WHERE username = 'nr-reviewer-2'`);
      expect(stored[0]?.password_hash).toMatch(/^\$2[ab]\$10\$/);
    });

    it('refuses a username that is taken with 409', async () => {
      await newUser(reviewer('eco-reviewer-2', 'zj-eco')).expect(201);
      const clash = await newUser(reviewer('eco-reviewer-2', 'zj-drc')).expect(409);
      expect(clash.headers['content-type']).toMatch(/^application\/problem\+json/);
      await expect(login('eco-reviewer-2', 'correct-horse-battery').then((r) => t.app.get(TokenService).verifyAccess(r.body.accessToken))).resolves.toMatchObject({
        organisation: 'zj-eco',
      });
      await newUser({ ...reviewer('qingyuan'), role: 'admin', organisation: undefined }).expect(409);
    });

    it('lists every problem with a new account at once, and creates nothing', async () => {
      const count = async () => (await http.get('/directory/users').set('authorization', admin).expect(200)).body.total as number;
      const before = await count();
      const malformed = await newUser({ username: 'Not Valid', password: 'short', role: 'mayor', name: '', email: 'nope', isAdmin: true }).expect(400);
      expect(fields(malformed)).toEqual(['email', 'isAdmin', 'name', 'password', 'role', 'username']);
      const scope = await newUser({ ...reviewer('someone'), role: 'applicant', organisation: 'zj-nr', zone: 'nowhere' }).expect(400);
      expect(scope.body.errors).toEqual([
        { field: 'county', message: 'an applicant needs a county' },
        { field: 'organisation', message: 'an applicant has no organisation' },
        { field: 'zone', message: 'an applicant has no zone' },
      ]);
      const unknown = await newUser({ ...reviewer('someone'), organisation: 'zj-nowhere' }).expect(400);
      expect(unknown.body.errors).toEqual([{ field: 'organisation', message: 'no organisation has the code zj-nowhere' }]);
      const admins = await newUser({ ...reviewer('someone'), role: 'admin', organisation: undefined, county: 'qingyuan' }).expect(400);
      expect(admins.body.errors).toEqual([{ field: 'county', message: 'an admin has no county' }]);
      await expect(count()).resolves.toBe(before);
    });

    it('pages the accounts by username and never returns a password hash', async () => {
      const all = await http.get('/directory/users?limit=200').set('authorization', admin).expect(200);
      const page = await http.get('/directory/users?limit=2&offset=1').set('authorization', admin).expect(200);
      expect(page.body.total).toBe(all.body.total);
      expect(page.body.items.map((u: Item) => u.username)).toEqual(all.body.items.slice(1, 3).map((u: Item) => u.username));
      expect(all.body.items.map((u: Item) => u.username)).toEqual(expect.arrayContaining(['admin', 'qingyuan', 'keqiao-zone']));
      expect(all.text).not.toMatch(/\$2[aby]\$|password/i);
      await http.get('/directory/users?limit=0').set('authorization', admin).expect(400);
    });

    it('deactivating a user makes their login and refresh fail, their refresh tokens revoked', async () => {
      const user = (await newUser({ ...reviewer('leaving'), role: 'stakeholder', organisation: undefined, zone: 'keqiao' }).expect(201)).body as { id: string };
      const session = (await login('leaving', 'correct-horse-battery').expect(200)).body as { refreshToken: string };
      const deactivated = await patchUser(user.id, { active: false }).expect(200);
      expect(deactivated.body).toMatchObject({ active: false, zone: 'keqiao' });
      await login('leaving', 'correct-horse-battery').expect(401);
      await http.post('/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
      const tokens = await t.app.get(DataSource).query<{ revoked_at: Date | null }[]>(`SELECT revoked_at FROM refresh_tokens WHERE user_id = $1`, [user.id]);
      expect(tokens.length).toBeGreaterThan(0);
      expect(tokens.every((r) => r.revoked_at !== null)).toBe(true);
      // Back in: a new login works; the old session stays ended.
      await patchUser(user.id, { active: true }).expect(200);
      await login('leaving', 'correct-horse-battery').expect(200);
      await http.post('/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
    });

    it('resets a password: the new one signs in, the old one no longer does', async () => {
      const user = (await newUser(reviewer('forgetful')).expect(201)).body as { id: string };
      await patchUser(user.id, { password: 'a-brand-new-passphrase', name: '健忘的审核员', email: 'forgetful@zj-nr.example' })
        .expect(200)
        .expect((r) => expect(r.body).toMatchObject({ name: '健忘的审核员', email: 'forgetful@zj-nr.example' }));
      await login('forgetful', 'correct-horse-battery').expect(401);
      await login('forgetful', 'a-brand-new-passphrase').expect(200);
      const short = await patchUser(user.id, { password: 'too-short', name: null, active: null }).expect(400);
      expect(fields(short)).toEqual(['active', 'name', 'password']);
    });

    it("changes a user's role and scope under the same rules, listing every problem", async () => {
      const user = (await newUser(reviewer('mover')).expect(201)).body as { id: string };
      const noZone = await patchUser(user.id, { role: 'stakeholder' }).expect(400);
      expect(noZone.body.errors).toEqual([{ field: 'zone', message: 'a stakeholder needs a zone' }]);
      const wrong = await patchUser(user.id, { county: 'qingyuan', organisation: 'zj-nowhere' }).expect(400);
      expect(wrong.body.errors).toEqual([
        { field: 'county', message: 'a reviewer has no county' },
        { field: 'organisation', message: 'no organisation has the code zj-nowhere' },
      ]);
      const moved = await patchUser(user.id, { role: 'stakeholder', zone: 'keqiao' }).expect(200);
      expect(moved.body).toMatchObject({ role: 'stakeholder', zone: 'keqiao', organisation: null, county: null });
      const signedIn = await login('mover', 'correct-horse-battery').expect(200);
      await expect(t.app.get(TokenService).verifyAccess(signedIn.body.accessToken)).resolves.toMatchObject({ role: 'stakeholder', zone: 'keqiao' });
      await expect(t.app.get(TokenService).verifyAccess(signedIn.body.accessToken)).resolves.not.toHaveProperty('organisation');
    });

    it('marks a reviewer as a supervisor of their organisation, publishes it to the replicas, refuses it for any other role and ends it with a move away from reviewing', async () => {
      const head = (await newUser({ ...reviewer('nr-head'), supervisor: true }).expect(201)).body as { id: string; supervisor: boolean };
      expect(head.supervisor).toBe(true);
      const published = async () =>
        (await t.app.get(DataSource).query<{ payload: { supervisor?: boolean; version: number } }[]>(
          `SELECT data->'payload' AS payload FROM outbox WHERE job_name = 'directory.user_changed' AND data->'payload'->>'userId' = $1 ORDER BY seq DESC LIMIT 1`,
          [head.id],
        ))[0]?.payload;
      expect(await published()).toMatchObject({ supervisor: true });
      const applicant = await newUser({ username: 'county-head', password: 'correct-horse-battery', role: 'applicant', name: '县长', email: 'county-head@shanhai.example', county: 'qingyuan', supervisor: true }).expect(400);
      expect(applicant.body.errors).toEqual([{ field: 'supervisor', message: 'only a reviewer supervises an organisation, not an applicant' }]);
      const notBoolean = await patchUser(head.id, { supervisor: 'yes' }).expect(400);
      expect(fields(notBoolean)).toEqual(['supervisor']);
      const refused = await patchUser(head.id, { role: 'stakeholder', zone: 'keqiao', supervisor: true }).expect(400);
      expect(fields(refused)).toEqual(['supervisor']);
      // Renamed, still a supervisor; moved to another role, no longer one.
      await expect(patchUser(head.id, { name: '自然资源厅 处长' }).expect(200).then((r) => r.body.supervisor)).resolves.toBe(true);
      const moved = await patchUser(head.id, { role: 'stakeholder', zone: 'keqiao' }).expect(200);
      expect(moved.body).toMatchObject({ role: 'stakeholder', supervisor: false });
      expect(await published()).toMatchObject({ supervisor: false });
    });

    it('will not let an admin deactivate themselves or change their own role', async () => {
      const me = (await http.get('/me').set('authorization', admin).expect(200)).body as { id: string };
      const response = await patchUser(me.id, { active: false, role: 'reviewer', organisation: 'zj-nr' }).expect(400);
      expect(fields(response)).toEqual(['active', 'role']);
      await login('admin', DEMO_PASSWORD).expect(200);
    });

    it('answers 404 for an id no user has, and 400 for one that is not a UUID', async () => {
      await patchUser(randomUUID(), { name: 'nobody' }).expect(404);
      await patchUser('admin', { name: 'nobody' }).expect(400);
    });
  });

  describe('access', () => {
    const writes: [method: 'put' | 'post' | 'patch' | 'delete' | 'get', path: string, body?: Item][] = [
      ['put', '/directory/counties/qingyuan', { name: '庆元县', cityCode: 'lishui', validFrom: '2021-01-01' }],
      ['put', '/directory/zones/keqiao', { name: 'K', cityName: '绍兴市', email: 'k@shanhai.example' }],
      ['put', '/directory/pairings/qingyuan/fuyang', { note: 'not allowed' }],
      ['delete', '/directory/pairings/qingyuan/keqiao'],
      ['put', '/directory/organisations/zj-nr', { name: 'NR', kind: 'consulted_department', email: 'nr@shanhai.example' }],
      ['get', '/directory/users'],
      ['post', '/directory/users', reviewer('intruder')],
      ['patch', `/directory/users/${randomUUID()}`, { active: false }],
    ];

    it('refuses every admin operation to a county user (403) and to a caller without a token (401), changing nothing', async () => {
      const before = await read('pairings');
      for (const [method, path, body] of writes) {
        const call = (authorization?: string) => {
          const r = authorization ? http[method](path).set('authorization', authorization) : http[method](path);
          return body ? r.send(body) : r;
        };
        const forbidden = await call(qingyuan);
        expect([method, path, forbidden.status, forbidden.body.code]).toEqual([method, path, 403, 'FORBIDDEN']);
        const anonymous = await call();
        expect([method, path, anonymous.status, anonymous.body.code]).toEqual([method, path, 401, 'UNAUTHENTICATED']);
      }
      await expect(read('pairings')).resolves.toEqual(before);
      await login('intruder', 'correct-horse-battery').expect(401);
    });
  });

  it("keeps an admin's edits when the seed runs again", async () => {
    await http.put('/directory/zones/xiaoshan').set('authorization', admin).send({ name: '萧山经济技术开发区', cityName: '杭州市', email: 'kept@xiaoshan.example' }).expect(200);
    await seedDirectory(t.app.get(DataSource), { demo: false });
    expect((await read('zones')).find((z) => z.code === 'xiaoshan')).toMatchObject({ email: 'kept@xiaoshan.example' });
  });

  it('accepts the documented example of every admin write as it stands', async () => {
    const document = (await http.get('/docs-json').expect(200)).body as Parameters<typeof documentedOperations>[0];
    const writesWithBodies = documentedOperations(document).filter((o) => o.path.startsWith('/directory/') && o.operation.requestBody);
    expect(writesWithBodies.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort()).toEqual([
      'PATCH /directory/users/{id}',
      'POST /directory/users',
      'PUT /directory/counties/{code}',
      'PUT /directory/organisations/{code}',
      'PUT /directory/pairings/{countyCode}/{zoneCode}',
      'PUT /directory/zones/{code}',
    ]);
    for (const o of writesWithBodies) {
      const examples = Object.entries(requestBodyExamples(o.operation));
      expect([o.path, examples.length > 0]).toEqual([o.path, true]);
      for (const [name, example] of examples) {
        // A PATCH example is valid for any account but the caller's: try each on a fresh one.
        const id = o.path.includes('{id}') ? ((await newUser(reviewer(`example-${name.toLowerCase()}`)).expect(201)).body as { id: string }).id : '';
        const params = parameterExamples(o.operation, 'path');
        const path = o.path.replace(/\{(\w+)\}/g, (_, p: string) => (p === 'id' ? id : String(params[p])));
        const response = await http[o.method as 'put'](path).set('authorization', admin).send(example as object);
        expect([o.method, path, name, response.status < 300 ? 'ok' : response.body]).toEqual([o.method, path, name, 'ok']);
      }
    }
  });
});
