import { QueueName } from '@shanhai/contracts';
import { commonConfig, commonEnv, ConfigError, DEFAULT_CONCURRENCY, parseEnv, settings, type ServiceConfig } from '@shanhai/platform';
import { z } from 'zod';
import { SIGN_IN_LIMITS, type SignInLimitSettings } from './auth/sign-in-limits.js';
import { defaultFileStoreUrl, fileStoreSettings, fileStoreUrl, s3KeyPairProblems, type FileStoreSettings } from './attachments/file-store-settings.js';

export interface IntakeConfig extends ServiceConfig {
  /** Where attachment files are kept (FILE_STORE_URL, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY). */
  readonly fileStore: FileStoreSettings;
  /** The largest attachment accepted, in bytes (UPLOAD_MAX_BYTES); uploads are held in memory until stored. */
  readonly uploadMaxBytes: number;
  /** Failed sign-ins that lock an account or a client address out (SIGN_IN_ACCOUNT_FAILURES, SIGN_IN_ADDRESS_FAILURES). */
  readonly signInLimits: SignInLimitSettings;
}

const MiB = 1024 * 1024;

/** The only place intake reads the environment. */
export function loadConfig(env: Record<string, string | undefined> = process.env): IntakeConfig {
  const parsed = parseEnv(
    commonEnv.extend({
      INTAKE_PORT: settings.port.default(3001),
      INTAKE_DATABASE_URL: settings.postgresUrl.optional(),
      FILE_STORE_URL: fileStoreUrl.prefault(defaultFileStoreUrl(import.meta.url)),
      S3_ACCESS_KEY_ID: z.string().optional(),
      S3_SECRET_ACCESS_KEY: z.string().optional(),
      UPLOAD_MAX_BYTES: settings.positiveInt.max(256 * MiB, 'at most 268435456 (256 MiB): uploads are held in memory').default(20 * MiB),
      SIGN_IN_ACCOUNT_FAILURES: settings.positiveInt.default(SIGN_IN_LIMITS.account.failures),
      SIGN_IN_ADDRESS_FAILURES: settings.positiveInt.default(SIGN_IN_LIMITS.address.failures),
      INTAKE_CONCURRENCY: settings.positiveInt.optional(),
    }).superRefine(
      (e, ctx) => s3KeyPairProblems(e).forEach(({ path, message }) => ctx.addIssue({ code: 'custom', path: [path], message })),
      { when: () => true },
    ),
    env,
  );
  return {
    ...commonConfig('intake', parsed, parsed.INTAKE_PORT, parsed.INTAKE_DATABASE_URL, Boolean(process.stdout.isTTY)),
    concurrency: { [QueueName.Intake]: parsed.INTAKE_CONCURRENCY ?? parsed.QUEUE_CONCURRENCY ?? DEFAULT_CONCURRENCY },
    fileStore: fileStoreSettings(parsed.FILE_STORE_URL, parsed.S3_ACCESS_KEY_ID, parsed.S3_SECRET_ACCESS_KEY),
    uploadMaxBytes: parsed.UPLOAD_MAX_BYTES,
    signInLimits: {
      account: { ...SIGN_IN_LIMITS.account, failures: parsed.SIGN_IN_ACCOUNT_FAILURES },
      address: { ...SIGN_IN_LIMITS.address, failures: parsed.SIGN_IN_ADDRESS_FAILURES },
    },
  };
}

export interface SeedSettings {
  readonly demo: boolean;
  readonly demoPassword: string;
}

/** `npm run seed [-- --demo]`: demo accounts never exist in production. */
export function loadSeedSettings(argv: readonly string[], env: Record<string, string | undefined> = process.env): SeedSettings {
  const demo = argv.includes('--demo');
  const problems: string[] = [];
  const unknown = argv.filter((a) => a !== '--demo');
  if (unknown.length) problems.push(`unknown argument(s) ${unknown.join(' ')}: the only option is --demo`);
  if (demo && env.NODE_ENV === 'production') problems.push('--demo: demo accounts are never seeded when NODE_ENV=production');
  const demoPassword = env.SEED_PASSWORD ?? 'shanhai-demo';
  if (demo && demoPassword.length < 8) problems.push('SEED_PASSWORD: at least 8 characters');
  if (problems.length) throw new ConfigError(problems);
  return { demo, demoPassword };
}
