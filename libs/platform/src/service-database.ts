import {
  createPool,
  ensureDatabase,
  ensureOwnerRolesAt,
  requireMigrationsApplied,
  runMigrations,
  type MigrationSet,
  type Pool,
} from '@jigsaw/database';
import { KURRENTDB_PUBLISHER_MIGRATIONS } from '@jigsaw/event-store';
import type { PlatformOptions } from './platform.module.js';

type ServiceDatabase = Pick<PlatformOptions, 'name' | 'role' | 'config' | 'migrations'>;

/** The service's migrations, and on KurrentDB those of the publishers' checkpoints PostgreSQL keeps. */
function migrationSetsOf(options: ServiceDatabase): MigrationSet[] {
  const kurrentdb = options.config.EVENT_STORE === 'kurrentdb';
  return [...options.migrations, ...(kurrentdb ? [KURRENTDB_PUBLISHER_MIGRATIONS] : [])];
}

/**
 * The service's pool, every connection acting as its role, after its migrations are applied or checked.
 * `apply` makes the database, the roles and the login's membership of each before the pool connects, then
 * applies the migrations, ownership and grants as the login (`runMigrations`). `check` does none of it: it
 * refuses, naming them, while any of the service's migrations is not applied.
 */
async function open(
  options: ServiceDatabase,
  mode: ServiceDatabase['config']['DATABASE_MIGRATIONS'],
): Promise<{ pool: Pool; applied: string[] }> {
  const url = options.config.DATABASE_URL;
  if (mode === 'apply') {
    await ensureDatabase(url);
    await ensureOwnerRolesAt(url);
  }
  const pool = createPool(url, {
    name: options.name,
    role: options.role,
    max: options.config.DATABASE_POOL_MAX,
  });
  try {
    const sets = migrationSetsOf(options);
    if (mode === 'apply') return { pool, applied: await runMigrations(pool, sets) };
    await requireMigrationsApplied(pool, sets);
    return { pool, applied: [] };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

/** The pool a service runs on, its migrations applied or checked as `DATABASE_MIGRATIONS` says. */
export async function openServiceDatabase(options: ServiceDatabase): Promise<Pool> {
  return (await open(options, options.config.DATABASE_MIGRATIONS)).pool;
}

/**
 * Applies the service's migrations as at a start with `DATABASE_MIGRATIONS=apply`, whatever it says, and
 * closes its connections: `npm run migrate`, with a login that may act as every owner. Returns the files
 * applied, as `<component>/<file>`.
 */
export async function migrateServiceDatabase(options: ServiceDatabase): Promise<string[]> {
  const { pool, applied } = await open(options, 'apply');
  await pool.end();
  return applied;
}
