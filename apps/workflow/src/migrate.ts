import { runMigrations } from '@shanhai/platform';
import { entities, migrations } from './app.module.js';
import { loadConfig } from './config.js';

await runMigrations('workflow', loadConfig, { entities, migrations });
