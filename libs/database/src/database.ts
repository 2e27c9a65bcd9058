import pg from 'pg';
import type { OwnerRole } from './ownership.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

// int8 (bigint, xid8 arrives as text) stays a string: positions outgrow Number's safe range in principle.
// `role` makes every connection act as that owner's role (the login must be a member): the database, not
// convention, then refuses what the owner may not do (ownership.ts).
export function createPool(
  connectionString: string,
  options: { max?: number; name?: string; role?: OwnerRole } = {},
): Pool {
  const pool = new pg.Pool({
    connectionString,
    ...(options.role ? { options: `-c role=${options.role}` } : {}),
    max: options.max ?? 10,
    application_name: options.name ?? 'jigsaw',
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (a database restart) must not crash the process.
  pool.on('error', () => undefined);
  // Nor may a checked-out one: the pool stops listening while a client is out, and a client held between
  // queries (a lock-holding session) would emit the error to nobody. Its next query fails instead, and the
  // pool discards it on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/** Creates the database named in the URL when it does not exist yet. */
export async function ensureDatabase(connectionString: string): Promise<void> {
  const url = new URL(connectionString);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`).catch((error: unknown) => {
        // Another process created it between our look and our create.
        if ((error as { code?: string }).code !== '42P04') throw error;
      });
    }
  } finally {
    await admin.end();
  }
}
