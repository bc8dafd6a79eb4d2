import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What ties an HTTP request to every message and log line it causes, across queue hops. */
export interface Correlation {
  readonly correlationId: string;
  /** The message being handled, when inside a consumer. */
  readonly causationId?: string;
}

const storage = new AsyncLocalStorage<Correlation>();

export const runWithCorrelation = <T>(correlation: Correlation, fn: () => T): T => storage.run(correlation, fn);

/** The current correlation; outside any request or message, a fresh one. */
export const currentCorrelation = (): Correlation => storage.getStore() ?? { correlationId: randomUUID() };
