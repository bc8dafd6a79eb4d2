#!/usr/bin/env node
// `npm run audit:verify`: checks workflow's hash-chained audit trail (the database named by
// WORKFLOW_DATABASE_URL, or shanhai_workflow on DATABASE_URL's server). Prints one line; exits 1
// and names the first broken entry when the chain does not hold.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const script = path.join(root, 'apps/workflow/dist/audit-verify.js');
if (!existsSync(script)) {
  console.error('shanhai: apps/workflow is not built; run `npm run build` first.');
  process.exit(1);
}
const { status } = spawnSync(process.execPath, [script, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(status ?? 1);
