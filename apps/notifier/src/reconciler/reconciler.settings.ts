import { parseEnv, settings } from '@shanhai/platform';
import { z } from 'zod';

export interface ReconcilerSettings {
  /** An event's deliveries must all be `sent` or `dead` this long after it was received. */
  readonly afterSeconds: number;
  /** How often a replica looks (only one at a time does, under an advisory lock). */
  readonly everySeconds: number;
}

export const RECONCILER_SETTINGS = Symbol('RECONCILER_SETTINGS');

/** NOTIFIER_RECONCILE_AFTER_SECONDS (default 900) and NOTIFIER_RECONCILE_EVERY_SECONDS (default 60). */
export function loadReconcilerSettings(env: Record<string, string | undefined> = process.env): ReconcilerSettings {
  const parsed = parseEnv(
    z.object({
      NOTIFIER_RECONCILE_AFTER_SECONDS: settings.positiveInt.default(900),
      NOTIFIER_RECONCILE_EVERY_SECONDS: settings.positiveInt.default(60),
    }),
    env,
  );
  return { afterSeconds: parsed.NOTIFIER_RECONCILE_AFTER_SECONDS, everySeconds: parsed.NOTIFIER_RECONCILE_EVERY_SECONDS };
}
