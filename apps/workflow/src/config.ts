import { QueueName } from '@shanhai/contracts';
import { z } from 'zod';
import { commonConfig, commonEnv, DEFAULT_CONCURRENCY, hmacKeys, parseEnv, settings, type JwtKey, type ServiceConfig } from '@shanhai/platform';

/** How the audit trail's chains are checkpointed (see audit/audit-checkpoints.ts). */
export interface AuditSettings {
  /** How often each replica tries to checkpoint the chain heads (AUDIT_CHECKPOINT_MS); one replica wins each time. */
  readonly checkpointMs: number;
  /** HMAC keys for checkpoints (AUDIT_SIGNING_KEYS): the first signs, every one verifies. */
  readonly signingKeys: readonly JwtKey[];
}

/**
 * Signs checkpoints on a developer's machine only: it is in the source, so anyone can forge a
 * checkpoint with it. Refused when NODE_ENV=production.
 */
export const DEVELOPMENT_AUDIT_KEY: JwtKey = { kid: 'dev-audit-2026', secret: 'shanhai-development-only-audit-checkpoint-key-never-in-production' };

export const DEFAULT_AUDIT: AuditSettings = { checkpointMs: 60_000, signingKeys: [DEVELOPMENT_AUDIT_KEY] };

/** The reminder and escalation timers (ADR 0015). */
export interface TimerSettings {
  /** Working days before the due day that a step's assignees are reminded (DEADLINE_REMIND_BEFORE_DAYS); a definition's remindBeforeBusinessDays wins. 0: no early reminder. */
  readonly remindBeforeDays: number;
  /** How often the sweeper looks for timers due but not fired (DEADLINE_SWEEP_MS). */
  readonly sweepMs: number;
}

export const DEFAULT_TIMERS: TimerSettings = { remindBeforeDays: 2, sweepMs: 60_000 };

/** When the daily digest goes out on a working day (DIGEST_TIME, HH:MM in Asia/Shanghai). */
export const DEFAULT_DIGEST_TIME = '08:30';

export interface WorkflowConfig extends ServiceConfig {
  /** Defaults to DEFAULT_AUDIT, setting by setting. */
  readonly audit?: Partial<AuditSettings>;
  /** The daily digest's time, HH:MM in Asia/Shanghai; DEFAULT_DIGEST_TIME when unset. */
  readonly digestTime?: string;
  /** Defaults to DEFAULT_TIMERS, setting by setting. */
  readonly timers?: Partial<TimerSettings>;
}

export const WORKFLOW_CONFIG = Symbol('WORKFLOW_CONFIG');

/** The audit settings with the defaults filled in. */
export const auditSettingsOf = (config: WorkflowConfig): AuditSettings => ({ ...DEFAULT_AUDIT, ...config.audit });

/** The timer settings with the defaults filled in. */
export const timerSettingsOf = (config: WorkflowConfig): TimerSettings => ({ ...DEFAULT_TIMERS, ...config.timers });

export const digestTimeOf = (config: WorkflowConfig): string => config.digestTime ?? DEFAULT_DIGEST_TIME;

/** The only place workflow reads the environment. */
export function loadConfig(env: Record<string, string | undefined> = process.env): WorkflowConfig {
  const parsed = parseEnv(
    commonEnv
      .extend({
        WORKFLOW_PORT: settings.port.default(3002),
        WORKFLOW_DATABASE_URL: settings.postgresUrl.optional(),
        WORKFLOW_CONCURRENCY: settings.positiveInt.optional(),
        AUDIT_CHECKPOINT_MS: settings.positiveInt.default(DEFAULT_AUDIT.checkpointMs),
        AUDIT_SIGNING_KEYS: hmacKeys.default([...DEFAULT_AUDIT.signingKeys]),
        DIGEST_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day, HH:MM (Asia/Shanghai)').default(DEFAULT_DIGEST_TIME),
        DEADLINE_REMIND_BEFORE_DAYS: z.coerce.number().int().min(0).max(30).default(DEFAULT_TIMERS.remindBeforeDays),
        DEADLINE_SWEEP_MS: settings.positiveInt.default(DEFAULT_TIMERS.sweepMs),
      })
      .superRefine(
        (e, ctx) => {
          // Unset falls back to the development key, so this also catches "forgot to set it".
          if (e.NODE_ENV === 'production' && e.AUDIT_SIGNING_KEYS?.some((k) => k.secret === DEVELOPMENT_AUDIT_KEY.secret)) {
            ctx.addIssue({ code: 'custom', path: ['AUDIT_SIGNING_KEYS'], message: 'required when NODE_ENV=production, without the development key' });
          }
        },
        { when: () => true },
      ),
    env,
  );
  return {
    ...commonConfig('workflow', parsed, parsed.WORKFLOW_PORT, parsed.WORKFLOW_DATABASE_URL, Boolean(process.stdout.isTTY)),
    concurrency: { [QueueName.Workflow]: parsed.WORKFLOW_CONCURRENCY ?? parsed.QUEUE_CONCURRENCY ?? DEFAULT_CONCURRENCY },
    audit: { checkpointMs: parsed.AUDIT_CHECKPOINT_MS, signingKeys: parsed.AUDIT_SIGNING_KEYS },
    digestTime: parsed.DIGEST_TIME,
    timers: { remindBeforeDays: parsed.DEADLINE_REMIND_BEFORE_DAYS, sweepMs: parsed.DEADLINE_SWEEP_MS },
  };
}
