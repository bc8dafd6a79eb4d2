import 'reflect-metadata';
import { dataSourceOptions, loadConfigOrExit } from '@shanhai/platform';
import { DataSource } from 'typeorm';
import { entities, migrations } from './app.module.js';
import { verdictLine, verifyAuditTrail } from './audit/audit-verification.js';
import { auditSettingsOf, loadConfig } from './config.js';

/**
 * `npm run audit:verify`: checks every instance's hash chain and every signed checkpoint, and
 * prints one line. Exit 0 when intact, 1 when something is broken (named in the line) or the
 * check could not run. Keep the `last checkpoint` hash elsewhere: a later run that no longer
 * reaches it shows checkpoints cut off.
 */
const config = loadConfigOrExit('workflow', loadConfig);
const dataSource = new DataSource(dataSourceOptions({ url: config.databaseUrl, entities, migrations }));
try {
  await dataSource.initialize();
  const verdict = await verifyAuditTrail(dataSource.manager, auditSettingsOf(config).signingKeys);
  process.stdout.write(verdictLine(verdict));
  if (!verdict.ok) process.exitCode = 1;
} catch (error) {
  process.stderr.write(`audit: cannot verify: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  if (dataSource.isInitialized) await dataSource.destroy();
}
