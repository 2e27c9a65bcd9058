import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from './database.js';

export interface MigrationSet {
  /** Owner of the migrations, e.g. `event-store`; versions are counted per component. */
  component: string;
  directory: string;
  /** Run the files with this schema first on the search path (read models that can be rebuilt elsewhere). */
  schema?: string;
}

const MIGRATION_FILE = /^(\d{3,})_[a-z0-9_-]+\.sql$/;

/**
 * Applies plain, ordered SQL files (`001_name.sql`, ...) not yet applied, each in its own transaction.
 * An advisory lock serialises services that start together against one database.
 */
export async function runMigrations(pool: Pool, sets: readonly MigrationSet[]): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('jigsaw.migrations'))");
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
        try {
          await client.query('BEGIN');
          if (set.schema) {
            await client.query(`CREATE SCHEMA IF NOT EXISTS "${set.schema}"`);
            await client.query(`SET LOCAL search_path TO "${set.schema}", public`);
          }
          await client.query(sql);
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
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext('jigsaw.migrations'))").catch(() => undefined);
    client.release();
  }
  return applied;
}
