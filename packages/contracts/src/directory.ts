import { z } from 'zod';
import { defineMessage } from './envelope.js';

/**
 * intake owns the directory; workflow and the notifier keep replicas of the parts they act on,
 * fed by these messages through intake's outbox. Each message carries a whole record and the
 * directory's `version` of it (one sequence over every record intake publishes): a replica keeps
 * a record only when the version is newer than its own, so redelivered or reordered messages
 * never roll it back. `npm run seed` publishes every record again (a snapshot), so a new
 * replica catches up without a backfill of its own.
 */
const version = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const code = z.string().min(1).max(64);

/** intake → workflow, notifier: an organisation was created or changed (whole record). */
export const DirectoryOrganisationChanged = defineMessage(
  'directory.organisation_changed',
  1,
  z.strictObject({
    code,
    name: z.string().min(1).max(200),
    kind: z.string().min(1).max(64),
    email: z.email(),
    cityCode: code.nullable(),
    version,
  }),
);

/**
 * intake → workflow, notifier: an account was created or changed (whole record, never its
 * password). `tokensValidAfter` ends every token issued before it on every service (a password
 * reset); an inactive account's tokens are refused whatever their age.
 */
export const DirectoryUserChanged = defineMessage(
  'directory.user_changed',
  1,
  z.strictObject({
    userId: z.uuid(),
    username: z.string().min(1).max(100),
    name: z.string().min(1).max(200),
    role: z.enum(['applicant', 'reviewer', 'stakeholder', 'admin']),
    email: z.email(),
    organisation: code.nullable(),
    county: code.nullable(),
    zone: code.nullable(),
    active: z.boolean(),
    /**
     * A reviewer who supervises their organisation's work (科室负责人, 分管领导): told when one of
     * its steps is escalated (督办). Absent in messages from before it existed: not a supervisor.
     */
    supervisor: z.boolean().optional(),
    tokensValidAfter: z.iso.datetime({ offset: true }).nullable(),
    version,
  }),
);
