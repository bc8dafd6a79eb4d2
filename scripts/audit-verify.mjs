#!/usr/bin/env node
// `npm run audit:verify`: checks workflow's audit trail, every instance's hash chain and every
// signed checkpoint (the database named by WORKFLOW_DATABASE_URL, or shanhai_workflow on
// DATABASE_URL's server; the keys of AUDIT_SIGNING_KEYS). Prints one line, with the last
// checkpoint's hash to keep elsewhere; exits 1 and names the first broken entry (or the missing
// one, or the checkpoint) when something does not hold.
import { runBuilt } from './run-built.mjs';

runBuilt('workflow', 'audit-verify.js');
