import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The role the workflow service should run as (WORKFLOW_DATABASE_URL names a LOGIN user that is a
 * member of it), while migrations keep running as the tables' owner. It reads and writes every
 * table but may only read and append the audit trail: UPDATE, DELETE and TRUNCATE on
 * audit_entries are not granted. Tables later migrations create get the read-write grants by
 * default; a table that must be append-only too revokes them in its own migration.
 *
 * Roles belong to the server, not the database: created when missing, and only by an owner
 * allowed to create roles (on a managed server the operator creates it once, then re-runs this).
 */
export class WorkflowAppRole1764230800000 implements MigrationInterface {
  name = 'WorkflowAppRole1764230800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'shanhai_workflow_app') THEN
          IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
            RAISE NOTICE 'role shanhai_workflow_app is missing and % may not create it: no grants made', current_user;
            RETURN;
          END IF;
          BEGIN
            CREATE ROLE shanhai_workflow_app NOLOGIN;
          EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- another database's migration created it at the same moment
          END;
        END IF;
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO shanhai_workflow_app;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO shanhai_workflow_app;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO shanhai_workflow_app;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO shanhai_workflow_app;
        REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries FROM shanhai_workflow_app;
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON migrations FROM shanhai_workflow_app;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'shanhai_workflow_app') THEN
          ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM shanhai_workflow_app;
          ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM shanhai_workflow_app;
          REVOKE ALL ON ALL TABLES IN SCHEMA public FROM shanhai_workflow_app;
          REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM shanhai_workflow_app;
        END IF;
      END
      $$`);
  }
}
