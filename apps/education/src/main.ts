import 'reflect-metadata';
import { loadConfig } from '@jigsaw/config';
import { bootstrapService } from '@jigsaw/http';
import { AppModule, EducationConfig } from './app.module.js';

const config = loadConfig(EducationConfig);
await bootstrapService('education', AppModule.register(config), config.PORT);
