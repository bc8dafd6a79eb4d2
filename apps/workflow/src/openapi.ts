import type { OpenApiOptions } from '@shanhai/platform';

/** Workflow's OpenAPI document: served at /docs and /docs-json. */
export const openApi: OpenApiOptions = {
  title: 'Shanhai workflow',
  description:
    "Reviewers' API: the reviewing organisations (市商务局 初审, 省商务厅 审核, 省政府 审批) list their tasks and approve or reject them; " +
    'an admin or an involved reviewer can follow an approval instance and its audit trail. Every operation needs ' +
    '`Authorization: Bearer <access token>` from intake\'s `POST /auth/login`; a reviewer acts only on its organisation\'s tasks. ' +
    'Errors are `application/problem+json` (RFC 9457).',
  tags: [
    { name: 'tasks', description: "Reviewing organisations' tasks, and the decisions on them." },
    { name: 'instances', description: 'Approval instances: one run of the chain over one revision of a submission.' },
    { name: 'definitions', description: 'Approval definitions as versioned data: admins publish new versions; an instance stays on the version it started with.' },
    { name: 'audit', description: "Admins' checks of the hash-chained audit trail." },
    { name: 'calendars', description: 'The PRC working-day calendar, a year at a time: what time limits (办理时限, 承诺时限) count on.' },
  ],
};
