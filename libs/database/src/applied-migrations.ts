import type { PoolClient } from './database.js';
import { appliedVersions, componentOf, migrationFiles, type MigrationSet } from './migrations.js';

type Queryable = Pick<PoolClient, 'query'>;

/** What a refusal tells the operator to do. */
const howToApply = (them: string): string =>
  `apply ${them} with \`npm run migrate\`, as a login that may act as every owner, then start again ` +
  '(docs/operating.md, "One login per service")';

/** At most this many files are named in a refusal; the rest are counted. */
const NAMED = 10;

/**
 * The files of `sets` that `public.jigsaw_migrations` does not record as applied, as `<component>/<file>`,
 * in the order `runMigrations` would apply them. Only reads the record, as whatever role the client acts
 * as (every owner's role may: `GRANTS`): it applies nothing and makes no role, schema or grant. A database
 * without the record has applied nothing.
 */
export async function unappliedMigrations(
  client: Queryable,
  sets: readonly MigrationSet[],
): Promise<string[]> {
  let done = new Map<string, Set<number>>();
  try {
    done = await appliedVersions(client, sets);
  } catch (error) {
    // 42P01: no record yet.
    if ((error as { code?: string }).code !== '42P01') throw error;
  }
  const missing = new Set<string>();
  for (const set of sets) {
    const component = componentOf(set);
    for (const { file, version } of migrationFiles(set)) {
      if (!done.get(component)?.has(version)) missing.add(`${component}/${file}`);
    }
  }
  return [...missing];
}

/**
 * Refuses, naming the files and how to apply them, unless every file of `sets` is applied: what a service
 * started with `DATABASE_MIGRATIONS=check` does instead of applying them, with a login that is a member of
 * its own role alone.
 */
export async function requireMigrationsApplied(
  client: Queryable,
  sets: readonly MigrationSet[],
): Promise<void> {
  let missing: string[];
  try {
    missing = await unappliedMigrations(client, sets);
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error;
    throw new Error(
      `cannot read public.jigsaw_migrations to check that the migrations are applied ` +
        `(${(error as Error).message}): ${howToApply('them')}; it grants every owner SELECT on it`,
    );
  }
  if (missing.length === 0) return;
  const one = missing.length === 1;
  const more = missing.length > NAMED ? ` and ${missing.length - NAMED} more` : '';
  throw new Error(
    `${one ? 'a migration is' : `${missing.length} migrations are`} not applied: ` +
      `${missing.slice(0, NAMED).join(', ')}${more}; ${howToApply(one ? 'it' : 'them')}`,
  );
}
