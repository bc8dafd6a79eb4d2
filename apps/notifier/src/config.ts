import { commonConfig, commonEnv, parseEnv, settings, type ServiceConfig } from '@shanhai/platform';
import { z } from 'zod';

export interface NotifierConfig extends ServiceConfig {
  readonly smtpUrl: string;
  readonly mailFrom: string;
  /** The right-hand side of every Message-ID we mint. */
  readonly messageIdDomain: string;
}

export const NOTIFIER_CONFIG = Symbol('NOTIFIER_CONFIG');

/** The only place the notifier reads the environment. */
export function loadConfig(env: Record<string, string | undefined> = process.env): NotifierConfig {
  const parsed = parseEnv(
    commonEnv.extend({
      NOTIFIER_PORT: settings.port.default(3003),
      NOTIFIER_DATABASE_URL: settings.postgresUrl.optional(),
      SMTP_URL: settings.smtpUrl.default('smtp://127.0.0.1:1025'),
      MAIL_FROM: z.string().min(3).default('山海审批通知 <noreply@shanhai.example>'),
      MAIL_MESSAGE_ID_DOMAIN: z.string().regex(/^[A-Za-z0-9.-]+$/).default('shanhai.example'),
    }),
    env,
  );
  return {
    ...commonConfig('notifier', parsed, parsed.NOTIFIER_PORT, parsed.NOTIFIER_DATABASE_URL, Boolean(process.stdout.isTTY)),
    smtpUrl: parsed.SMTP_URL,
    mailFrom: parsed.MAIL_FROM,
    messageIdDomain: parsed.MAIL_MESSAGE_ID_DOMAIN,
  };
}
