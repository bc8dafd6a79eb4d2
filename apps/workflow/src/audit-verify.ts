import 'reflect-metadata';
import { dataSourceOptions, loadConfigOrExit } from '@shanhai/platform';
import { DataSource } from 'typeorm';
import { entities, migrations } from './app.module.js';
import { verifyAuditTrail } from './audit/audit.service.js';
import { loadConfig } from './config.js';

/**
 * `npm run audit:verify`: checks the whole audit trail's hash chain and prints one line.
 * Exit 0 when intact, 1 when an entry is broken (named in the line) or the check could not run.
 */
const config = loadConfigOrExit('workflow', loadConfig);
const dataSource = new DataSource(dataSourceOptions({ url: config.databaseUrl, entities, migrations }));
try {
  await dataSource.initialize();
  const verdict = await verifyAuditTrail(dataSource.manager);
  if (verdict.ok) {
    process.stdout.write(`audit: ok, ${verdict.count} entries, head ${verdict.headHash}\n`);
  } else {
    const b = verdict.firstBroken;
    process.stdout.write(`audit: BROKEN at entry ${b.id} (instance ${b.instanceId}, seq ${b.seq}): ${b.reason}; ${verdict.count} entries before it check out\n`);
    process.exitCode = 1;
  }
} catch (error) {
  process.stderr.write(`audit: cannot verify: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  if (dataSource.isInitialized) await dataSource.destroy();
}
