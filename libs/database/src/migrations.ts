import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Pool } from './database.js';
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
const componentOf = (set: MigrationSet): string =>
  set.schema ? `${set.component}@${set.schema}` : set.component;

const MIGRATION_FILE = /^(\d{3,})_[a-z0-9_-]+\.sql$/;

/**
 * Applies plain, ordered SQL files (`001_name.sql`, ...) not yet applied, each in its own transaction.
 * An advisory lock serialises services that start together against one database. Each set runs as its
 * owner's role; the bookkeeping, the roles and the grants (`ownership.ts`) as the login itself.
 */
export async function runMigrations(pool: Pool, sets: readonly MigrationSet[]): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('jigsaw.migrations'))");
    // The pool may run as an owner's role (`-c role=...`); the login does the bookkeeping.
    await client.query('SET ROLE NONE');
    await ensureOwnerRoles(client);
    await takeOwnership(client);
    await client.query(`CREATE TABLE IF NOT EXISTS public.jigsaw_migrations (
      component text NOT NULL, version int NOT NULL, name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (component, version))`);
    // What every set has applied, in one query; a set named twice sees what the first applied.
    const done = new Map<string, Set<number>>(sets.map((set) => [componentOf(set), new Set()]));
    const { rows } = await client.query<{ component: string; version: number }>(
      'SELECT component, version FROM public.jigsaw_migrations WHERE component = ANY($1::text[])',
      [[...done.keys()]],
    );
    for (const row of rows) done.get(row.component)!.add(row.version);
    for (const set of sets) {
      const component = componentOf(set);
      const doneVersions = done.get(component)!;
      const files = readdirSync(set.directory)
        .filter((f) => MIGRATION_FILE.test(f))
        .sort();
      for (const file of files) {
        const version = Number(MIGRATION_FILE.exec(file)![1]);
        if (doneVersions.has(version)) continue;
        const sql = readFileSync(join(set.directory, file), 'utf8');
        const owner = set.owner ?? (set.schema ? schemaOwner(set.schema) : undefined);
        try {
          await client.query('BEGIN');
          if (owner) await client.query(`SET LOCAL ROLE ${pg.escapeIdentifier(owner)}`);
          if (set.schema) {
            await client.query(`CREATE SCHEMA IF NOT EXISTS "${set.schema}"`);
            await client.query(`SET LOCAL search_path TO "${set.schema}", public`);
          }
          await client.query(sql);
          await client.query('SET LOCAL ROLE NONE');
          await client.query(
            'INSERT INTO public.jigsaw_migrations (component, version, name) VALUES ($1, $2, $3)',
            [component, version, file],
          );
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${component}/${file} failed: ${(error as Error).message}`);
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
    await client.query("SELECT pg_advisory_unlock(hashtext('jigsaw.migrations'))").catch(() => undefined);
    await client.query('RESET ROLE').catch(() => undefined);
    client.release();
  }
  return applied;
}
