import type { Principal } from '@shanhai/platform';
import type { ObjectLiteral } from 'typeorm';
import type { Task } from './task.entity.js';

/**
 * Who may read or act on which task or instance: every rule of workflow's, once. Each gives the
 * check for a row already loaded (`allows`) and the same rule as a WHERE condition for a query
 * (`where`), so a list never shows what a read by id would refuse. `access-policy.spec.ts` runs
 * both over a table of principals and rows and fails where they disagree.
 *
 * Whoever a rule refuses is told the row does not exist (404), never that it is forbidden.
 */

/** A condition on the rows under an alias, for `andWhere(sql, params)`; `all` when nothing is filtered out. */
export type AccessCondition = 'all' | { readonly sql: string; readonly params: ObjectLiteral };

export interface AccessRule<Row> {
  /** Whether the rule lets the principal at this row. */
  allows(principal: Principal, row: Row): boolean;
  /** The rows the rule lets the principal at, as a condition on `alias` (written in column names, so it reads the same inside TypeORM and out). */
  where(principal: Principal, alias: string): AccessCondition;
}

/** What a rule grants a principal: every row, the rows of one organisation, or none. */
type Scope = 'all' | 'none' | { readonly organisation: string };

/** How a row belongs to an organisation, in TypeScript and in SQL. */
interface Belonging<Row> {
  test(row: Row, organisation: string): boolean;
  sql(alias: string, param: string): string;
}

type TaskRow = Pick<Task, 'organisationCode'>;

/** Rows of `tasks`: the organisation the task is assigned to. */
const taskOf: Belonging<TaskRow> = {
  test: (task, organisation) => task.organisationCode === organisation,
  sql: (alias, param) => `${alias}.organisation_code = :${param}`,
};

/** Rows of `instances`: an organisation that one of its tasks, of any step or round, was assigned to. */
const instanceWithTaskOf: Belonging<{ readonly tasks: readonly TaskRow[] }> = {
  test: (instance, organisation) => instance.tasks.some((task) => taskOf.test(task, organisation)),
  sql: (alias, param) => `EXISTS (SELECT 1 FROM tasks ${alias}_task WHERE ${alias}_task.instance_id = ${alias}.id AND ${taskOf.sql(`${alias}_task`, param)})`,
};

/** A reviewer reaches its own organisation's rows; no other role reaches any (a reviewer always has an organisation). */
const ownOrganisation = (principal: Principal): Scope =>
  principal.role === 'reviewer' && principal.organisation ? { organisation: principal.organisation } : 'none';

const adminOr =
  (otherwise: (principal: Principal) => Scope) =>
  (principal: Principal): Scope =>
    principal.role === 'admin' ? 'all' : otherwise(principal);

function rule<Row>(scope: (principal: Principal) => Scope, belongs: Belonging<Row>): AccessRule<Row> {
  return {
    allows(principal, row) {
      const granted = scope(principal);
      return granted === 'all' || (granted !== 'none' && belongs.test(row, granted.organisation));
    },
    where(principal, alias) {
      const granted = scope(principal);
      if (granted === 'all') return 'all';
      if (granted === 'none') return { sql: 'FALSE', params: {} };
      const param = `${alias}_access_organisation`;
      return { sql: belongs.sql(alias, param), params: { [param]: granted.organisation } };
    },
  };
}

export const accessPolicy = {
  /** A reviewer reads its organisation's tasks, whatever a list's filter says; an admin reads every task. */
  readTask: rule<TaskRow>(adminOr(ownOrganisation), taskOf),
  /** Only a reviewer of the task's organisation decides it: an admin reassigns, it does not decide. */
  decideTask: rule<TaskRow>(ownOrganisation, taskOf),
  /** Only an admin hands a task to another organisation. */
  reassignTask: rule<TaskRow>(adminOr(() => 'none'), taskOf),
  /**
   * An admin, or a reviewer of an organisation one of its tasks was assigned to, reads an
   * instance, and with it its audit trail and the diffs of its revisions.
   */
  readInstance: rule(adminOr(ownOrganisation), instanceWithTaskOf),
} as const;
