import 'reflect-metadata';
import { loadConfig } from '@jigsaw/config';
import { runService } from '@jigsaw/platform';
import { AppModule, HealthConfig } from './app.module.js';

const config = loadConfig(HealthConfig);
await runService('health', AppModule.register(config), config.PORT);
