import type { DeliverySettings } from '../config.js';

/** The name of the delivery worker's own backoff strategy (BullMQ `settings.backoffStrategy`). */
export const DELIVERY_BACKOFF = 'delivery-jitter';

/**
 * The wait before retry `attemptsMade` (1 for the first retry): base · 2^(attemptsMade-1), times a
 * random factor in [0.5, 1.5) so that mail failing together does not retry together, capped at
 * `retryMaxMs` — and never shorter than `notBeforeMs`, the time until a circuit may half-open when
 * the failure left every one open: a retry before then would find them open and wait anyway.
 */
export function deliveryBackoff(
  settings: Pick<DeliverySettings, 'retryBaseMs' | 'retryMaxMs'>,
  attemptsMade: number,
  random: () => number = Math.random,
  notBeforeMs = 0,
): number {
  const exponential = settings.retryBaseMs * 2 ** Math.max(0, attemptsMade - 1);
  return Math.max(Math.round(notBeforeMs), Math.round(Math.min(settings.retryMaxMs, exponential * (0.5 + random()))));
}
