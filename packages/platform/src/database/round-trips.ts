import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource } from 'typeorm';

interface Countable {
  query: (...args: unknown[]) => unknown;
}

interface PoolLike {
  on(event: 'acquire', listener: (client: Countable) => void): unknown;
  off(event: 'acquire', listener: (client: Countable) => void): unknown;
}

/** What `measure` saw: every statement sent to PostgreSQL from inside it, each one round trip. */
export interface RoundTrips<T> {
  readonly result: T;
  readonly statements: readonly string[];
}

export interface RoundTripCounter {
  /** Runs `work` and lists the statements it (and only it: not a relay's poll meanwhile) sent through the data source's pool. */
  measure<T>(work: () => Promise<T>): Promise<RoundTrips<T>>;
  /** Stops wrapping the clients the pool hands out; clients already wrapped stay so, counting nothing. */
  stop(): void;
}

const wrapped = new WeakSet<Countable>();
const current = new AsyncLocalStorage<string[]>();

/**
 * Counts the round trips a piece of work costs a service's database: a diagnostic for specs and
 * measurements (docs/performance.md), not for production paths. Every statement pg sends is one
 * round trip, BEGIN and COMMIT included. Work is told apart from concurrent work by its async
 * context, so the outbox relay's polls and other requests are left out.
 */
export function countRoundTrips(dataSource: DataSource): RoundTripCounter {
  const pool = (dataSource.driver as unknown as { master: PoolLike }).master;
  const wrap = (client: Countable): void => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client);
    client.query = (...args: unknown[]) => {
      const first = args[0];
      current.getStore()?.push(typeof first === 'string' ? first : String((first as { text?: string } | undefined)?.text ?? first));
      return query(...args);
    };
  };
  pool.on('acquire', wrap);
  return {
    async measure<T>(work: () => Promise<T>): Promise<RoundTrips<T>> {
      const statements: string[] = [];
      const result = await current.run(statements, work);
      return { result, statements };
    },
    stop: () => void pool.off('acquire', wrap),
  };
}
