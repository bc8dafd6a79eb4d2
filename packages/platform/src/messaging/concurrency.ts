import type { ServiceConfig } from '../config/config.js';

/**
 * Jobs a message consumer runs at once when its queue has no setting. Each holds one database
 * connection for its inbox transaction, and jobs of different submissions never wait for each
 * other; jobs of one submission or instance queue on its row lock. Eight keeps a two-core
 * machine's database busy without the pool (poolSizeFor) or PostgreSQL growing large.
 */
export const DEFAULT_CONCURRENCY = 8;

/** Jobs the worker of `queue` runs at once: the service's setting for it, else `fallback`. */
export const concurrencyOf = (config: Pick<ServiceConfig, 'concurrency'> | undefined, queue: string, fallback = DEFAULT_CONCURRENCY): number =>
  config?.concurrency?.[queue] ?? fallback;
