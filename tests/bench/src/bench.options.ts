export type ServiceName = 'intake' | 'workflow' | 'notifier';
export const serviceNames: readonly ServiceName[] = ['intake', 'workflow', 'notifier'];

/** How many processes of each service a phase runs. */
export type Replicas = Record<ServiceName, number>;
export const ONE_EACH: Replicas = { intake: 1, workflow: 1, notifier: 1 };

export interface BenchOptions {
  /** Zone plans, and as many promotion events, in the closed loop. */
  readonly n: number;
  /** Open loop: submissions started per second (plans and events alternately). */
  readonly rate: number;
  /** Open loop: seconds of arrivals. */
  readonly duration: number;
  /** The phases: 1 process of each service first, then each configuration asked for. */
  readonly replicas: readonly Replicas[];
  /** Clients drafting at once (before each loop's clock), and submitting at once in the closed loop. */
  readonly concurrency: number;
  /** How often the reviewers look at their work list when it had nothing new. */
  readonly pollMs: number;
  /** A loop fails when its emails have not all arrived this long after its last submission. */
  readonly timeoutSeconds: number;
  /** Raw BullMQ: jobs through the chain of three queues, and each worker's concurrency. */
  readonly rawJobs: number;
  readonly rawConcurrency: number;
  /** Raw PostgreSQL: seconds and clients of the TPC-B run; `builtin` skips pgbench even when installed. */
  readonly pgSeconds: number;
  readonly pgClients: number;
  readonly pgTool: 'auto' | 'builtin';
  /** Raw SMTP: messages through one nodemailer pool. */
  readonly rawMails: number;
  /** Extra environment for every service process (`--set KEY=VALUE`), recorded in the results. */
  readonly settings: Readonly<Record<string, string>>;
  /** Where the JSON goes. */
  readonly out: string;
}

export const DEFAULTS: BenchOptions = {
  n: 20,
  rate: 1,
  duration: 30,
  replicas: [ONE_EACH, { intake: 1, workflow: 2, notifier: 2 }],
  concurrency: 8,
  pollMs: 100,
  timeoutSeconds: 180,
  rawJobs: 2000,
  rawConcurrency: 8,
  pgSeconds: 10,
  pgClients: 4,
  pgTool: 'auto',
  rawMails: 500,
  settings: {},
  out: 'bench/results',
};

export const USAGE = `Usage: npm run bench:e2e -- [options]   (each option also as an environment variable, e.g. BENCH_N=5)

  --n N                 zone plans, and as many promotion events, in the closed loop (${DEFAULTS.n})
  --rate R              open loop: submissions per second, plans and events alternately (${DEFAULTS.rate})
  --duration S          open loop: seconds of arrivals (${DEFAULTS.duration})
  --replicas SPEC       a second phase with more processes, e.g. workflow=2,notifier=2 (default);
                        'off' runs one process of each service only
  --concurrency C       clients drafting at once (before the clock), and submitting in the closed loop (${DEFAULTS.concurrency})
  --poll-ms MS          reviewers' work-list poll interval when nothing was new (${DEFAULTS.pollMs})
  --timeout S           a loop fails when its mail is not all in S seconds after its last submission (${DEFAULTS.timeoutSeconds})
  --raw-jobs M          raw BullMQ: jobs through three chained queues (${DEFAULTS.rawJobs})
  --raw-concurrency K   raw BullMQ: each worker's concurrency (${DEFAULTS.rawConcurrency}, as the services' workers)
  --pg-seconds S        raw PostgreSQL: seconds of TPC-B transactions (${DEFAULTS.pgSeconds})
  --pg-clients C        raw PostgreSQL: clients (${DEFAULTS.pgClients})
  --pg-tool auto|builtin  pgbench when on PATH (auto), or the built-in TPC-B loop
  --raw-mails M         raw SMTP: messages through one pooled nodemailer transport (${DEFAULTS.rawMails})
  --set KEY=VALUE       extra environment for every service (repeatable), e.g. NOTIFIER_RATE_LIMIT_PER_SECOND=50
  --out DIR             where the JSON results go (${DEFAULTS.out})
  --help`;

export class UsageError extends Error {}

/** `workflow=2,notifier=2` → { intake: 1, workflow: 2, notifier: 2 }. */
export function parseReplicas(spec: string): Replicas {
  const replicas = { ...ONE_EACH };
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, count] = part.split('=');
    if (!serviceNames.includes(name as ServiceName)) throw new UsageError(`--replicas: ${name} is not one of ${serviceNames.join(', ')}`);
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || n > 8) throw new UsageError(`--replicas: ${part} needs a whole number of processes from 1 to 8`);
    replicas[name as ServiceName] = n;
  }
  return replicas;
}

export const describeReplicas = (r: Replicas): string => {
  const more = serviceNames.filter((s) => r[s] > 1).map((s) => `${s}=${r[s]}`);
  return more.length ? more.join(',') : '1 each';
};

const flags: Record<string, string> = {
  '--n': 'BENCH_N',
  '--rate': 'BENCH_RATE',
  '--duration': 'BENCH_DURATION',
  '--replicas': 'BENCH_REPLICAS',
  '--concurrency': 'BENCH_CONCURRENCY',
  '--poll-ms': 'BENCH_POLL_MS',
  '--timeout': 'BENCH_TIMEOUT',
  '--raw-jobs': 'BENCH_RAW_JOBS',
  '--raw-concurrency': 'BENCH_RAW_CONCURRENCY',
  '--pg-seconds': 'BENCH_PG_SECONDS',
  '--pg-clients': 'BENCH_PG_CLIENTS',
  '--pg-tool': 'BENCH_PG_TOOL',
  '--raw-mails': 'BENCH_RAW_MAILS',
  '--out': 'BENCH_OUT',
};

/** Flags win over the environment, which wins over the defaults. Throws UsageError on anything it does not understand. */
export function parseOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): BenchOptions | 'help' {
  const given = new Map<string, string>();
  for (const [flag, variable] of Object.entries(flags)) {
    const value = env[variable];
    if (value !== undefined && value !== '') given.set(flag, value);
  }
  const settings: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    // --flag value, or --flag=value
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (flag !== '--set' && !(flag in flags)) throw new UsageError(`unknown option ${arg}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[(i += 1)];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    if (flag === '--set') {
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(value);
      if (!match) throw new UsageError(`--set needs KEY=VALUE, not ${value}`);
      settings[match[1]!] = match[2]!;
    } else {
      given.set(flag, value);
    }
  }

  const number = (flag: string, fallback: number, { min = 1, integer = true } = {}): number => {
    const raw = given.get(flag);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) throw new UsageError(`${flag} must be ${integer ? 'a whole number' : 'a number'} of at least ${min}, not ${raw}`);
    return n;
  };
  const replicasSpec = given.get('--replicas');
  const replicas = replicasSpec === undefined ? DEFAULTS.replicas : replicasSpec === 'off' ? [ONE_EACH] : [ONE_EACH, parseReplicas(replicasSpec)];
  const pgTool = given.get('--pg-tool') ?? DEFAULTS.pgTool;
  if (pgTool !== 'auto' && pgTool !== 'builtin') throw new UsageError(`--pg-tool is auto or builtin, not ${pgTool}`);
  return {
    n: number('--n', DEFAULTS.n),
    rate: number('--rate', DEFAULTS.rate, { min: 0.01, integer: false }),
    duration: number('--duration', DEFAULTS.duration, { min: 0, integer: false }),
    replicas: replicas.filter((r, i) => i === 0 || describeReplicas(r) !== describeReplicas(ONE_EACH)),
    concurrency: number('--concurrency', DEFAULTS.concurrency),
    pollMs: number('--poll-ms', DEFAULTS.pollMs, { min: 5 }),
    timeoutSeconds: number('--timeout', DEFAULTS.timeoutSeconds),
    rawJobs: number('--raw-jobs', DEFAULTS.rawJobs),
    rawConcurrency: number('--raw-concurrency', DEFAULTS.rawConcurrency),
    pgSeconds: number('--pg-seconds', DEFAULTS.pgSeconds),
    pgClients: number('--pg-clients', DEFAULTS.pgClients),
    pgTool,
    rawMails: number('--raw-mails', DEFAULTS.rawMails),
    settings,
    out: given.get('--out') ?? DEFAULTS.out,
  };
}
