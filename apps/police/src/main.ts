import 'reflect-metadata';
import { loadConfig } from '@jigsaw/config';
import { runService } from '@jigsaw/platform';
import { AppModule, PoliceConfig } from './app.module.js';

const config = loadConfig(PoliceConfig);
await runService('police', AppModule.register(config), config.PORT);
