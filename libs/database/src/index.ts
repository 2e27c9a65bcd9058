export {
  createPool,
  ensureDatabase,
  isUniqueViolation,
  withTransaction,
  type Pool,
  type PoolClient,
} from './database.js';
export { runMigrations, type MigrationSet } from './migrations.js';
