export { createEventStore, type ConfiguredEventStore, type EventStoreWiring } from './event-store.js';
export { PlatformModule, type PlatformOptions } from './platform.module.js';
export { MIGRATE_ONLY, runService } from './run-service.js';
export { EVENT_STORE, KURRENTDB_CLIENT, PG_POOL, SERVICE_CONFIG } from './tokens.js';
export { publishingProviders, type PublishingOptions } from './publishing.js';
