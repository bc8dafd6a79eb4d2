import type { OpenApiOptions } from '@shanhai/platform';

/** Intake's OpenAPI document: served at /docs and /docs-json. */
export const openApi: OpenApiOptions = {
  title: 'Shanhai intake',
  description:
    "Applicants' API: a mountain county's government (山区26县) drafts a development-zone creation plan (经济开发区创建方案), attaches its " +
    'documents, submits it and follows it through the three reviews (初审 → 审核 → 审批). Operations marked with the `bearer` scheme need ' +
    '`Authorization: Bearer <access token>` from `POST /auth/login`. Errors are `application/problem+json` (RFC 9457).',
  tags: [
    { name: 'zone-plans', description: 'Zone creation plans: draft, edit, attach documents, submit, withdraw, follow.' },
    { name: 'promotion-events', description: 'Investment promotion events (招商活动) and their reports.' },
    { name: 'auth', description: 'Sign-in: access and refresh tokens, and the signed-in user.' },
    { name: 'directory', description: 'The mountain counties, the advanced development zones and their pairings (结对).' },
  ],
};
