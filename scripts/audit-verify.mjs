#!/usr/bin/env node
// `npm run audit:verify`: checks workflow's hash-chained audit trail (the database named by
// WORKFLOW_DATABASE_URL, or shanhai_workflow on DATABASE_URL's server). Prints one line; exits 1
// and names the first broken entry when the chain does not hold.
import { runBuilt } from './run-built.mjs';

runBuilt('workflow', 'audit-verify.js');
