import 'reflect-metadata';
import { loadConfig } from '@jigsaw/config';
import { runService } from '@jigsaw/platform';
import { AppModule, CouncilConfig } from './app.module.js';

const config = loadConfig(CouncilConfig);
await runService('council', AppModule.register(config), config.PORT);
