import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Principal } from '@shanhai/platform';
import { testServers } from '@shanhai/platform/testing';
import { DataSource, type QueryRunner } from 'typeorm';
import { accessPolicy, type AccessCondition } from './access-policy.js';
import { Instance } from './instance.entity.js';
import { Task } from './task.entity.js';

const principal = (role: Principal['role'], scope: Partial<Principal> = {}): Principal => ({ userId: randomUUID(), username: role, name: role, role, ...scope });
const principals: Record<string, Principal> = {
  admin: principal('admin'),
  lishui: principal('reviewer', { organisation: 'lishui-commerce' }),
  province: principal('reviewer', { organisation: 'zj-commerce' }),
  // Refused at sign-in; the policy must not read a missing organisation as "no filter".
  unscoped: principal('reviewer'),
  applicant: principal('applicant', { county: 'lishui-commerce', organisation: 'lishui-commerce' }),
  stakeholder: principal('stakeholder', { zone: 'keqiao' }),
};

/** Tasks by name, and instances by the organisations of their tasks. */
const tasks = { lishui: 'lishui-commerce', province: 'zj-commerce', other: 'wenzhou-commerce' };
const instances: Record<string, string[]> = {
  cityOnly: ['lishui-commerce'],
  countersigned: ['lishui-commerce', 'zj-commerce'],
  provinceOnly: ['zj-commerce'],
  unassigned: [],
};

/** Who each rule lets at which row, by name: the predicate and the SQL must both give exactly this. */
const expected = {
  readTask: { admin: ['lishui', 'other', 'province'], lishui: ['lishui'], province: ['province'] },
  decideTask: { lishui: ['lishui'], province: ['province'] },
  reassignTask: { admin: ['lishui', 'other', 'province'] },
  readInstance: { admin: ['cityOnly', 'countersigned', 'provinceOnly', 'unassigned'], lishui: ['cityOnly', 'countersigned'], province: ['countersigned', 'provinceOnly'] },
} satisfies Record<keyof typeof accessPolicy, Record<string, string[]>>;

describe('workflow access policy', () => {
  let dataSource: DataSource;
  let runner: QueryRunner;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    dataSource = await new DataSource({ type: 'postgres', url: testServers.databaseUrl, entities: [Instance, Task], extra: { max: 1 } }).initialize();
    runner = dataSource.createQueryRunner();
    await runner.connect();
    // Temporary tables of the columns the rules read: private to this connection, gone when it closes.
    await runner.query('CREATE TEMP TABLE instances (id uuid PRIMARY KEY)');
    await runner.query('CREATE TEMP TABLE tasks (id uuid PRIMARY KEY, instance_id uuid NOT NULL REFERENCES instances (id), organisation_code text NOT NULL)');
    const holder = randomUUID();
    await runner.query('INSERT INTO instances (id) VALUES ($1)', [holder]);
    for (const [name, organisation] of Object.entries(tasks)) {
      ids.set(name, randomUUID());
      await runner.query('INSERT INTO tasks (id, instance_id, organisation_code) VALUES ($1, $2, $3)', [ids.get(name), holder, organisation]);
    }
    for (const [name, organisations] of Object.entries(instances)) {
      ids.set(name, randomUUID());
      await runner.query('INSERT INTO instances (id) VALUES ($1)', [ids.get(name)]);
      for (const organisation of organisations) await runner.query('INSERT INTO tasks (id, instance_id, organisation_code) VALUES ($1, $2, $3)', [randomUUID(), ids.get(name), organisation]);
    }
  });

  afterAll(async () => {
    await runner?.release();
    await dataSource?.destroy();
  });

  /** The names of the rows under `entity` that the condition lets through, as the services' query builders run it. */
  async function selected(entity: typeof Task | typeof Instance, names: string[], condition: AccessCondition): Promise<string[]> {
    const query = runner.manager
      .createQueryBuilder(entity, 'x')
      .select('x.id', 'id')
      .where('x.id IN (:...ids)', { ids: names.map((n) => ids.get(n)) });
    if (condition !== 'all') query.andWhere(condition.sql, condition.params);
    const found = new Set((await query.getRawMany<{ id: string }>()).map((r) => r.id));
    return names.filter((n) => found.has(ids.get(n) ?? '')).sort();
  }

  const taskRules = ['readTask', 'decideTask', 'reassignTask'] as const;

  it.each(taskRules)('%s: the check and the SQL let the same principals at the same tasks', async (rule) => {
    const names = Object.keys(tasks);
    for (const [who, p] of Object.entries(principals)) {
      const byCheck = names.filter((n) => accessPolicy[rule].allows(p, { organisationCode: tasks[n as keyof typeof tasks] })).sort();
      const bySql = await selected(Task, names, accessPolicy[rule].where(p, 'x'));
      expect({ who, rows: bySql }).toEqual({ who, rows: byCheck });
      expect({ who, rows: byCheck }).toEqual({ who, rows: (expected[rule] as Record<string, string[]>)[who] ?? [] });
    }
  });

  it('readInstance: the check and the SQL let the same principals at the same instances', async () => {
    const names = Object.keys(instances);
    for (const [who, p] of Object.entries(principals)) {
      const byCheck = names.filter((n) => accessPolicy.readInstance.allows(p, { tasks: (instances[n] ?? []).map((organisationCode) => ({ organisationCode })) })).sort();
      const bySql = await selected(Instance, names, accessPolicy.readInstance.where(p, 'x'));
      expect({ who, rows: bySql }).toEqual({ who, rows: byCheck });
      expect({ who, rows: byCheck }).toEqual({ who, rows: (expected.readInstance as Record<string, string[]>)[who] ?? [] });
    }
  });

  it('names its parameters after the alias, so two conditions can share one query', () => {
    const lishui = principals.lishui as Principal;
    expect(accessPolicy.readTask.where(lishui, 't')).toEqual({ sql: 't.organisation_code = :t_access_organisation', params: { t_access_organisation: 'lishui-commerce' } });
    expect(accessPolicy.readInstance.where(lishui, 'i')).toMatchObject({ params: { i_access_organisation: 'lishui-commerce' } });
    expect(accessPolicy.readTask.where(principals.admin as Principal, 't')).toBe('all');
  });
});
