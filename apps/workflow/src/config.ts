import { commonConfig, commonEnv, parseEnv, settings, type ServiceConfig } from '@shanhai/platform';

export type WorkflowConfig = ServiceConfig;

/** The only place workflow reads the environment. */
export function loadConfig(env: Record<string, string | undefined> = process.env): WorkflowConfig {
  const parsed = parseEnv(
    commonEnv.extend({
      WORKFLOW_PORT: settings.port.default(3002),
      WORKFLOW_DATABASE_URL: settings.postgresUrl.optional(),
    }),
    env,
  );
  return commonConfig('workflow', parsed, parsed.WORKFLOW_PORT, parsed.WORKFLOW_DATABASE_URL, Boolean(process.stdout.isTTY));
}
