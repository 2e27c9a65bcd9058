import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Pool, PoolClient } from './database.js';
import { schemaOwner, type OwnerRole } from './ownership.js';
import { applyGrants, ensureOwnerRoles, takeOwnership } from './roles.js';

export interface MigrationSet {
  /** Owner of the migrations, e.g. `event-store`; versions are counted per component. */
  component: string;
  directory: string;
  /** Run the files with this schema first on the search path (read models that can be rebuilt elsewhere). */
  schema?: string;
  /** The role the files run as, which so owns what they make; by default the owner of `schema`. */
  owner?: OwnerRole;
}

/** A set's name in the bookkeeping: its component, and the schema it was run in when it names one. */
export const componentOf = (set: MigrationSet): string =>
  set.schema ? `${set.component}@${set.schema}` : set.component;

const MIGRATION_FILE = /^(\d{3,})_[a-z0-9_-]+\.sql$/;

/**
 * The first line of a file that runs outside a transaction: a statement PostgreSQL refuses inside one, as
 * `CREATE INDEX CONCURRENTLY` is, which builds an index without blocking the table's writes.
 */
export const NO_TRANSACTION = '-- jigsaw:no-transaction';

const LOCK = "hashtext('jigsaw.migrations')";

/**
 * Takes the migrations' advisory lock, asking again every 100 ms rather than waiting in one statement: a
 * waiting statement holds a snapshot, which a `CREATE INDEX CONCURRENTLY` under the lock waits out, and
 * PostgreSQL would end the one or the other as a deadlock.
 */
async function takeLock(client: PoolClient): Promise<void> {
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock(${LOCK}) AS locked`,
    );
    if (rows[0]!.locked) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Acts as the set's owner with its schema first on the search path: for the transaction, or the session. */
async function actAsSet(client: PoolClient, set: MigrationSet, scope: 'LOCAL' | 'SESSION'): Promise<void> {
  const owner = set.owner ?? (set.schema ? schemaOwner(set.schema) : undefined);
  if (owner) await client.query(`SET ${scope} ROLE ${pg.escapeIdentifier(owner)}`);
  if (set.schema) {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${set.schema}"`);
    await client.query(`SET ${scope} search_path TO "${set.schema}", public`);
  }
}

const IDENTIFIER = String.raw`(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)`;
/** The index and table a `CREATE INDEX CONCURRENTLY` names, after any leading `--` comments. */
const CONCURRENT_INDEX = new RegExp(
  String.raw`^(?:\s|--[^\n]*\n)*CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(?:IF\s+NOT\s+EXISTS\s+)?` +
    String.raw`(${IDENTIFIER})\s+ON\s+(?:ONLY\s+)?(${IDENTIFIER}(?:\s*\.\s*${IDENTIFIER})?)`,
  'i',
);

/**
 * Drops the invalid index a failed or interrupted `CREATE INDEX CONCURRENTLY` of `sql` left behind: it
 * would stay, updated by every write (a unique one refusing them), and `IF NOT EXISTS` would skip it.
 */
async function dropInvalidIndex(client: PoolClient, sql: string): Promise<void> {
  const match = CONCURRENT_INDEX.exec(sql);
  if (!match) return;
  const name = match[1]!.startsWith('"')
    ? match[1]!.slice(1, -1).replaceAll('""', '"')
    : match[1]!.toLowerCase();
  const { rows } = await client.query<{ index: string }>(
    `SELECT i.indexrelid::regclass::text AS index FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = to_regclass($1) AND c.relname = $2 AND NOT i.indisvalid`,
    [match[2], name],
  );
  for (const { index } of rows) await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${index}`);
}

/**
 * Runs a file marked `NO_TRANSACTION`, as the set's owner with its schema on the search path for the
 * session, restored after. The file must hold one statement: it is sent as one prepared statement, which
 * PostgreSQL refuses to hold several, before running any. An index a failed build left is dropped before
 * the file runs again, and after it fails.
 */
async function runOutsideTransaction(client: PoolClient, set: MigrationSet, sql: string): Promise<void> {
  const { rows } = await client.query<{ path: string }>("SELECT current_setting('search_path') AS path");
  try {
    await actAsSet(client, set, 'SESSION');
    await dropInvalidIndex(client, sql);
    // The extended protocol: a prepared statement, which holds one statement. (pg's types lack the option.)
    const oneStatement: pg.QueryConfig & { queryMode: 'extended' } = { text: sql, queryMode: 'extended' };
    await client.query(oneStatement);
  } catch (error) {
    await dropInvalidIndex(client, sql).catch(() => undefined);
    // A syntax error has a position; the refusal of several statements has none.
    const e = error as { code?: string; position?: string; message: string };
    if (e.code === '42601' && e.position === undefined) {
      throw new Error(`${e.message} (a file marked "${NO_TRANSACTION}" must hold exactly one statement)`);
    }
    throw error;
  } finally {
    await client.query('SET ROLE NONE');
    await client.query("SELECT set_config('search_path', $1, false)", [rows[0]!.path]);
  }
}

/** A set's migration files, in the order they apply, each with its version. */
export function migrationFiles(set: MigrationSet): { file: string; version: number }[] {
  return readdirSync(set.directory)
    .filter((f) => MIGRATION_FILE.test(f))
    .sort()
    .map((file) => ({ file, version: Number(MIGRATION_FILE.exec(file)![1]) }));
}

const sqlOf = (set: MigrationSet, file: string): string => readFileSync(join(set.directory, file), 'utf8');

/** Whether a file's first line marks it to run outside a transaction. */
const runsAlone = (sql: string): boolean => sql.split('\n', 1)[0]!.trim() === NO_TRANSACTION;

/** The versions `public.jigsaw_migrations` records as applied, by component, for these sets' components. */
export async function appliedVersions(
  client: Pick<PoolClient, 'query'>,
  sets: readonly MigrationSet[],
): Promise<Map<string, Set<number>>> {
  const done = new Map<string, Set<number>>(sets.map((set) => [componentOf(set), new Set()]));
  const { rows } = await client.query<{ component: string; version: number }>(
    'SELECT component, version FROM public.jigsaw_migrations WHERE component = ANY($1::text[])',
    [[...done.keys()]],
  );
  for (const row of rows) done.get(row.component)!.add(row.version);
  return done;
}

/**
 * Makes `schema` afresh from these sets' files (each set named for `schema`), as the pool's own role and
 * with nothing recorded: for a schema built once and dropped, never migrated, such as a rebuild's. Unlike
 * `runMigrations` it makes no role, membership or grant and writes no bookkeeping, so a login that is a
 * member of the schema owner's role alone can build one. Refuses a schema that exists; on a failure it
 * drops what it made, and names the file.
 */
export async function buildSchema(pool: Pool, schema: string, sets: readonly MigrationSet[]): Promise<void> {
  const strays = sets.filter((set) => set.schema !== schema);
  if (strays.length > 0) throw new Error(`sets for another schema: ${strays.map(componentOf).join(', ')}`);
  const client = await pool.connect();
  try {
    await client.query(`CREATE SCHEMA "${schema}"`);
    try {
      for (const set of sets) {
        for (const { file } of migrationFiles(set)) {
          const sql = sqlOf(set, file);
          try {
            // A marked file's statement cannot run in a transaction; in a new, empty schema nothing waits.
            const alone = runsAlone(sql);
            if (!alone) await client.query('BEGIN');
            await client.query(`SET ${alone ? 'SESSION' : 'LOCAL'} search_path TO "${schema}", public`);
            await client.query(sql);
            if (!alone) await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw new Error(`${componentOf(set)}/${file} failed: ${(error as Error).message}`);
          }
        }
      }
    } catch (error) {
      await client.query(`DROP SCHEMA "${schema}" CASCADE`).catch(() => undefined);
      throw error;
    }
  } finally {
    await client.query('RESET search_path').catch(() => undefined);
    client.release();
  }
}

/**
 * Applies plain, ordered SQL files (`001_name.sql`, ...) not yet applied, each in its own transaction
 * unless it says otherwise (below). An advisory lock serialises services that start together against one
 * database. Each set runs as its owner's role; the bookkeeping, the roles and the grants (`ownership.ts`)
 * as the login itself.
 *
 * A file whose first line is `-- jigsaw:no-transaction` (`NO_TRANSACTION`) runs outside a transaction, for
 * `CREATE INDEX CONCURRENTLY`, which does not block writes to a large table while it builds. It must hold
 * exactly one statement (a file with several is refused, naming it, before any runs: a failure part way
 * would leave some applied and the file not recorded), and it is recorded only once that statement has
 * succeeded. Write it to be run again (`CREATE INDEX CONCURRENTLY IF NOT EXISTS`): a start that stops
 * between the statement and its record runs it again. A failed or interrupted build leaves an invalid
 * index, which `IF NOT EXISTS` would skip; the runner drops an invalid index of the name and table the
 * file's `CREATE INDEX CONCURRENTLY` gives, after it fails and before it runs, so a rerun builds it afresh.
 */
export async function runMigrations(pool: Pool, sets: readonly MigrationSet[]): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await takeLock(client);
    // The pool may run as an owner's role (`-c role=...`); the login does the bookkeeping.
    await client.query('SET ROLE NONE');
    await ensureOwnerRoles(client);
    await takeOwnership(client);
    await client.query(`CREATE TABLE IF NOT EXISTS public.jigsaw_migrations (
      component text NOT NULL, version int NOT NULL, name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (component, version))`);
    // What every set has applied, in one query; a set named twice sees what the first applied.
    const done = await appliedVersions(client, sets);
    for (const set of sets) {
      const component = componentOf(set);
      const doneVersions = done.get(component)!;
      for (const { file, version } of migrationFiles(set)) {
        if (doneVersions.has(version)) continue;
        // Read only to be run: a start with nothing to apply reads no file.
        const sql = sqlOf(set, file);
        const record = (): Promise<unknown> =>
          client.query(
            'INSERT INTO public.jigsaw_migrations (component, version, name) VALUES ($1, $2, $3)',
            [component, version, file],
          );
        if (runsAlone(sql)) {
          try {
            await runOutsideTransaction(client, set, sql);
          } catch (error) {
            throw new Error(`migration ${component}/${file} failed: ${(error as Error).message}`);
          }
          await record();
        } else {
          try {
            await client.query('BEGIN');
            await actAsSet(client, set, 'LOCAL');
            await client.query(sql);
            await client.query('SET LOCAL ROLE NONE');
            await record();
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK');
            throw new Error(`migration ${component}/${file} failed: ${(error as Error).message}`);
          }
        }
        doneVersions.add(version);
        applied.push(`${component}/${file}`);
      }
    }
    await client.query('BEGIN');
    // Again: what a set without an owner made in an owner's schema is the owner's too.
    await takeOwnership(client);
    await applyGrants(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${LOCK})`).catch(() => undefined);
    await client.query('RESET ROLE').catch(() => undefined);
    client.release();
  }
  return applied;
}
