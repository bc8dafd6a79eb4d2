import os from 'node:os';
import type { BenchOptions, ServiceName } from './bench.options.js';
import type { Machine } from './machine.js';
import type { BullmqChainResult } from './raw/bullmq-chain.js';
import type { PooledMailResult } from './raw/pooled-mail.js';
import type { PostgresTxResult } from './raw/postgres-tx.js';
import type { LoopResult } from './shanhai/loops.js';
import type { PhaseResult } from './shanhai/phase.js';
import { ratio, type LatencySummary } from './stats.js';

export interface RawResults {
  readonly bullmq: BullmqChainResult;
  readonly postgres: PostgresTxResult;
  readonly mail: PooledMailResult;
}

/** What each figure means, written into every results file so that it reads on its own. */
export const DEFINITIONS = {
  transition:
    'one state change a person causes: a submission submitted (intake), or a task decision accepted with 200 (workflow). A zone plan has 8 (submit, 初审, 审核, three 会审 parties, 审批, 复函), a promotion event 3.',
  drafts: "each loop's drafts (a plan with its five PDF attachments, multipart) are made over HTTP before its clock starts: drafting is no transition",
  transitionsPerSecond: 'transitions of the loop ÷ time from its first submit to the answer of its last decision',
  emailsPerSecond: 'expected emails of the loop ÷ time from its first submit to the arrival of the last of them at the sink',
  submitToFirstEmailMs: 'per submission: from the submit request leaving to the first email about it arriving at the sink',
  decisionToEmailMs: "per decided step: from its last decision's request leaving to the first email announcing what follows (the next step entered, or the approval)",
  submitToLastEmailMs: 'per submission: from the submit request leaving to its last email arriving',
  peakRssMb: "each service's peak resident memory (VmHWM) over the phase, the largest of its processes",
  transitionsToLimit: 'closed-loop transitions/s ÷ the smaller of raw BullMQ hops/s and raw PostgreSQL tx/s',
  emailsToRawMail: 'closed-loop emails/s ÷ raw pooled nodemailer emails/s to the same sink',
  reviewers:
    'one poller lists every pending task (as the admin) every pollMs and approves each new one at once as its organisation’s demo account, at most 16 decision requests at a time',
} as const;

/** How near a closed loop came to the machine's own ceilings, in the same run. */
export interface Ratios {
  readonly transitionsToLimit: number | null;
  readonly emailsToRawMail: number | null;
}

interface PhaseSummary extends PhaseResult {
  readonly ratios: Ratios;
}

export interface BenchResults {
  readonly benchmark: 'shanhai bench:e2e';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: Machine;
  /** The load averages when the run ended (the machine's start ones are in `machine`). */
  readonly loadAverageAtEnd: readonly number[];
  readonly options: BenchOptions;
  readonly definitions: typeof DEFINITIONS;
  readonly raw: RawResults & { readonly limitPerSecond: number | null; readonly limitedBy: 'bullmq' | 'postgres' };
  // The headline: the first phase (one process of each service), closed loop.
  readonly transitionsPerSecond: number | null;
  readonly emailsPerSecond: number | null;
  readonly submitToFirstEmailMs: LatencySummary;
  readonly decisionToEmailMs: LatencySummary;
  readonly peakRssMb: Record<ServiceName, number>;
  readonly ratios: Ratios;
  readonly phases: readonly PhaseSummary[];
  /** The first phase against the second (more replicas), when there is one. */
  readonly replicaComparison: ReplicaComparison | null;
}

interface Compared {
  readonly baseline: number | null;
  readonly scaled: number | null;
  /** scaled ÷ baseline */
  readonly speedup: number | null;
}

export interface ReplicaComparison {
  readonly baseline: string;
  readonly scaled: string;
  readonly closedLoop: { readonly transitionsPerSecond: Compared; readonly emailsPerSecond: Compared };
  readonly openLoop: { readonly submitToLastEmailP95Ms: Compared; readonly drainSeconds: Compared } | null;
  /** Whether the scaled phase moved more transitions and more emails per second in the closed loop. */
  readonly moreThroughput: boolean;
}

const compared = (baseline: number | null, scaled: number | null): Compared => ({ baseline, scaled, speedup: ratio(scaled, baseline) });

export function buildResults(startedAt: Date, machine: Machine, options: BenchOptions, raw: RawResults, phases: readonly PhaseResult[]): BenchResults {
  const limitedBy = (raw.bullmq.hopsPerSecond ?? Infinity) <= raw.postgres.txPerSecond ? 'bullmq' : 'postgres';
  const limitPerSecond = limitedBy === 'bullmq' ? raw.bullmq.hopsPerSecond : raw.postgres.txPerSecond;
  const summaries: PhaseSummary[] = phases.map((p) => ({
    ...p,
    ratios: {
      transitionsToLimit: ratio(p.closedLoop.transitionsPerSecond, limitPerSecond),
      emailsToRawMail: ratio(p.closedLoop.emailsPerSecond, raw.mail.emailsPerSecond),
    },
  }));
  const [first, second] = summaries;
  if (!first) throw new Error('no phase ran');
  return {
    benchmark: 'shanhai bench:e2e',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
    options,
    definitions: DEFINITIONS,
    raw: { ...raw, limitPerSecond, limitedBy },
    transitionsPerSecond: first.closedLoop.transitionsPerSecond,
    emailsPerSecond: first.closedLoop.emailsPerSecond,
    submitToFirstEmailMs: first.closedLoop.submitToFirstEmailMs,
    decisionToEmailMs: first.closedLoop.decisionToEmailMs,
    peakRssMb: first.peakRssMb,
    ratios: first.ratios,
    phases: summaries,
    replicaComparison: second ? compare(first, second) : null,
  };
}

function compare(a: PhaseSummary, b: PhaseSummary): ReplicaComparison {
  const transitions = compared(a.closedLoop.transitionsPerSecond, b.closedLoop.transitionsPerSecond);
  const emails = compared(a.closedLoop.emailsPerSecond, b.closedLoop.emailsPerSecond);
  return {
    baseline: a.label,
    scaled: b.label,
    closedLoop: { transitionsPerSecond: transitions, emailsPerSecond: emails },
    openLoop:
      a.openLoop && b.openLoop
        ? { submitToLastEmailP95Ms: compared(a.openLoop.submitToLastEmailMs.p95, b.openLoop.submitToLastEmailMs.p95), drainSeconds: compared(a.openLoop.drainSeconds, b.openLoop.drainSeconds) }
        : null,
    moreThroughput: (transitions.speedup ?? 0) > 1 && (emails.speedup ?? 0) > 1,
  };
}

const num = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: digits }));
const pcts = (l: LatencySummary): string => `${num(l.p50, 0)} / ${num(l.p95, 0)} / ${num(l.p99, 0)}`;

/** The results as a table for the terminal. */
export function renderTable(r: BenchResults): string {
  const m = r.machine;
  const lines: string[] = [];
  lines.push('');
  lines.push(`Shanhai bench:e2e, ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, ${m.os}, Node ${m.node}, PostgreSQL ${m.postgres}, Redis ${m.redis}; load average ${m.loadAverage.join(' ')} at the start, ${r.loadAverageAtEnd.join(' ')} at the end`);
  lines.push('');
  const { bullmq, postgres, mail } = r.raw;
  lines.push(
    ...table([
      ['Raw ceilings (the same Redis, PostgreSQL and SMTP sink)', ''],
      [`  BullMQ: ${bullmq.queues} chained queues × ${bullmq.jobs} jobs, trivial processors, concurrency ${bullmq.concurrency}`, `${num(bullmq.hopsPerSecond, 0)} hops/s`],
      [`  PostgreSQL: ${postgres.tool === 'pgbench' ? 'pgbench' : 'built-in'} TPC-B, ${postgres.clients} clients × ${postgres.seconds} s`, `${num(postgres.txPerSecond, 0)} tx/s`],
      [`  SMTP: pooled nodemailer (${mail.poolConnections} connections), ${mail.messages} emails`, `${num(mail.emailsPerSecond, 0)} emails/s`],
    ]),
  );
  lines.push('');
  const phases = r.phases;
  const row = (label: string, value: (p: PhaseSummary) => string): string[] => [label, ...phases.map(value)];
  const loopRows = (get: (p: PhaseSummary) => LoopResult | null): string[][] => [
    row('    drafts/s (before the clock)', (p) => num(get(p)?.draftsPerSecond)),
    row('    every submit answered after s', (p) => num(get(p)?.submitSeconds)),
    row('    transitions/s', (p) => num(get(p)?.transitionsPerSecond)),
    row('    emails/s', (p) => num(get(p)?.emailsPerSecond)),
    row('    submit → first email p50/p95/p99 ms', (p) => { const l = get(p); return l ? pcts(l.submitToFirstEmailMs) : '—'; }),
    row('    decision → email p50/p95/p99 ms', (p) => { const l = get(p); return l ? pcts(l.decisionToEmailMs) : '—'; }),
    row('    submit → last email p50/p95/p99 ms', (p) => { const l = get(p); return l ? pcts(l.submitToLastEmailMs) : '—'; }),
    row('    transitions, emails (duplicates)', (p) => { const l = get(p); return l ? `${l.transitions}, ${l.emails} (${l.duplicateEmails})` : '—'; }),
  ];
  const first = phases[0]!;
  const open = first.openLoop;
  lines.push(
    ...table([
      ['Shanhai end to end (processes per service)', ...phases.map((p) => p.label)],
      [`  closed loop: ${first.closedLoop.zonePlans} zone plans + ${first.closedLoop.promotionEvents} promotion events, ${r.options.concurrency} clients`, ...phases.map(() => '')],
      ...loopRows((p) => p.closedLoop),
      ...(open
        ? [
            [`  open loop: ${open.ratePerSecond} submissions/s for ${open.durationSeconds} s (${open.arrivals})`, ...phases.map(() => '')],
            row('    arrivals/s achieved', (p) => num(p.openLoop?.achievedRatePerSecond, 2)),
            ...loopRows((p) => p.openLoop),
            row('    drain after the last arrival s', (p) => num(p.openLoop?.drainSeconds)),
          ]
        : []),
      row("  notifier's send limit emails/s (all its processes)", (p) => num(p.notifierSendLimitPerSecond)),
      row('  peak RSS MB intake / workflow / notifier', (p) => `${num(p.peakRssMb.intake, 0)} / ${num(p.peakRssMb.workflow, 0)} / ${num(p.peakRssMb.notifier, 0)}`),
      row(`  transitionsToLimit (÷ ${num(r.raw.limitPerSecond, 0)}/s, ${r.raw.limitedBy})`, (p) => num(p.ratios.transitionsToLimit, 4)),
      row(`  emailsToRawMail (÷ ${num(mail.emailsPerSecond, 0)}/s)`, (p) => num(p.ratios.emailsToRawMail, 4)),
    ]),
  );
  const c = r.replicaComparison;
  if (c) {
    lines.push('');
    lines.push(
      `${c.scaled} against ${c.baseline}: transitions/s ×${num(c.closedLoop.transitionsPerSecond.speedup, 2)}, emails/s ×${num(c.closedLoop.emailsPerSecond.speedup, 2)}` +
        ` (${c.moreThroughput ? 'more' : 'not more'} throughput)`,
    );
  }
  return lines.join('\n');
}

/** Left-aligned first column, right-aligned values. */
function table(rows: readonly (readonly string[])[]): string[] {
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(...rows.map((r) => width(r[i] ?? ''))));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === 0 ? pad(cell, widths[0]!, 'end') : pad(cell, widths[i]!, 'start')))
      .join('   ')
      .trimEnd(),
  );
}

/** Display width: CJK and full-width characters take two columns. */
function width(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/.test(ch) ? 2 : 1;
  return w;
}

function pad(text: string, to: number, side: 'start' | 'end'): string {
  const fill = ' '.repeat(Math.max(0, to - width(text)));
  return side === 'start' ? fill + text : text + fill;
}
