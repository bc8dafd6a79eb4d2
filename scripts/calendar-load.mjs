#!/usr/bin/env node
// `npm run calendar:load -- <file.json> [...]`: loads each year's working-day calendar from a file
// into the running workflow, through `PUT /calendars/{year}` (so it is validated, the open deadlines
// it moves are computed again, and the audit records it as any admin's load would be). A file is
// `{"year": 2027, "holidays": [...], "makeUpWorkdays": [...], "source"?: "..."}`, as
// infra/calendars/2026.json. Signs in to intake as CALENDAR_ADMIN_USERNAME (default `admin`) with
// CALENDAR_ADMIN_PASSWORD, or uses the token in CALENDAR_ADMIN_TOKEN. Prints one line per file;
// exits 1 when a file is refused (naming every bad entry) or cannot be read or sent.
import { readFile } from 'node:fs/promises';

const host = '127.0.0.1';
const workflow = process.env.WORKFLOW_URL || `http://${host}:${process.env.WORKFLOW_PORT || 3002}`;
const intake = process.env.INTAKE_URL || `http://${host}:${process.env.INTAKE_PORT || 3001}`;
const files = process.argv.slice(2);

async function token() {
  if (process.env.CALENDAR_ADMIN_TOKEN) return process.env.CALENDAR_ADMIN_TOKEN;
  const password = process.env.CALENDAR_ADMIN_PASSWORD;
  if (!password) throw new Error('set CALENDAR_ADMIN_PASSWORD (with CALENDAR_ADMIN_USERNAME, default admin) or CALENDAR_ADMIN_TOKEN');
  const username = process.env.CALENDAR_ADMIN_USERNAME || 'admin';
  const response = await fetch(`${intake}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`signing in to ${intake} as ${username} answered ${response.status}`);
  return (await response.json()).accessToken;
}

/** Loads one file; returns the line to print and whether it was stored. */
async function load(file, bearer) {
  let calendar;
  try {
    calendar = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return { ok: false, line: `${file}: cannot read it as JSON: ${error.message}` };
  }
  const { year, ...body } = calendar ?? {};
  if (!Number.isInteger(year)) return { ok: false, line: `${file}: "year" must be the calendar's year, e.g. 2027` };
  const response = await fetch(`${workflow}/calendars/${year}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const answer = await response.json().catch(() => ({}));
  if (response.ok) {
    const what = `${answer.holidays?.length ?? 0} holidays, ${answer.makeUpWorkdays?.length ?? 0} make-up working days`;
    return { ok: true, line: `${file}: ${year} loaded as version ${answer.version} (${what})` };
  }
  const errors = (answer.errors ?? []).map((e) => `${e.field}: ${e.message}`);
  return { ok: false, line: `${file}: ${year} refused (${response.status} ${answer.title ?? ''})${errors.length ? `\n  ${errors.join('\n  ')}` : ''}` };
}

if (!files.length) {
  process.stderr.write('usage: npm run calendar:load -- <file.json> [<file.json> ...]\n');
  process.exit(2);
}
try {
  const bearer = await token();
  let failed = 0;
  for (const file of files) {
    const { ok, line } = await load(file, bearer);
    (ok ? process.stdout : process.stderr).write(`${line}\n`);
    if (!ok) failed += 1;
  }
  process.exit(failed ? 1 : 0);
} catch (error) {
  process.stderr.write(`calendar:load: ${error.message}\n`);
  process.exit(1);
}
