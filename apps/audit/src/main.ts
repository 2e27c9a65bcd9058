import 'reflect-metadata';
import { loadConfig } from '@jigsaw/config';
import { runService } from '@jigsaw/platform';
import { AppModule, AuditConfig } from './app.module.js';

const config = loadConfig(AuditConfig);
await runService('audit', AppModule.register(config), config.PORT);
