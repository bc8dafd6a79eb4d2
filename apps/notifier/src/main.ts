import 'reflect-metadata';
import { runService } from '@shanhai/platform';
import { AppModule } from './app.module.js';
import { loadConfig } from './config.js';
import { openApi } from './openapi.js';

await runService('notifier', loadConfig, (config) => AppModule.forConfig(config), openApi);
