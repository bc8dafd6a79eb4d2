import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from '@jest/globals';

// Jest hands specs a stand-in `process`, so the signal is tried on a real one: a child running the built module.
const built = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/bootstrap.js')).href;

describe('signals a service ignores', () => {
  it.each(['SIGUSR2', 'SIGHUP'] as const)('keeps running on %s and says so; ends on SIGTERM', async (signal) => {
    const script = `import { keepRunningOnSignals } from ${JSON.stringify(built)};
      keepRunningOnSignals(['SIGUSR2', 'SIGHUP']);
      process.on('SIGTERM', () => { console.log('stopping'); process.exit(0); });
      setInterval(() => {}, 1000);
      console.log('ready');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    while (!out.includes('ready')) await new Promise((r) => setTimeout(r, 20));
    child.kill(signal);
    await new Promise((r) => setTimeout(r, 300));
    expect(child.exitCode).toBeNull();
    expect(out).toContain(`${signal} received and ignored`);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(out).toContain('stopping');
  });
});
