import 'reflect-metadata';
import { loadConfig } from '@jigsaw/config';
import { runService } from '@jigsaw/platform';
import { AppModule, EducationConfig } from './app.module.js';

const config = loadConfig(EducationConfig);
await runService('education', AppModule.register(config), config.PORT);
