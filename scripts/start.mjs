#!/usr/bin/env node
// `npm start` on a fresh clone: install, build, check Redis and PostgreSQL, migrate, then run the
// three services (plus a local mail inbox unless SMTP_URL or SMTP_URLS is set) until Ctrl-C.
//
// This file and ./start/ run before `npm install`, so they import node: built-ins only; `pg` is
// loaded dynamically once the install is done.
import { existsSync, statSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { fail, isStopping, runStep, startChild, stopEverything, supervise } from './start/children.mjs';
import { checkPostgres, checkRedis, unreachableMessage } from './start/server-checks.mjs';
import { never, say, sleep } from './start/util.mjs';

// Every path below, and every child's working directory, is relative to the repository root.
process.chdir(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));

const HEALTH_TIMEOUT_MS = 120_000;
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432';
/** Every service's database lives on one server in practice: checking the first URL set is enough. */
const DATABASE_URL_VARS = ['DATABASE_URL', 'INTAKE_DATABASE_URL', 'WORKFLOW_DATABASE_URL', 'NOTIFIER_DATABASE_URL'];

/** Where the services listen (HOST); a wildcard address is reached over loopback. */
const SERVICE_HOST = ['', '0.0.0.0', '::'].includes(process.env.HOST ?? '') ? '127.0.0.1' : process.env.HOST;

const SERVICES = [
  { name: 'intake', script: 'apps/intake/dist/main.js', port: portFromEnv('INTAKE_PORT', 3001) },
  { name: 'workflow', script: 'apps/workflow/dist/main.js', port: portFromEnv('WORKFLOW_PORT', 3002) },
  { name: 'notifier', script: 'apps/notifier/dist/main.js', port: portFromEnv('NOTIFIER_PORT', 3003) },
];
const MAIL_INBOX = {
  script: 'tools/mail-inbox/dist/cli.js',
  // The inbox's CLI reads the same two variables.
  smtpPort: portFromEnv('MAIL_INBOX_SMTP_PORT', 1025),
  httpPort: portFromEnv('MAIL_INBOX_HTTP_PORT', 8025),
};

async function main() {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stopEverything(0));

  if (needsInstall()) {
    say('installing…');
    await runStep('npm install', 'npm', ['install', '--no-audit', '--no-fund']);
  }
  say('building…');
  await runStep('build', 'npx', ['turbo', 'run', 'build'], { ...process.env, TURBO_TELEMETRY_DISABLED: '1' });

  say('checking Redis and PostgreSQL…');
  await checkServers();

  say('migrating…');
  await runStep('migration', process.execPath, ['scripts/migrate.mjs']);

  // The directory always; the demo accounts only where they can do no harm.
  const demo = process.env.NODE_ENV === 'production' ? [] : ['--demo'];
  say(demo.length ? 'seeding the directory and the demo accounts…' : 'seeding the directory…');
  await runStep('seed', process.execPath, ['scripts/seed.mjs', ...demo]);

  // Mail goes to the SMTP servers configured; with none, to the built-in inbox.
  const inboxStarted = !process.env.SMTP_URL && !process.env.SMTP_URLS;
  const smtp = {};
  if (inboxStarted) {
    say('starting the mail inbox…');
    smtp.SMTP_URL = await startMailInbox();
  }

  say('starting services…');
  // NODE_ENV is passed on as it is: unset stays unset.
  // The services' output goes through this process: keep it readable when a person is watching.
  const logFormat = process.env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json');
  await startServices({ ...process.env, ...smtp, LOG_FORMAT: logFormat });
  printReady(inboxStarted);
}

/** After a clone, or when a pull brought a new lockfile. */
function needsInstall() {
  const installed = path.join('node_modules', '.package-lock.json');
  if (!existsSync(installed)) return true;
  return existsSync('package-lock.json') && statSync('package-lock.json').mtimeMs > statSync(installed).mtimeMs;
}

/** Both checks run at once; the first failure is reported as one line and nothing else starts. */
async function checkServers() {
  const databaseVar = DATABASE_URL_VARS.find((name) => process.env[name]);
  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const databaseUrl = (databaseVar && process.env[databaseVar]) || DEFAULT_DATABASE_URL;
  const pg = await loadPg();
  const [redis, postgres] = await Promise.allSettled([checkRedis(redisUrl), checkPostgres(databaseUrl, pg)]);
  if (redis.status === 'rejected') {
    await fail(unreachableMessage('Redis', redisUrl, redis.reason, 'REDIS_URL'));
  }
  if (postgres.status === 'rejected') {
    await fail(unreachableMessage('PostgreSQL', databaseUrl, postgres.reason, databaseVar ?? 'DATABASE_URL'));
  }
}

/** `pg` is a dependency of the services, hoisted to the root by npm; else take intake's copy. */
async function loadPg() {
  try {
    return (await import('pg')).default;
  } catch {
    return createRequire(path.resolve('apps/intake/package.json'))('pg');
  }
}

/** Starts the built-in inbox and returns the SMTP_URL the services should use. */
async function startMailInbox() {
  const child = supervise(startChild('mail', process.execPath, [MAIL_INBOX.script], {
    prefixOutput: true,
    label: 'mail inbox',
  }));
  await waitUntilHealthy(child, `http://127.0.0.1:${MAIL_INBOX.httpPort}/health`);
  return `smtp://127.0.0.1:${MAIL_INBOX.smtpPort}`;
}

async function startServices(env) {
  await Promise.all(SERVICES.map((service) => {
    const child = supervise(startChild(service.name, process.execPath, [service.script], { env, prefixOutput: true }));
    return waitUntilHealthy(child, `http://${SERVICE_HOST}:${service.port}/health`);
  }));
}

async function waitUntilHealthy(child, url) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    // A child that died is reported by its supervisor; stop polling for it.
    if (isStopping() || child.exit) return never();
    if (await answersOk(url)) return;
    await sleep(250);
  }
  await fail(`${child.label} did not answer ${url} within ${HEALTH_TIMEOUT_MS / 1000} s`);
}

function answersOk(url) {
  return new Promise((resolve) => {
    // agent: false, so no keep-alive socket outlives the check.
    const req = http.get(url, { agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

function printReady(inboxStarted) {
  const rows = SERVICES.map((service) => [service.name, `http://${SERVICE_HOST}:${service.port}`]);
  if (inboxStarted) {
    rows.push(['mail inbox', `http://127.0.0.1:${MAIL_INBOX.httpPort}  (SMTP smtp://127.0.0.1:${MAIL_INBOX.smtpPort})`]);
  }
  const lines = rows.map(([name, url]) => `  ${name.padEnd(11)}${url}`);
  console.log(['shanhai: ready', ...lines, 'Ctrl-C stops everything'].join('\n'));
}

function portFromEnv(name, fallback) {
  const raw = process.env[name];
  const port = raw ? Number(raw) : fallback;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    console.error(`shanhai: ${name} must be a port number, got ${JSON.stringify(raw)}`);
    process.exit(1);
  }
  return port;
}

main().catch((error) => fail(`start failed: ${error?.stack ?? error}`));
