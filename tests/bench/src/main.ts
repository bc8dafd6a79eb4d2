// `npm run bench:e2e`: in one run, on the same Redis, PostgreSQL and an SMTP sink it starts itself,
// the raw ceilings (a BullMQ chain of three queues, pgbench's TPC-B transactions, pooled
// nodemailer) and then Shanhai end to end (the built services as processes; zone plans and
// promotion events over HTTP, decided as soon as their tasks appear, until the sink holds every
// expected email), closed loop and open loop, with one process of each service and then with
// more replicas. Prints a table and writes the figures as JSON under bench/results/.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { testServers } from '@shanhai/platform/testing';
import { parseOptions, USAGE, UsageError, type BenchOptions } from './bench.options.js';
import { describeMachine } from './machine.js';
import { MailSink } from './mail-sink.js';
import { runBullmqChain } from './raw/bullmq-chain.js';
import { runPooledMail } from './raw/pooled-mail.js';
import { runPostgresTx } from './raw/postgres-tx.js';
import { buildResults, renderTable } from './report.js';
import { runPhase, type PhaseResult } from './shanhai/phase.js';

/** The monorepo root, from tests/bench/dist/. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function main(options: BenchOptions): Promise<void> {
  const startedAt = new Date();
  const runId = randomBytes(3).toString('hex');
  const machine = await describeMachine();
  const sink = await MailSink.start();
  try {
    const bullmq = await runBullmqChain(testServers.redisUrl, options.rawJobs, options.rawConcurrency);
    const postgres = await runPostgresTx(options.pgSeconds, options.pgClients, options.pgTool);
    const mail = await runPooledMail(sink, options.rawMails);
    const phases: PhaseResult[] = [];
    for (const replicas of options.replicas) phases.push(await runPhase(options, sink, replicas, runId));

    const results = buildResults(startedAt, machine, options, { bullmq, postgres, mail }, phases);
    const dir = path.resolve(root, options.out);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    const json = `${JSON.stringify(results, null, 2)}\n`;
    await writeFile(file, json);
    await writeFile(path.join(dir, 'latest.json'), json);
    process.stdout.write(`${renderTable(results)}\n\nResults: ${path.relative(process.cwd(), file)} (and latest.json beside it)\n`);
  } finally {
    await sink.close();
  }
}

let options: BenchOptions | 'help';
try {
  options = parseOptions(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`bench:e2e: ${error.message}\n\n${USAGE}\n`);
  process.exit(2);
}
if (options === 'help') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
// Exit explicitly: a client left half-closed by a failure must not keep a finished run alive.
await main(options).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`\nbench:e2e failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
