import type { OpenApiOptions } from '@shanhai/platform';

/** The notifier's OpenAPI document: served at /docs and /docs-json. */
export const openApi: OpenApiOptions = {
  title: 'Shanhai notifier',
  description:
    "The notifier's API: the delivery log of the emails it sends to applicants, reviewers and stakeholders as plans go through review, " +
    'one per (event, recipient, template), for admins; and each signed-in user\'s own notice preferences. ' +
    'Apart from health and metrics, routes take `Authorization: Bearer <access token>` from intake\'s `POST /auth/login`. ' +
    'Errors are `application/problem+json` (RFC 9457).',
  tags: [
    { name: 'deliveries', description: 'The delivery log: one row per email.' },
    { name: 'preferences', description: "Each signed-in user's own notice settings: language, muted non-statutory notices, watched submissions." },
    { name: 'reconciliation', description: 'Events whose emails did not all end sent or dead in time (admins only).' },
  ],
};
