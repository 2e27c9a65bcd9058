import 'reflect-metadata';
import { loadConfig } from '@jigsaw/config';
import { bootstrapService } from '@jigsaw/http';
import { AppModule, NotificationsConfig } from './app.module.js';

const config = loadConfig(NotificationsConfig);
await bootstrapService('notifications', AppModule.register(config), config.PORT);
