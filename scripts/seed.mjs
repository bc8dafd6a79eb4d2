#!/usr/bin/env node
// `npm run seed [-- --demo]`: loads the directory (counties, zones, pairings, organisations) into
// intake's database, idempotently; with --demo also the local demo accounts (never in production).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const script = path.join(root, 'apps/intake/dist/seed.js');
if (!existsSync(script)) {
  console.error('shanhai: apps/intake is not built; run `npm run build` (or `npm start`) first.');
  process.exit(1);
}
const { status } = spawnSync(process.execPath, [script, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(status ?? 1);
