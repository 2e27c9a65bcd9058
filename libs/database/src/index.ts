export {
  createPool,
  ensureDatabase,
  isUniqueViolation,
  withTransaction,
  type Pool,
  type PoolClient,
} from './database.js';
export { runMigrations, type MigrationSet } from './migrations.js';
export {
  allowed,
  ALL_OWNER_ROLES,
  GRANTS,
  grantsOn,
  OWNER_ROLES,
  PRIVILEGES,
  SCHEMA_OWNERS,
  schemaOwner,
  type Grant,
  type OwnerRole,
  type Privilege,
} from './ownership.js';
export { applyGrants, ensureOwnerRoles, ensureOwnerRolesAt, takeOwnership } from './roles.js';
