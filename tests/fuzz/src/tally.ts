import type { RenderedCase } from './fuzz-case.js';
import type { Expectation } from './oracle.js';
import type { WireResponse } from './wire.js';

const count = (counts: Record<string, number>, key: string, by = 1): void => void (counts[key] = (counts[key] ?? 0) + by);
const sorted = (counts: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));

/** The figures of a run: what was sent, to whom, with which faults, and how it was answered. */
export class Tally {
  requests = 0;
  bytesSent = 0;
  readonly byService: Record<string, number> = {};
  readonly byStatus: Record<string, number> = {};
  readonly byFault: Record<string, number> = {};
  readonly byAnsweringLayer: Record<string, number> = {};
  readonly byAuth: Record<string, number> = {};
  readonly byOperation: Record<string, number> = {};
  private readonly latencies: number[] = [];

  add(c: RenderedCase, expected: Expectation, response: WireResponse | undefined): void {
    this.requests += 1;
    this.bytesSent += c.request.body?.length ?? 0;
    count(this.byService, c.op.service);
    count(this.byStatus, response ? String(response.status) : 'no answer');
    for (const fault of new Set(c.injected.map((i) => i.fault))) count(this.byFault, fault);
    count(this.byAnsweringLayer, expected.layer);
    count(this.byAuth, c.auth);
    count(this.byOperation, c.op.id);
    if (response) this.latencies.push(response.ms);
  }

  /** Plain data for the results file and the summary. */
  figures(operations: readonly string[], seconds: number) {
    const ms = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number): number => Math.round((ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0) * 10) / 10;
    return {
      requests: this.requests,
      seconds: Math.round(seconds * 10) / 10,
      requestsPerSecond: Math.round(this.requests / Math.max(seconds, 0.001)),
      megabytesSent: Math.round((this.bytesSent / 1024 / 1024) * 10) / 10,
      latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) },
      byService: sorted(this.byService),
      byStatus: sorted(this.byStatus),
      byFault: sorted(this.byFault),
      byAnsweringLayer: sorted(this.byAnsweringLayer),
      byAuth: sorted(this.byAuth),
      byOperation: sorted(Object.fromEntries(operations.map((op) => [op, this.byOperation[op] ?? 0]))),
    };
  }
}

export type Figures = ReturnType<Tally['figures']>;

/** The summary a person reads at the end of a run. */
export function summaryLines(figures: Figures): string[] {
  const line = (label: string, counts: Record<string, number>) => `  ${label.padEnd(16)} ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}`;
  const unfuzzed = Object.entries(figures.byOperation).filter(([, n]) => !n).map(([op]) => op);
  return [
    `  requests         ${figures.requests} in ${figures.seconds} s (${figures.requestsPerSecond}/s, ${figures.megabytesSent} MB of bodies)`,
    `  latency          p50 ${figures.latencyMs.p50} ms, p95 ${figures.latencyMs.p95} ms, p99 ${figures.latencyMs.p99} ms, max ${figures.latencyMs.max} ms`,
    line('per service', figures.byService),
    line('per status', figures.byStatus),
    line('answered by', figures.byAnsweringLayer),
    line('per auth', figures.byAuth),
    `  per fault class`,
    ...Object.entries(figures.byFault).map(([fault, n]) => `    ${fault.padEnd(26)} ${n}`),
    `  operations       ${Object.keys(figures.byOperation).length} fuzzed, ${Math.min(...Object.values(figures.byOperation))} to ${Math.max(...Object.values(figures.byOperation))} requests each${unfuzzed.length ? `; never: ${unfuzzed.join(', ')}` : ''}`,
  ];
}
