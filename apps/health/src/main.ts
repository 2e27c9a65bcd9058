import 'reflect-metadata';
import { loadConfig } from '@jigsaw/config';
import { bootstrapService } from '@jigsaw/http';
import { AppModule, HealthConfig } from './app.module.js';

const config = loadConfig(HealthConfig);
await bootstrapService('health', AppModule.register(config), config.PORT);
