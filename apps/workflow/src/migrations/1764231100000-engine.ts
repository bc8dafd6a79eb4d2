import type { MigrationInterface, QueryRunner } from 'typeorm';

type Reviewer = { kind: string; code?: string };
type StoredStep = { mode: string; reviewer?: Reviewer; reviewers?: Reviewer[] };

/**
 * The approval engine: countersign steps, return for correction and delegation.
 *
 * - One instance per submission (not per revision): a corrected revision re-enters the instance
 *   that returned it, so `(submission_id)` becomes unique and `revision` is the one under review.
 * - The instance keeps its resolved chain (each step's mode and parties), the current round and
 *   the current step's parties: the state `decide` works on, rebuilt from the audit by `replay`.
 * - A task is one party's share of one round of a step: `(instance, step, round, party)`.
 * - `revisions` keeps what each revision contained, for the field-by-field diff.
 * - zone_plan version 2 adds the joint review (会审) and the reply letter (复函). Written out
 *   here, like version 1, so the migration means the same whatever the code's chains become.
 */
export class Engine1764231100000 implements MigrationInterface {
  name = 'Engine1764231100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE instances ADD COLUMN round int NOT NULL DEFAULT 1, ADD COLUMN chain jsonb NOT NULL DEFAULT '[]', ADD COLUMN parties jsonb NOT NULL DEFAULT '[]'`);
    await q.query('ALTER TABLE instances DROP CONSTRAINT instances_status_check');
    await q.query(`ALTER TABLE instances ADD CONSTRAINT instances_status_check CHECK (status IN ('in_review', 'returned', 'approved', 'rejected', 'withdrawn'))`);
    await q.query(`
      ALTER TABLE tasks
        ADD COLUMN round int NOT NULL DEFAULT 1,
        ADD COLUMN party int NOT NULL DEFAULT 0,
        ADD COLUMN assignee_id uuid,
        ADD COLUMN assignee_name text,
        ADD COLUMN delegated_by text,
        ADD COLUMN acting_for text,
        ADD COLUMN deficiencies jsonb`);
    await q.query('ALTER TABLE tasks DROP CONSTRAINT tasks_status_check');
    await q.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_status_check CHECK (status IN ('pending', 'approved', 'rejected', 'returned', 'withdrawn', 'closed'))`);
    // Until now each step was assigned once, in order: step k was round k + 1.
    await q.query('UPDATE tasks SET round = step_index + 1');
    await q.query('ALTER TABLE tasks DROP CONSTRAINT tasks_instance_step_key');
    await q.query('ALTER TABLE tasks ADD CONSTRAINT tasks_instance_step_round_party_key UNIQUE (instance_id, step_index, round, party)');
    await this.backfillInstances(q);
    await q.query('ALTER TABLE instances DROP CONSTRAINT instances_submission_revision_key');
    await q.query('ALTER TABLE instances ADD CONSTRAINT instances_submission_key UNIQUE (submission_id)');
    await q.query(`
      CREATE TABLE revisions (
        instance_id uuid NOT NULL REFERENCES instances (id),
        revision int NOT NULL CHECK (revision > 0),
        title text NOT NULL,
        content jsonb,
        attachments jsonb NOT NULL DEFAULT '[]',
        received_at timestamptz NOT NULL,
        PRIMARY KEY (instance_id, revision)
      )`);
    const steps = [
      { key: 'city_pre_review', name: '市商务局初审', mode: 'single', reviewer: { kind: 'city_commerce_bureau' } },
      { key: 'province_review', name: '省商务厅审核', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-commerce' } },
      {
        key: 'joint_review',
        name: '省级部门会审',
        mode: 'all_of',
        reviewers: [
          { kind: 'organisation', code: 'zj-nr' },
          { kind: 'organisation', code: 'zj-drc' },
          { kind: 'organisation', code: 'zj-eco' },
        ],
      },
      { key: 'province_approval', name: '省政府审批', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-gov' } },
      { key: 'reply_letter', name: '省政府办公厅复函', mode: 'single', reviewer: { kind: 'organisation', code: 'zj-gov-office' } },
    ];
    await q.query(
      `INSERT INTO definitions (key, version, name, steps, published_by)
       SELECT 'zone_plan', coalesce(max(version), 0) + 1, '经济开发区创建方案审批', $1, 'system' FROM definitions WHERE key = 'zone_plan'`,
      [JSON.stringify(steps)],
    );
  }

  /** Instances already running get the chain they run on, resolved as they were, and their current parties. */
  private async backfillInstances(q: QueryRunner): Promise<void> {
    type Row = { id: string; current_step: number; submission: { city: { code: string }; hostOrganisation?: string }; steps: StoredStep[] };
    const rows = (await q.query(
      'SELECT i.id, i.current_step, i.submission, d.steps FROM instances i JOIN definitions d ON d.key = i.definition_key AND d.version = i.definition_version',
    )) as Row[];
    for (const row of rows) {
      const resolve = (r: Reviewer): string => (r.kind === 'organisation' ? (r.code ?? '') : r.kind === 'city_commerce_bureau' ? `${row.submission.city.code}-commerce` : (row.submission.hostOrganisation ?? ''));
      const chain = row.steps.map((s) => ({ mode: s.mode, parties: (s.reviewers ?? (s.reviewer ? [s.reviewer] : [])).map(resolve) }));
      const tasks = (await q.query('SELECT organisation_code, status FROM tasks WHERE instance_id = $1 AND step_index = $2', [row.id, row.current_step])) as { organisation_code: string; status: string }[];
      const parties = tasks.map((t) => ({ organisation: t.organisation_code, status: t.status === 'withdrawn' ? 'closed' : t.status, assignee: null, delegatedBy: null }));
      await q.query('UPDATE instances SET chain = $2, parties = $3, round = current_step + 1 WHERE id = $1', [row.id, JSON.stringify(chain), JSON.stringify(parties)]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    // zone_plan version 2 stays: published definitions are immutable (the trigger refuses deletes).
    await q.query('DROP TABLE revisions');
    await q.query('ALTER TABLE instances DROP CONSTRAINT instances_submission_key');
    await q.query('ALTER TABLE instances ADD CONSTRAINT instances_submission_revision_key UNIQUE (submission_id, revision)');
    await q.query('ALTER TABLE tasks DROP CONSTRAINT tasks_instance_step_round_party_key');
    await q.query('ALTER TABLE tasks ADD CONSTRAINT tasks_instance_step_key UNIQUE (instance_id, step_index)');
    await q.query('ALTER TABLE tasks DROP CONSTRAINT tasks_status_check');
    await q.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_status_check CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn'))`);
    await q.query('ALTER TABLE tasks DROP COLUMN round, DROP COLUMN party, DROP COLUMN assignee_id, DROP COLUMN assignee_name, DROP COLUMN delegated_by, DROP COLUMN acting_for, DROP COLUMN deficiencies');
    await q.query('ALTER TABLE instances DROP CONSTRAINT instances_status_check');
    await q.query(`ALTER TABLE instances ADD CONSTRAINT instances_status_check CHECK (status IN ('in_review', 'approved', 'rejected', 'withdrawn'))`);
    await q.query('ALTER TABLE instances DROP COLUMN round, DROP COLUMN chain, DROP COLUMN parties');
  }
}
