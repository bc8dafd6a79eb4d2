import 'reflect-metadata';
import { dataSourceOptions, loadConfigOrExit, Outbox } from '@shanhai/platform';
import { DataSource } from 'typeorm';
import { entities, migrations } from './app.module.js';
import { loadConfig } from './config.js';
import { requeueDeliveries } from './deliveries/deliveries.service.js';

/**
 * `npm run notifier:redrive [-- --template=<template>]`: puts every dead delivery (of one template)
 * back in the queue, through the outbox, and prints how many. The running notifier's outbox relay
 * hands them to its delivery worker. Exit 0 (also when there are none), 1 when it could not run.
 */
const config = loadConfigOrExit('notifier', loadConfig);
const templateArg = process.argv.slice(2).find((a) => a.startsWith('--template='));
const template = templateArg?.slice('--template='.length) || undefined;
const dataSource = new DataSource(dataSourceOptions({ url: config.databaseUrl, entities, migrations }));
try {
  await dataSource.initialize();
  const rows = await dataSource.transaction((manager) => requeueDeliveries(manager, new Outbox(), template ? { template } : {}));
  process.stdout.write(`notifier: re-drove ${rows.length} dead ${rows.length === 1 ? 'delivery' : 'deliveries'}${template ? ` of ${template}` : ''}\n`);
} catch (error) {
  process.stderr.write(`notifier: cannot re-drive: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  if (dataSource.isInitialized) await dataSource.destroy();
}
