import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A task records the submission revision it reviews (tasks of a round before a correction keep
 * the older revision), and every instance has a `revisions` row for the revision under review:
 * instances started before the engine came with v1 messages, so their row has no content.
 */
export class TaskRevisions1764231200000 implements MigrationInterface {
  name = 'TaskRevisions1764231200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tasks ADD COLUMN revision int');
    // Best known: the instance's revision now. Tasks of rounds before a correction, opened before
    // this column existed, cannot be told apart any more; their `round` still orders them.
    await q.query('UPDATE tasks t SET revision = i.revision FROM instances i WHERE i.id = t.instance_id');
    await q.query('ALTER TABLE tasks ALTER COLUMN revision SET NOT NULL');
    await q.query(`
      INSERT INTO revisions (instance_id, revision, title, content, received_at)
      SELECT id, revision, submission ->> 'title', NULL, created_at FROM instances
      ON CONFLICT (instance_id, revision) DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM revisions WHERE content IS NULL');
    await q.query('ALTER TABLE tasks DROP COLUMN revision');
  }
}
