import 'reflect-metadata';
import { loadConfig } from '@jigsaw/config';
import { runService } from '@jigsaw/platform';
import { AppModule, NotificationsConfig } from './app.module.js';

const config = loadConfig(NotificationsConfig);
await runService('notifications', AppModule.register(config), config.PORT);
