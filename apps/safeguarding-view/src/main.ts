import 'reflect-metadata';
import { loadConfig } from '@jigsaw/config';
import { runService } from '@jigsaw/platform';
import { AppModule, SafeguardingViewConfig } from './app.module.js';
import { consoleIssuers } from './console/console.controller.js';

const config = loadConfig(SafeguardingViewConfig);
// The console's pages call the audit service for the access log, the notifications service for the
// inbox, and the identity providers' discovery and token endpoints to sign in, so their origins may be
// reached from them.
const connectSources = [
  ...[config.CONSOLE_AUDIT_URL, config.CONSOLE_NOTIFICATIONS_URL].flatMap((url) =>
    url ? [new URL(url).origin] : [],
  ),
  ...consoleIssuers(config.OIDC_ISSUERS).map(({ issuer }) => new URL(issuer).origin),
];
await runService('safeguarding-view', AppModule.register(config), config.PORT, {
  headers: { connectSources: [...new Set(connectSources)] },
});
