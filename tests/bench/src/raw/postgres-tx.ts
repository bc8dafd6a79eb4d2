import { spawn, spawnSync } from 'node:child_process';
import { dropDatabase, ensureDatabase } from '@shanhai/platform';
import { uniqueDatabaseUrl } from '@shanhai/platform/testing';
import pg from 'pg';
import { ProgressBar } from '../progress-bar.js';

export interface PostgresTxResult {
  /** `pgbench` (its built-in TPC-B-like script) or `builtin` (the same five statements from Node, with pg). */
  readonly tool: 'pgbench' | 'builtin';
  readonly clients: number;
  readonly seconds: number;
  readonly transactions: number;
  readonly txPerSecond: number;
  readonly meanLatencyMs: number | null;
}

const SCALE = 1; // pgbench's scale 1: 100 000 accounts, 10 tellers, 1 branch

/**
 * TPC-B-like transactions (pgbench's default script: three updates, a select, an insert) against
 * a scratch database on the test server (DATABASE_URL), created for the run and dropped after it.
 */
export async function runPostgresTx(seconds: number, clients: number, tool: 'auto' | 'builtin'): Promise<PostgresTxResult> {
  const url = uniqueDatabaseUrl('bench_pgbench');
  await ensureDatabase(url);
  try {
    const pgbench = tool === 'auto' && spawnSync('pgbench', ['--version'], { stdio: 'ignore' }).status === 0;
    return pgbench ? await withPgbench(url, seconds, clients) : await withBuiltin(url, seconds, clients);
  } finally {
    await dropDatabase(url);
  }
}

function connectionArgs(url: string): string[] {
  const u = new URL(url);
  return ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'), decodeURIComponent(u.pathname.slice(1))];
}

function run(command: string, args: string[], onStderr: (line: string) => void = () => undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, PGPASSWORD: process.env.PGPASSWORD ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      for (const line of d.toString().split('\n')) if (line.trim()) onStderr(line);
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${err.slice(-2000)}`))));
  });
}

async function withPgbench(url: string, seconds: number, clients: number): Promise<PostgresTxResult> {
  const connection = connectionArgs(url);
  await run('pgbench', ['-i', '-q', '-s', String(SCALE), ...connection]);
  const progress = new ProgressBar('raw PostgreSQL (pgbench)', seconds, 's');
  // -P 1: a progress line on stderr each second, which moves the bar.
  const out = await run('pgbench', ['-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(seconds), '-P', '1', ...connection], (line) => {
    const m = /^progress: ([\d.]+) s, ([\d.]+) tps/.exec(line);
    if (m) progress.update(Math.round(Number(m[1])), `${Math.round(Number(m[2]))} tx/s`);
  });
  progress.finish();
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out) ?? /tps = ([\d.]+)/.exec(out);
  const processed = /number of transactions actually processed: (\d+)/.exec(out);
  const latency = /latency average = ([\d.]+) ms/.exec(out);
  if (!tps || !processed) throw new Error(`could not read pgbench's result:\n${out}`);
  return {
    tool: 'pgbench',
    clients,
    seconds,
    transactions: Number(processed[1]),
    txPerSecond: Math.round(Number(tps[1]) * 10) / 10,
    meanLatencyMs: latency ? Number(latency[1]) : null,
  };
}

/** pgbench's tables and script, for a machine without pgbench. */
async function withBuiltin(url: string, seconds: number, clients: number): Promise<PostgresTxResult> {
  const pool = new pg.Pool({ connectionString: url, max: clients });
  const accounts = 100_000 * SCALE;
  try {
    await pool.query(`
      CREATE TABLE pgbench_branches (bid int PRIMARY KEY, bbalance int, filler char(88));
      CREATE TABLE pgbench_tellers (tid int PRIMARY KEY, bid int, tbalance int, filler char(84));
      CREATE TABLE pgbench_accounts (aid int PRIMARY KEY, bid int, abalance int, filler char(84));
      CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22));
      INSERT INTO pgbench_branches SELECT b, 0 FROM generate_series(1, ${SCALE}) b;
      INSERT INTO pgbench_tellers SELECT t, (t - 1) / 10 + 1, 0 FROM generate_series(1, ${10 * SCALE}) t;
      INSERT INTO pgbench_accounts SELECT a, (a - 1) / 100000 + 1, 0, '' FROM generate_series(1, ${accounts}) a;
      VACUUM ANALYZE;`);
    const progress = new ProgressBar('raw PostgreSQL (built-in TPC-B)', seconds, 's');
    const started = performance.now();
    const deadline = started + seconds * 1000;
    let transactions = 0;
    const random = (n: number) => 1 + Math.floor(Math.random() * n);
    const clientLoop = async () => {
      const client = await pool.connect();
      try {
        while (performance.now() < deadline) {
          const [aid, tid, bid, delta] = [random(accounts), random(10 * SCALE), random(SCALE), Math.floor(Math.random() * 10_001) - 5000];
          await client.query('BEGIN');
          await client.query('UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2', [delta, aid]);
          await client.query('SELECT abalance FROM pgbench_accounts WHERE aid = $1', [aid]);
          await client.query('UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2', [delta, tid]);
          await client.query('UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2', [delta, bid]);
          await client.query('INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP)', [tid, bid, aid, delta]);
          await client.query('END');
          transactions += 1;
          if (transactions % 200 === 0) progress.update(Math.round((performance.now() - started) / 1000));
        }
      } finally {
        client.release();
      }
    };
    await Promise.all(Array.from({ length: clients }, clientLoop));
    const ms = performance.now() - started;
    progress.finish();
    return { tool: 'builtin', clients, seconds, transactions, txPerSecond: Math.round((transactions * 10_000) / ms) / 10, meanLatencyMs: Math.round(((ms * clients) / transactions) * 1000) / 1000 };
  } finally {
    await pool.end();
  }
}
