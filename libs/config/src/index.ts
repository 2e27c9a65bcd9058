export { loadConfig } from './load-config.js';
export { repoRoot } from './repo-root.js';
export {
  DEFAULT_DATABASE_URL,
  DEFAULT_KAFKA_BROKERS,
  DEVELOPMENT_JWT_SECRET,
  ServiceConfig,
} from './service-config.js';
