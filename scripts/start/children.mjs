// The processes `npm start` runs. Everything started is tracked, so a stop — Ctrl-C, SIGTERM or a
// failure — reaches all of it, and the stop finishes within 10 s with every port released.
// node: built-ins only (runs before install).
import { spawn } from 'node:child_process';
import readline from 'node:readline';

import { never, say, sayError, sleep, within } from './util.mjs';

const IS_WINDOWS = process.platform === 'win32';
/** Children get this long after SIGTERM before SIGKILL… */
const STOP_GRACE_MS = 8_000;
/** …and the whole stop ends here whatever happens. */
const STOP_DEADLINE_MS = 9_500;
/** Wide enough for the longest name, so the output columns line up: `intake  | …`. */
const PREFIX_WIDTH = 8;

/**
 * @typedef {{ code: number | null, signal: string | null, error?: Error }} ExitResult
 * @typedef {object} Child
 * @property {string} name    prefix of its output lines
 * @property {string} label   how messages name it
 * @property {import('node:child_process').ChildProcess} proc
 * @property {ExitResult | null} exit  set once the child itself has ended
 * @property {Promise<ExitResult>} done  the child itself has ended
 * @property {Promise<void>} gone  …and so has everything it started in its process group
 */
/** Children whose process group still exists. @type {Set<Child>} */
const running = new Set();
let stopping = false;

export function isStopping() {
  return stopping;
}

/**
 * Each child gets its own process group, so it receives exactly one SIGTERM — ours — and can
 * shut down in peace. A terminal's Ctrl-C or a `kill -TERM -<group>` on `npm start` reaches this
 * script (npm even forwards it a second time) but not the services: signalled twice, NestJS kills
 * itself at the second signal, in the middle of its graceful shutdown.
 *
 * With `prefixOutput`, each output line is prefixed with the name (`intake  | …`); otherwise the
 * child writes straight to our terminal (npm, turbo).
 * @returns {Child}
 */
export function startChild(name, command, args, { env = process.env, prefixOutput = false, label = name } = {}) {
  const proc = spawn(command, args, {
    env,
    detached: !IS_WINDOWS,
    shell: IS_WINDOWS && command !== process.execPath, // npm and npx are .cmd files there
    stdio: ['ignore', prefixOutput ? 'pipe' : 'inherit', prefixOutput ? 'pipe' : 'inherit'],
  });
  if (prefixOutput) {
    pipeLines(proc.stdout, process.stdout, name);
    pipeLines(proc.stderr, process.stderr, name);
  }
  const child = { name, label, proc, exit: null };
  child.done = new Promise((resolve) => {
    proc.on('error', (error) => resolve({ code: null, signal: null, error }));
    // 'close' rather than 'exit': the child's last output lines are through by then.
    proc.on('close', (code, signal) => resolve({ code, signal }));
  }).then((result) => (child.exit = result));
  child.gone = child.done.then(() => untilGroupEmpty(child)).then(() => void running.delete(child));
  running.add(child);
  return child;
}

/** Runs one setup step to completion; any failure ends the whole start. */
export async function runStep(name, command, args, env = process.env) {
  const result = await startChild(name, command, args, { env }).done;
  // A signal stopped us meanwhile: the child's failure is a consequence, not news.
  if (stopping) return never();
  if (result.error || result.code !== 0) await fail(`${name} failed (${describeExit(result)})`);
}

/** A long-running child: if it ends while we are not stopping, everything stops. */
export function supervise(child) {
  child.done.then((result) => fail(`${child.label} exited unexpectedly (${describeExit(result)})`));
  return child;
}

/** Reports the first failure only (later ones are its consequences), stops everything, exits 1. */
export function fail(message) {
  if (stopping) return never();
  sayError(message);
  return stopEverything(1, 'stopping everything else…').then(never);
}

/** Stops every child (SIGTERM, then SIGKILL after the grace period) and exits. Runs once. */
export async function stopEverything(exitCode, announcement = 'stopping…') {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(exitCode), STOP_DEADLINE_MS);
  const children = [...running];
  if (children.some((child) => !child.exit)) say(announcement);
  for (const child of children) signalGroup(child, 'SIGTERM');
  const allGone = Promise.all(children.map((child) => child.gone));
  if (!(await within(allGone, STOP_GRACE_MS))) {
    for (const child of running) {
      say(`${child.label} did not stop within ${STOP_GRACE_MS / 1000} s; killing it`);
      signalGroup(child, 'SIGKILL');
    }
    await within(allGone, STOP_DEADLINE_MS - STOP_GRACE_MS - 500);
  }
  process.exit(exitCode);
}

/** The negative pid addresses the child's whole group, so anything it spawned goes too. */
function signalGroup(child, signal) {
  if (child.proc.pid === undefined) return; // it never started
  try {
    if (IS_WINDOWS) child.proc.kill(signal);
    else process.kill(-child.proc.pid, signal);
  } catch {
    // Already gone.
  }
}

/** A child may exit before what it started: npx exits while turbo is still shutting down. */
async function untilGroupEmpty(child) {
  while (groupAlive(child)) await sleep(100);
}

function groupAlive(child) {
  if (IS_WINDOWS || child.proc.pid === undefined) return false;
  try {
    process.kill(-child.proc.pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function pipeLines(input, output, name) {
  const prefix = `${name.padEnd(PREFIX_WIDTH)}| `;
  readline.createInterface({ input, crlfDelay: Infinity }).on('line', (line) => {
    output.write(prefix + stripAnsi(line) + '\n');
  });
}

/** The combined log stays plain text even if a child colours its output anyway. */
function stripAnsi(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '');
}

function describeExit({ code, signal, error }) {
  if (error) return error.message;
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}
