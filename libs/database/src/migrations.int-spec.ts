import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EVENT_STORE_MIGRATIONS } from '@jigsaw/event-store';
import { createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import { createPool, type Pool, type PoolClient } from './database.js';
import { buildSchema, NO_TRANSACTION, runMigrations, type MigrationSet } from './migrations.js';
import { OWNER_ROLES } from './ownership.js';

const OWNER = OWNER_ROLES.audit;
const THINGS = 'CREATE TABLE things (id int PRIMARY KEY, name text NOT NULL);';
const BY_NAME = `${NO_TRANSACTION}
CREATE INDEX CONCURRENTLY IF NOT EXISTS things_by_name ON things (name);
`;

describe('migrations marked to run outside a transaction', () => {
  let db: TestDatabase;
  const dirs: string[] = [];
  let schemas = 0;

  /** A set of its own (files in a directory of their own, a schema of its own) owned by `OWNER`. */
  const aSet = (files: Record<string, string>): MigrationSet & { schema: string } => {
    const directory = mkdtempSync(join(tmpdir(), 'jigsaw-migrations-'));
    dirs.push(directory);
    for (const [name, sql] of Object.entries(files)) writeFileSync(join(directory, name), sql);
    return { component: 'test', directory, schema: `migrations_${++schemas}`, owner: OWNER };
  };
  const rewrite = (set: MigrationSet, name: string, sql: string): void =>
    writeFileSync(join(set.directory, name), sql);

  /** The indexes on `table` called `name`, and whether each is valid. */
  const indexes = async (schema: string, name: string) =>
    (
      await db.pool.query<{ owner: string; valid: boolean }>(
        `SELECT pg_get_userbyid(c.relowner) AS owner, i.indisvalid AS valid
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relname = $2`,
        [schema, name],
      )
    ).rows;
  const recorded = async (set: MigrationSet & { schema: string }) =>
    (
      await db.pool.query<{ name: string }>(
        'SELECT name FROM public.jigsaw_migrations WHERE component = $1 ORDER BY version',
        [`${set.component}@${set.schema}`],
      )
    ).rows.map((r) => r.name);

  /** Resolves once some session of this database answers `where` (on `pg_stat_activity`). */
  const until = async (where: string, pattern: string): Promise<void> => {
    for (let i = 0; i < 200; i++) {
      const { rowCount } = await db.pool.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND ${where}`,
        [pattern],
      );
      if (rowCount) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no session came to ${where} with ${pattern}`);
  };
  /** Resolves once a session runs a statement matching `pattern` and waits on a lock. */
  const waitingOnALock = (pattern: string): Promise<void> =>
    until("wait_event_type = 'Lock' AND query ILIKE $1", pattern);

  /** A session with a transaction open that inserted into `table`: a writer `CREATE INDEX` waits for. */
  const anOpenWriter = async (table: string): Promise<PoolClient> => {
    const client = await db.pool.connect();
    await client.query('BEGIN');
    await client.query(`INSERT INTO ${table} VALUES (1000, 'held')`);
    return client;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('runs one as the set’s owner with its schema on the path, records it, and restores the session', async () => {
    const set = aSet({
      '001_things.sql': THINGS,
      '002_things_by_name.sql': BY_NAME,
      '003_made_outside.sql': `${NO_TRANSACTION}\nCREATE TABLE made_outside (id int);\n`,
      '004_after.sql': 'CREATE TABLE made_after (id int);',
    });
    // One connection: the one the migrations ran on is the one asked after.
    const pool = createPool(db.url, { max: 1 });
    try {
      expect(await runMigrations(pool, [set])).toEqual([
        `test@${set.schema}/001_things.sql`,
        `test@${set.schema}/002_things_by_name.sql`,
        `test@${set.schema}/003_made_outside.sql`,
        `test@${set.schema}/004_after.sql`,
      ]);
      const { rows } = await pool.query<{ current: string; session: string; path: string }>(
        `SELECT current_user AS current, session_user AS session, current_setting('search_path') AS path`,
      );
      expect(rows[0]).toEqual({
        current: rows[0]!.session,
        session: rows[0]!.session,
        path: '"$user", public',
      });
    } finally {
      await pool.end();
    }
    expect(await indexes(set.schema, 'things_by_name')).toEqual([{ owner: OWNER, valid: true }]);
    const { rows: tables } = await db.pool.query<{ table: string; owner: string }>(
      `SELECT tablename AS table, tableowner AS owner FROM pg_tables WHERE schemaname = $1 ORDER BY 1`,
      [set.schema],
    );
    expect(tables).toEqual([
      { table: 'made_after', owner: OWNER },
      { table: 'made_outside', owner: OWNER },
      { table: 'things', owner: OWNER },
    ]);
    expect(await recorded(set)).toEqual([
      '001_things.sql',
      '002_things_by_name.sql',
      '003_made_outside.sql',
      '004_after.sql',
    ]);
  });

  it('lets another session insert into the table while the index waits and builds', async () => {
    const set = aSet({ '001_things.sql': THINGS });
    await runMigrations(db.pool, [set]);
    const things = `${set.schema}.things`;
    // A writer's open transaction: the build waits for it. A plain CREATE INDEX waiting so queues a lock
    // that every later insert queues behind; a concurrent one holds none that they do.
    const writer = await anOpenWriter(things);
    try {
      rewrite(set, '002_things_by_name.sql', BY_NAME);
      const migrating = runMigrations(db.pool, [set]);
      migrating.catch(() => undefined);
      await waitingOnALock('%CREATE INDEX%things_by_name%');
      const other = await db.pool.connect();
      try {
        await other.query("SET lock_timeout = '3s'");
        await other.query(`INSERT INTO ${things} VALUES (1, 'inserted while it builds')`);
      } finally {
        await other.query('RESET lock_timeout');
        other.release();
      }
      await writer.query('COMMIT');
      expect(await migrating).toEqual([`test@${set.schema}/002_things_by_name.sql`]);
    } finally {
      await writer.query('ROLLBACK').catch(() => undefined);
      writer.release();
    }
    expect(await indexes(set.schema, 'things_by_name')).toEqual([{ owner: OWNER, valid: true }]);
    const { rows } = await db.pool.query(`SELECT id FROM ${things} ORDER BY id`);
    expect(rows).toEqual([{ id: 1 }, { id: 1000 }]);
  });

  const UNIQUE = `${NO_TRANSACTION}
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS things_unique ON things (name);
`;
  const withDuplicates = async (): Promise<MigrationSet & { schema: string }> => {
    const set = aSet({ '001_things.sql': THINGS });
    await runMigrations(db.pool, [set]);
    await db.pool.query(`INSERT INTO ${set.schema}.things VALUES (1, 'same'), (2, 'same')`);
    return set;
  };

  it('records one that fails not at all, leaves no invalid index, and builds it when run again', async () => {
    const set = await withDuplicates();
    rewrite(set, '002_unique.sql', UNIQUE);
    await expect(runMigrations(db.pool, [set])).rejects.toThrow(
      `migration test@${set.schema}/002_unique.sql failed: could not create unique index "things_unique"`,
    );
    expect(await recorded(set)).toEqual(['001_things.sql']);
    // Left, the invalid unique index would refuse a duplicate while nothing would use it.
    expect(await indexes(set.schema, 'things_unique')).toEqual([]);
    await db.pool.query(`INSERT INTO ${set.schema}.things VALUES (3, 'same')`);

    await db.pool.query(`DELETE FROM ${set.schema}.things WHERE id > 1`);
    expect(await runMigrations(db.pool, [set])).toEqual([`test@${set.schema}/002_unique.sql`]);
    expect(await indexes(set.schema, 'things_unique')).toEqual([{ owner: OWNER, valid: true }]);
    expect(await recorded(set)).toEqual(['001_things.sql', '002_unique.sql']);
  });

  it('drops the invalid index an interrupted build left, which IF NOT EXISTS would skip, and builds it', async () => {
    const set = await withDuplicates();
    // As a build stopped part way (a crash, a restart) leaves it, with no runner to tidy up after it.
    await expect(
      db.pool.query(`CREATE UNIQUE INDEX CONCURRENTLY things_unique ON ${set.schema}.things (name)`),
    ).rejects.toThrow('could not create unique index');
    expect(await indexes(set.schema, 'things_unique')).toEqual([{ owner: OWNER, valid: false }]);
    await db.pool.query(`DELETE FROM ${set.schema}.things WHERE id > 1`);

    rewrite(set, '002_unique.sql', UNIQUE);
    expect(await runMigrations(db.pool, [set])).toEqual([`test@${set.schema}/002_unique.sql`]);
    expect(await indexes(set.schema, 'things_unique')).toEqual([{ owner: OWNER, valid: true }]);
  });

  it('refuses a marked file of two statements, naming it, before either runs', async () => {
    const set = aSet({
      '001_things.sql': THINGS,
      '002_two.sql': `${BY_NAME}CREATE INDEX CONCURRENTLY IF NOT EXISTS things_by_id ON things (id, name);\n`,
    });
    await expect(runMigrations(db.pool, [set])).rejects.toThrow(
      `migration test@${set.schema}/002_two.sql failed: cannot insert multiple commands into a prepared ` +
        `statement (a file marked "${NO_TRANSACTION}" must hold exactly one statement)`,
    );
    expect(await recorded(set)).toEqual(['001_things.sql']);
    expect(await indexes(set.schema, 'things_by_name')).toEqual([]);
    expect(await indexes(set.schema, 'things_by_id')).toEqual([]);
  });

  it('lets a second runner wait for the lock while the first builds, without a deadlock', async () => {
    const set = aSet({ '001_things.sql': THINGS });
    await runMigrations(db.pool, [set]);
    const writer = await anOpenWriter(`${set.schema}.things`);
    const second: Pool = createPool(db.url, { max: 1, name: 'second-runner' });
    try {
      rewrite(set, '002_things_by_name.sql', BY_NAME);
      const first = runMigrations(db.pool, [set]);
      first.catch(() => undefined);
      await waitingOnALock('%CREATE INDEX%things_by_name%');
      const then = runMigrations(second, [set]);
      then.catch(() => undefined);
      // The second waits for the migrations' lock, which the first holds while it builds; the build then
      // waits out every snapshot older than its own, a statement waiting for the lock's among them.
      await until("application_name = $1 AND query LIKE '%advisory_lock%'", 'second-runner');
      await writer.query('COMMIT');
      expect(await first).toEqual([`test@${set.schema}/002_things_by_name.sql`]);
      expect(await then).toEqual([]);
    } finally {
      await writer.query('ROLLBACK').catch(() => undefined);
      writer.release();
      await second.end();
    }
    expect(await indexes(set.schema, 'things_by_name')).toEqual([{ owner: OWNER, valid: true }]);
  });
});

describe('a schema built once from migration files (buildSchema), as for a rebuild', () => {
  let db: TestDatabase;
  let owner: Pool;
  const dirs: string[] = [];

  const aDirectory = (files: Record<string, string>): string => {
    const directory = mkdtempSync(join(tmpdir(), 'jigsaw-build-'));
    dirs.push(directory);
    for (const [name, sql] of Object.entries(files)) writeFileSync(join(directory, name), sql);
    return directory;
  };
  const exists = async (schema: string): Promise<boolean> =>
    ((await db.pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount ?? 0) > 0;

  beforeAll(async () => {
    db = await createTestDatabase([]);
    owner = createPool(db.url, { role: OWNER, max: 2 });
  });
  afterAll(async () => {
    await owner?.end();
    await db?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('runs every file in order as the pool’s role, marked ones too, and records nothing', async () => {
    const directory = aDirectory({ '001_things.sql': THINGS, '002_by_name.sql': BY_NAME });
    await buildSchema(owner, 'built_1', [{ component: 'test', directory, schema: 'built_1' }]);
    const { rows } = await db.pool.query<{ owner: string }>(
      "SELECT tableowner AS owner FROM pg_tables WHERE schemaname = 'built_1' AND tablename = 'things'",
    );
    expect(rows).toEqual([{ owner: OWNER }]);
    expect(await indexesIn(db.pool, 'built_1')).toEqual(['things_by_name', 'things_pkey']);
    const recorded = await db.pool.query(
      "SELECT 1 FROM public.jigsaw_migrations WHERE component LIKE 'test@built_1'",
    );
    expect(recorded.rowCount ?? 0).toBe(0);
  });

  it('refuses a schema that exists, and leaves nothing of one whose file fails, naming it', async () => {
    const directory = aDirectory({ '001_things.sql': THINGS, '002_broken.sql': 'CREATE TABLE;' });
    await expect(
      buildSchema(owner, 'built_2', [{ component: 'test', directory, schema: 'built_2' }]),
    ).rejects.toThrow(/^test@built_2\/002_broken\.sql failed: syntax error/);
    expect(await exists('built_2')).toBe(false);
    const fine = aDirectory({ '001_things.sql': THINGS });
    await buildSchema(owner, 'built_3', [{ component: 'test', directory: fine, schema: 'built_3' }]);
    await expect(
      buildSchema(owner, 'built_3', [{ component: 'test', directory: fine, schema: 'built_3' }]),
    ).rejects.toThrow(/already exists/);
    await expect(
      buildSchema(owner, 'built_4', [{ component: 'test', directory: fine, schema: 'elsewhere' }]),
    ).rejects.toThrow('sets for another schema: test@elsewhere');
  });
});

/** The names of the indexes in `schema`. */
async function indexesIn(pool: Pool, schema: string): Promise<string[]> {
  const { rows } = await pool.query<{ indexname: string }>(
    'SELECT indexname FROM pg_indexes WHERE schemaname = $1 ORDER BY 1',
    [schema],
  );
  return rows.map((r) => r.indexname);
}

describe("the event store's concurrent index builds", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase([EVENT_STORE_MIGRATIONS]);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('are each one marked statement, and leave valid indexes on the events owned by the store’s role', async () => {
    const files = readdirSync(EVENT_STORE_MIGRATIONS.directory).filter((f) => /^04\d_/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const sql = readFileSync(join(EVENT_STORE_MIGRATIONS.directory, file), 'utf8');
      expect(sql.split('\n', 1)[0]).toBe(NO_TRANSACTION);
      expect(sql).toMatch(/^CREATE INDEX CONCURRENTLY IF NOT EXISTS /m);
    }
    const { rows } = await db.pool.query<{ name: string; owner: string; valid: boolean }>(
      `SELECT c.relname AS name, pg_get_userbyid(c.relowner) AS owner, i.indisvalid AS valid
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = 'event_store.events'::regclass AND c.relname = ANY($1) ORDER BY 1`,
      [
        [
          'events_links_by_child',
          'events_notified_child',
          'events_record_accessed_order',
          'events_school_urn',
        ],
      ],
    );
    expect(rows).toEqual(
      [
        'events_links_by_child',
        'events_notified_child',
        'events_record_accessed_order',
        'events_school_urn',
      ].map((name) => ({ name, owner: OWNER_ROLES.eventStore, valid: true })),
    );
  });

  it('skips the school index on a store whose 041 made it already', async () => {
    // Such a store recorded 040 to 042 and holds the index; 043 is new to it.
    const oid = "SELECT 'event_store.events_school_urn'::regclass::oid AS oid";
    const before = (await db.pool.query<{ oid: number }>(oid)).rows[0]!.oid;
    await db.pool.query('DELETE FROM public.jigsaw_migrations WHERE component = $1 AND name = $2', [
      'event-store',
      '043_relationship_facts_schools.sql',
    ]);
    expect(await runMigrations(db.pool, [EVENT_STORE_MIGRATIONS])).toEqual([
      'event-store/043_relationship_facts_schools.sql',
    ]);
    expect((await db.pool.query<{ oid: number }>(oid)).rows[0]!.oid).toBe(before);
  });
});
