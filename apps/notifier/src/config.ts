import { QueueName } from '@shanhai/contracts';
import { commonConfig, commonEnv, DEFAULT_CONCURRENCY, parseEnv, settings, type ServiceConfig } from '@shanhai/platform';
import { z } from 'zod';

/** How the delivery worker sends, retries and gives up. */
export interface DeliverySettings {
  /** Attempts per delivery job before the delivery is dead (NOTIFIER_MAX_ATTEMPTS). */
  readonly maxAttempts: number;
  /** Backoff base: retry n waits about base · 2^(n-1), times a random factor in [0.5, 1.5) (NOTIFIER_RETRY_BASE_MS). */
  readonly retryBaseMs: number;
  /** No retry waits longer than this (NOTIFIER_RETRY_MAX_MS). */
  readonly retryMaxMs: number;
  /**
   * Emails per second over all delivery workers: BullMQ's limiter on `notifier.deliveries`
   * (NOTIFIER_RATE_LIMIT_PER_SECOND). It protects the relay, and caps everything downstream of it:
   * below the rate emails are planned at, the queue grows without bound (docs/performance.md).
   */
  readonly ratePerSecond: number;
  /**
   * Deliveries each process sends at once (NOTIFIER_DELIVERY_CONCURRENCY), and so the connections
   * of each transport's SMTP pool: one per send in flight, none idle, none waited for.
   */
  readonly concurrency: number;
  /** Consecutive transport failures that open a transport's circuit (NOTIFIER_BREAKER_THRESHOLD). */
  readonly breakerThreshold: number;
  /** How long an open circuit skips its transport before one trial send (NOTIFIER_BREAKER_COOLDOWN_MS). */
  readonly breakerCooldownMs: number;
  /**
   * How long a claim on a delivery lasts (NOTIFIER_CLAIM_LEASE_SECONDS): longer than any SMTP send
   * may take. A delivery whose sender died mid-send is sent again (same Message-ID) once it runs out.
   */
  readonly claimLeaseSeconds: number;
}

export const DEFAULT_DELIVERY: DeliverySettings = {
  maxAttempts: 8,
  retryBaseMs: 1000,
  retryMaxMs: 10 * 60_000,
  ratePerSecond: 1000,
  concurrency: 10,
  breakerThreshold: 5,
  breakerCooldownMs: 30_000,
  claimLeaseSeconds: 120,
};

/** How the reconciler checks that every notifiable event was told. */
export interface ReconcilerSettings {
  /** An event's deliveries must all be `sent` or `dead` this long after it was received (NOTIFIER_RECONCILE_AFTER_SECONDS). */
  readonly afterSeconds: number;
  /** How often a replica looks; only one at a time does, under an advisory lock (NOTIFIER_RECONCILE_EVERY_SECONDS). */
  readonly everySeconds: number;
}

export const DEFAULT_RECONCILER: ReconcilerSettings = { afterSeconds: 900, everySeconds: 60 };

export interface NotifierConfig extends ServiceConfig {
  /** The first (or only) SMTP server. */
  readonly smtpUrl: string;
  /** Every SMTP server in the order they are tried; just `smtpUrl` when absent. */
  readonly smtpUrls?: readonly string[];
  readonly mailFrom: string;
  /** The right-hand side of every Message-ID we mint. */
  readonly messageIdDomain: string;
  /** Defaults to DEFAULT_DELIVERY, setting by setting. */
  readonly delivery?: Partial<DeliverySettings>;
  /** Defaults to DEFAULT_RECONCILER, setting by setting. */
  readonly reconciler?: Partial<ReconcilerSettings>;
}

export const NOTIFIER_CONFIG = Symbol('NOTIFIER_CONFIG');

/** The SMTP servers to try, in order. */
export const smtpUrlsOf = (config: NotifierConfig): readonly string[] => (config.smtpUrls?.length ? config.smtpUrls : [config.smtpUrl]);

/** The delivery settings with the defaults filled in. */
export const deliverySettingsOf = (config: NotifierConfig): DeliverySettings => ({ ...DEFAULT_DELIVERY, ...config.delivery });

/** The reconciler's settings with the defaults filled in. */
export const reconcilerSettingsOf = (config: NotifierConfig): ReconcilerSettings => ({ ...DEFAULT_RECONCILER, ...config.reconciler });

const smtpUrlList = z
  .string()
  .transform((v) => v.split(',').map((u) => u.trim()).filter(Boolean))
  .pipe(z.array(settings.smtpUrl).min(1, 'at least one smtp:// or smtps:// URL'));

/** The only place the notifier reads the environment. */
export function loadConfig(env: Record<string, string | undefined> = process.env): NotifierConfig {
  const parsed = parseEnv(
    commonEnv.extend({
      NOTIFIER_PORT: settings.port.default(3003),
      NOTIFIER_DATABASE_URL: settings.postgresUrl.optional(),
      SMTP_URL: settings.smtpUrl.default('smtp://127.0.0.1:1025'),
      SMTP_URLS: smtpUrlList.optional(),
      MAIL_FROM: z.string().min(3).default('山海审批通知 <noreply@shanhai.example>'),
      MAIL_MESSAGE_ID_DOMAIN: z.string().regex(/^[A-Za-z0-9.-]+$/).default('shanhai.example'),
      NOTIFIER_MAX_ATTEMPTS: settings.positiveInt.default(DEFAULT_DELIVERY.maxAttempts),
      NOTIFIER_RETRY_BASE_MS: settings.positiveInt.default(DEFAULT_DELIVERY.retryBaseMs),
      NOTIFIER_RETRY_MAX_MS: settings.positiveInt.default(DEFAULT_DELIVERY.retryMaxMs),
      NOTIFIER_RATE_LIMIT_PER_SECOND: settings.positiveInt.default(DEFAULT_DELIVERY.ratePerSecond),
      NOTIFIER_CONCURRENCY: settings.positiveInt.optional(),
      NOTIFIER_DELIVERY_CONCURRENCY: settings.positiveInt.optional(),
      NOTIFIER_BREAKER_THRESHOLD: settings.positiveInt.default(DEFAULT_DELIVERY.breakerThreshold),
      NOTIFIER_BREAKER_COOLDOWN_MS: settings.positiveInt.default(DEFAULT_DELIVERY.breakerCooldownMs),
      NOTIFIER_CLAIM_LEASE_SECONDS: settings.positiveInt.default(DEFAULT_DELIVERY.claimLeaseSeconds),
      NOTIFIER_RECONCILE_AFTER_SECONDS: settings.positiveInt.default(DEFAULT_RECONCILER.afterSeconds),
      NOTIFIER_RECONCILE_EVERY_SECONDS: settings.positiveInt.default(DEFAULT_RECONCILER.everySeconds),
    }),
    env,
  );
  // SMTP_URLS (ordered fallbacks) wins over the single SMTP_URL.
  const smtpUrls = parsed.SMTP_URLS ?? [parsed.SMTP_URL];
  return {
    ...commonConfig('notifier', parsed, parsed.NOTIFIER_PORT, parsed.NOTIFIER_DATABASE_URL, Boolean(process.stdout.isTTY)),
    concurrency: { [QueueName.Notifier]: parsed.NOTIFIER_CONCURRENCY ?? parsed.QUEUE_CONCURRENCY ?? DEFAULT_CONCURRENCY },
    smtpUrl: smtpUrls[0]!,
    smtpUrls,
    mailFrom: parsed.MAIL_FROM,
    messageIdDomain: parsed.MAIL_MESSAGE_ID_DOMAIN,
    delivery: {
      maxAttempts: parsed.NOTIFIER_MAX_ATTEMPTS,
      retryBaseMs: parsed.NOTIFIER_RETRY_BASE_MS,
      retryMaxMs: parsed.NOTIFIER_RETRY_MAX_MS,
      ratePerSecond: parsed.NOTIFIER_RATE_LIMIT_PER_SECOND,
      concurrency: parsed.NOTIFIER_DELIVERY_CONCURRENCY ?? parsed.QUEUE_CONCURRENCY ?? DEFAULT_DELIVERY.concurrency,
      breakerThreshold: parsed.NOTIFIER_BREAKER_THRESHOLD,
      breakerCooldownMs: parsed.NOTIFIER_BREAKER_COOLDOWN_MS,
      claimLeaseSeconds: parsed.NOTIFIER_CLAIM_LEASE_SECONDS,
    },
    reconciler: { afterSeconds: parsed.NOTIFIER_RECONCILE_AFTER_SECONDS, everySeconds: parsed.NOTIFIER_RECONCILE_EVERY_SECONDS },
  };
}
