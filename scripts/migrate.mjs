#!/usr/bin/env node
// `npm run migrate`: each service creates its database when missing and runs its TypeORM
// migrations. In a fixed order, one at a time, so their output does not interleave and the first
// failure stops the rest (a later service may rely on an earlier one's schema being current).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVICES = ['intake', 'workflow', 'notifier'];

/** Resolves with the exit code; a migration killed by a signal counts as failed. */
function run(script) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { cwd: ROOT, env: process.env, stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`migrate: cannot start ${script}: ${error.message}`);
      resolve(1);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

for (const service of SERVICES) {
  const script = path.join('apps', service, 'dist', 'migrate.js');
  if (!existsSync(path.join(ROOT, script))) {
    console.error(`migrate: ${script} is missing; run \`npm run build\` first`);
    process.exit(1);
  }
  console.log(`migrate: ${service}`);
  const code = await run(script);
  if (code !== 0) {
    console.error(`migrate: ${service} failed (exit code ${code}); later services were not migrated`);
    process.exit(1);
  }
}
