import { runMigrations } from '@shanhai/platform';
import { entities, migrations } from './app.module.js';
import { loadConfig } from './config.js';

await runMigrations('notifier', loadConfig, { entities, migrations });
