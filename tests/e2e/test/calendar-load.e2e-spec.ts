import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { STACK_PASSWORD, Stack } from '@shanhai/platform/testing';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const run = promisify(execFile);

/** `npm run calendar:load`: an admin loads a year's calendar from a file into the running workflow. */
describe('calendar:load, from a file into the running workflow', () => {
  let stack: Stack;
  let dir: string;

  beforeAll(async () => {
    // No email is sent here: the SMTP URL is never dialled.
    stack = new Stack('smtp://127.0.0.1:1');
    await stack.start(['intake', 'workflow']);
    dir = await mkdtemp(path.join(tmpdir(), 'shanhai-calendars-'));
  });

  afterAll(async () => {
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Runs the script on `files` as an admin would; resolves with its exit code and output. */
  async function load(...files: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = { PATH: process.env.PATH ?? '', WORKFLOW_URL: stack.urls.workflow, INTAKE_URL: stack.urls.intake, CALENDAR_ADMIN_PASSWORD: STACK_PASSWORD };
    try {
      const { stdout, stderr } = await run(process.execPath, [path.join(root, 'scripts/calendar-load.mjs'), ...files], { env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }
  const file = async (name: string, content: unknown) => {
    const at = path.join(dir, name);
    await writeFile(at, typeof content === 'string' ? content : JSON.stringify(content));
    return at;
  };

  it('loads a valid year, replaces it on a second load, and refuses a contradictory or unreadable file naming what is wrong, storing nothing of it', async () => {
    // An illustrative year (not the State Council's 2027 notice): New Year's Day off, one Saturday worked.
    const y2040 = { year: 2040, source: 'spec', holidays: ['2040-01-01', '2040-01-02'], makeUpWorkdays: ['2040-01-07'] };
    const first = await load(await file('2040.json', y2040));
    expect(first).toMatchObject({ code: 0, stdout: expect.stringContaining('2040 loaded as version 1 (2 holidays, 1 make-up working days)') });
    const again = await load(await file('2040-b.json', { ...y2040, holidays: ['2040-01-01'] }));
    expect(again.stdout).toContain('2040 loaded as version 2');

    const both = await file('2041.json', { year: 2041, holidays: ['2041-02-02'], makeUpWorkdays: ['2041-02-02'] });
    const broken = await file('broken.json', '{"year": 2042, "holidays": [');
    const refused = await load(both, broken);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('2041 refused (400');
    expect(refused.stderr).toMatch(/makeUpWorkdays.*2041-02-02|holidays.*2041-02-02/);
    expect(refused.stderr).toContain('broken.json: cannot read it as JSON');

    const admin = (await (await fetch(`${stack.urls.intake}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: STACK_PASSWORD }) })).json()) as { accessToken: string };
    const read = (year: number) => fetch(`${stack.urls.workflow}/calendars/${year}`, { headers: { authorization: `Bearer ${admin.accessToken}` } });
    const stored = (await (await read(2040)).json()) as { version: number; holidays: string[]; makeUpWorkdays: string[]; updatedBy: string };
    expect(stored).toMatchObject({ version: 2, holidays: ['2040-01-01'], makeUpWorkdays: ['2040-01-07'] });
    expect((await read(2041)).status).toBe(404);
  });

  it('says how to sign in when it has no credentials', async () => {
    const { code, stderr } = await run(process.execPath, [path.join(root, 'scripts/calendar-load.mjs'), 'x.json'], { env: { PATH: process.env.PATH ?? '' } }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect([code, stderr]).toEqual([1, expect.stringContaining('CALENDAR_ADMIN_PASSWORD')]);
  });
});
