import 'reflect-metadata';
import { bootstrapService } from '@shanhai/platform';
import { AppModule } from './app.module.js';
import { loadConfig } from './config.js';

const config = loadConfig();
await bootstrapService(AppModule.forConfig(config), config);
