export {
  createPool,
  ensureDatabase,
  isUniqueViolation,
  withTransaction,
  type Pool,
  type PoolClient,
} from './database.js';
export { buildSchema, runMigrations, type MigrationSet } from './migrations.js';
export { requireMigrationsApplied, unappliedMigrations } from './applied-migrations.js';
export {
  allowed,
  ALL_OWNER_ROLES,
  GRANTS,
  grantsOn,
  OUTBOX_TOPICS,
  OWNER_ROLES,
  PRIVILEGES,
  SCHEMA_OWNERS,
  schemaOwner,
  STREAM_WRITES,
  streamWriters,
  topicWriters,
  type Grant,
  type OwnerRole,
  type Privilege,
  type StreamWrite,
  type TopicWrite,
} from './ownership.js';
export { POLICY_TABLES, rowPolicies, type RowPolicy } from './stream-policies.js';
export { applyGrants, ensureOwnerRoles, ensureOwnerRolesAt, takeOwnership } from './roles.js';
