// Runs a command-line entry point of a built service (`apps/<app>/dist/<file>`) with this
// process's arguments, and exits with its status; says what to do when the app is not built.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function runBuilt(app, file) {
  const script = path.join(root, 'apps', app, 'dist', file);
  if (!existsSync(script)) {
    console.error(`shanhai: apps/${app} is not built; run \`npm run build\` first.`);
    process.exit(1);
  }
  const { status } = spawnSync(process.execPath, [script, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(status ?? 1);
}
