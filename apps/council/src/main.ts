import 'reflect-metadata';
import { loadConfig } from '@jigsaw/config';
import { bootstrapService } from '@jigsaw/http';
import { AppModule, CouncilConfig } from './app.module.js';

const config = loadConfig(CouncilConfig);
await bootstrapService('council', AppModule.register(config), config.PORT);
