import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Approval definitions become versioned data. The chains that were code become version 1 of their
 * kind, so the instances already running (which store definition_key and definition_version) keep
 * resolving. The steps are written out here rather than imported, so this migration means the
 * same thing whatever the code's chains become.
 */
export class Definitions1764230900000 implements MigrationInterface {
  name = 'Definitions1764230900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE definitions (
        key text NOT NULL,
        version int NOT NULL CHECK (version > 0),
        name text NOT NULL,
        steps jsonb NOT NULL CHECK (jsonb_typeof(steps) = 'array'),
        published_at timestamptz NOT NULL DEFAULT now(),
        published_by text NOT NULL,
        PRIMARY KEY (key, version)
      )`);
    // A published version is immutable: running instances read their steps from it.
    await q.query(`
      CREATE FUNCTION definitions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'definitions are immutable: publish a new version (% refused)', TG_OP USING ERRCODE = 'raise_exception';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER definitions_immutable BEFORE UPDATE OR DELETE ON definitions
      FOR EACH ROW EXECUTE FUNCTION definitions_immutable()`);
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'shanhai_workflow_app') THEN
          REVOKE UPDATE, DELETE, TRUNCATE ON definitions FROM shanhai_workflow_app;
        END IF;
      END
      $$`);
    const v1 = [
      {
        key: 'zone_plan',
        name: '经济开发区创建方案审批',
        steps: [
          { key: 'city_pre_review', name: '市商务局初审', mode: 'single', reviewer: { kind: 'city_commerce_bureau' } },
          { key: 'province_review', name: '省商务厅审核', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-commerce' } },
          { key: 'province_approval', name: '省政府审批', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-gov' } },
        ],
      },
      {
        key: 'promotion_event',
        name: '招商推介会审批',
        steps: [
          { key: 'host_review', name: '主办单位审核', mode: 'single', reviewer: { kind: 'host_organisation' } },
          { key: 'office_approval', name: '省商务厅办公室审批', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-commerce-office' } },
        ],
      },
    ];
    for (const d of v1) {
      await q.query(`INSERT INTO definitions (key, version, name, steps, published_by) VALUES ($1, 1, $2, $3, 'system')`, [d.key, d.name, JSON.stringify(d.steps)]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE definitions');
    await q.query('DROP FUNCTION definitions_immutable()');
  }
}
