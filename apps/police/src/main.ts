import 'reflect-metadata';
import { loadConfig } from '@jigsaw/config';
import { bootstrapService } from '@jigsaw/http';
import { AppModule, PoliceConfig } from './app.module.js';

const config = loadConfig(PoliceConfig);
await bootstrapService('police', AppModule.register(config), config.PORT);
