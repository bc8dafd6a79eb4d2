import type { DeliverySettings } from '../config.js';

/** The name of the delivery worker's own backoff strategy (BullMQ `settings.backoffStrategy`). */
export const DELIVERY_BACKOFF = 'delivery-jitter';

/**
 * The wait before retry `attemptsMade` (1 for the first retry): base · 2^(attemptsMade-1), times a
 * random factor in [0.5, 1.5) so that mail failing together does not retry together, capped at
 * `retryMaxMs`.
 */
export function deliveryBackoff(settings: Pick<DeliverySettings, 'retryBaseMs' | 'retryMaxMs'>, attemptsMade: number, random: () => number = Math.random): number {
  const exponential = settings.retryBaseMs * 2 ** Math.max(0, attemptsMade - 1);
  return Math.round(Math.min(settings.retryMaxMs, exponential * (0.5 + random())));
}
