export { PlatformModule, type PlatformOptions } from './platform.module.js';
export { PG_POOL, SERVICE_CONFIG } from './tokens.js';
