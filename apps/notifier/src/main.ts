import 'reflect-metadata';
import { runService } from '@shanhai/platform';
import { AppModule } from './app.module.js';
import { loadConfig } from './config.js';

await runService('notifier', loadConfig, (config) => AppModule.forConfig(config));
