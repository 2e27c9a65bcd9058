import 'reflect-metadata';
import { loadConfig } from '@jigsaw/config';
import { bootstrapService } from '@jigsaw/http';
import { AppModule, SafeguardingViewConfig } from './app.module.js';

const config = loadConfig(SafeguardingViewConfig);
// The console's pages call the audit service for the access log, so its origin may be reached from them.
await bootstrapService('safeguarding-view', AppModule.register(config), config.PORT, {
  headers: { connectSources: config.CONSOLE_AUDIT_URL ? [new URL(config.CONSOLE_AUDIT_URL).origin] : [] },
});
