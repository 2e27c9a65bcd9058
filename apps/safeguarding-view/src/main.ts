import 'reflect-metadata';
import { loadConfig } from '@jigsaw/config';
import { bootstrapService } from '@jigsaw/http';
import { AppModule, SafeguardingViewConfig } from './app.module.js';

const config = loadConfig(SafeguardingViewConfig);
await bootstrapService('safeguarding-view', AppModule.register(config), config.PORT);
