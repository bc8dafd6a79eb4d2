import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Stack } from '@shanhai/platform/testing';
import { serviceNames, type Replicas, type ServiceName } from '../bench.options.js';

/** The bench's own settings for the services: only what keeps a long run signed in. Everything else is the services' defaults. */
export const BENCH_SETTINGS: Readonly<Record<string, string>> = { AUTH_ACCESS_TTL_SECONDS: '3600' };

/**
 * The three built services as processes (the platform's test Stack: own databases, queue prefix
 * and free ports), with extra replicas of those asked for, and each process's peak resident
 * memory watched while it runs.
 */
export class RunningSystem {
  private readonly peakKb: Record<ServiceName, number> = { intake: 0, workflow: 0, notifier: 0 };
  private readonly sampler: NodeJS.Timeout;

  private constructor(
    readonly stack: Stack,
    readonly replicas: Replicas,
  ) {
    this.sampler = setInterval(() => this.sample(), 500);
  }

  static async start(smtpUrl: string, replicas: Replicas, settings: Readonly<Record<string, string>>): Promise<RunningSystem> {
    const stack = new Stack(smtpUrl, { ...BENCH_SETTINGS, ...settings }, 'bench');
    try {
      await stack.start();
      for (const name of serviceNames) for (let i = 1; i < replicas[name]; i += 1) await stack.startReplica(name);
    } catch (error) {
      await stack.close().catch(() => undefined);
      throw error;
    }
    return new RunningSystem(stack, replicas);
  }

  /** The notifier's global send limit as its first process announced it at boot (`delivering at most N emails/s`). */
  notifierSendLimit(): number | null {
    const said = /delivering at most (\d+) emails\/s/.exec(this.stack.log('notifier'));
    return said ? Number(said[1]) : null;
  }

  urlsOf(name: ServiceName): string[] {
    return this.stack.urlsOf(name);
  }

  /** Peak resident set of each service in MB: the largest of its processes'. */
  peakRssMb(): Record<ServiceName, number> {
    this.sample();
    const mb = (kb: number) => Math.round(kb / 102.4) / 10;
    return { intake: mb(this.peakKb.intake), workflow: mb(this.peakKb.workflow), notifier: mb(this.peakKb.notifier) };
  }

  /** The end of each process's log, for a run that failed. */
  logs(): string {
    return serviceNames.map((s) => `--- ${s} ---\n${this.stack.log(s)}`).join('\n');
  }

  async close(): Promise<void> {
    clearInterval(this.sampler);
    await this.stack.close();
  }

  private sample(): void {
    for (const name of serviceNames) {
      for (const pid of this.stack.pids(name)) this.peakKb[name] = Math.max(this.peakKb[name], peakRssKb(pid));
    }
  }
}

/** The kernel's high-water mark of the process's resident set (VmHWM), or its current RSS from `ps` where there is no /proc. */
function peakRssKb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
  } catch {
    try {
      return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) || 0;
    } catch {
      return 0;
    }
  }
}
