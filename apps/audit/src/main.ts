import 'reflect-metadata';
import { loadConfig } from '@jigsaw/config';
import { bootstrapService } from '@jigsaw/http';
import { AppModule, AuditConfig } from './app.module.js';

const config = loadConfig(AuditConfig);
await bootstrapService('audit', AppModule.register(config), config.PORT);
