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
    for (const set of sets) {
      const component = set.schema ? `${set.component}@${set.schema}` : set.component;
      const done = await client.query<{ version: number }>(
        'SELECT version FROM public.jigsaw_migrations WHERE component = $1',
        [component],
      );
      const doneVersions = new Set(done.rows.map((r) => r.version));
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
