/** Latencies of one kind in milliseconds: how many, and the nearest-rank percentiles. */
export interface LatencySummary {
  readonly n: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly max: number | null;
  readonly mean: number | null;
}

/** The nearest-rank percentile (the smallest value with at least p% of the values at or below it); null for no values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function summarise(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (v: number | null) => (v === null ? null : Math.round(v));
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? null),
    mean: sorted.length ? Math.round(sorted.reduce((a, b) => a + b, 0) / sorted.length) : null,
  };
}

/** Per second, to one decimal place above 10 and two below; null when no time passed. */
export function perSecond(count: number, ms: number): number | null {
  if (ms <= 0) return null;
  const rate = (count * 1000) / ms;
  return rate >= 10 ? Math.round(rate * 10) / 10 : Math.round(rate * 100) / 100;
}

export function ratio(a: number | null, b: number | null): number | null {
  if (a === null || b === null || b === 0) return null;
  return Math.round((a / b) * 10_000) / 10_000;
}
