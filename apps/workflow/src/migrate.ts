import { migrate } from '@shanhai/platform';
import { entities, migrations } from './app.module.js';
import { loadConfig } from './config.js';

const config = loadConfig();
const applied = await migrate({ url: config.databaseUrl, entities, migrations });
console.log(`workflow: ${applied.length ? `applied ${applied.join(', ')}` : 'database is up to date'}`);
