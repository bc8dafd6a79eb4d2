import 'reflect-metadata';
import { dataSourceOptions, hashPassword, loadConfigOrExit, migrate } from '@shanhai/platform';
import { DataSource } from 'typeorm';
import { entities, migrations } from './app.module.js';
import { loadConfig, loadSeedSettings } from './config.js';
import { seedDirectory } from './directory/directory.seed.js';

const config = loadConfigOrExit('intake', loadConfig);
const settings = loadConfigOrExit('seed', () => ({ ...config, ...loadSeedSettings(process.argv.slice(2)) }));
await migrate({ url: config.databaseUrl, entities, migrations });
const dataSource = new DataSource(dataSourceOptions({ url: config.databaseUrl, entities, migrations }));
await dataSource.initialize();
try {
  const report = await seedDirectory(dataSource, {
    demo: settings.demo,
    ...(settings.demo ? { demoPasswordHash: await hashPassword(settings.demoPassword) } : {}),
  });
  const demo = settings.demo ? `, ${report.demoAccounts} demo accounts` : '';
  process.stdout.write(
    `seed: ${report.cities} cities, ${report.counties} counties, ${report.zones} advanced zones, ${report.pairings} pairings, ${report.organisations} organisations${demo}; published ${report.published.organisations} organisations and ${report.published.users} accounts to the replicas\n`,
  );
} finally {
  await dataSource.destroy();
}
