import { commonConfig, commonEnv, parseEnv, settings, type ServiceConfig } from '@shanhai/platform';

export type IntakeConfig = ServiceConfig;

/** The only place intake reads the environment. */
export function loadConfig(env: Record<string, string | undefined> = process.env): IntakeConfig {
  const parsed = parseEnv(
    commonEnv.extend({
      INTAKE_PORT: settings.port.default(3001),
      INTAKE_DATABASE_URL: settings.postgresUrl.optional(),
    }),
    env,
  );
  return commonConfig('intake', parsed, parsed.INTAKE_PORT, parsed.INTAKE_DATABASE_URL, Boolean(process.stdout.isTTY));
}
