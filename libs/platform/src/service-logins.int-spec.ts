import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import pg from 'pg';
import { loadConfig, ServiceConfig } from '@jigsaw/config';
import {
  OWNER_ROLES,
  requireMigrationsApplied,
  unappliedMigrations,
  type MigrationSet,
  type OwnerRole,
  type Pool,
} from '@jigsaw/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { IDENTITY_MIGRATIONS } from '@jigsaw/identity';
import { appliedEventsMigrations } from '@jigsaw/projection';
import {
  aRecordedEvent,
  createTestDatabase,
  createTestLogin,
  onTestServer,
  testBrokers,
  testServerUrl,
  uniqueTopicPrefix,
  type TestDatabase,
  type TestLogin,
} from '@jigsaw/testing';
import { readModelMigrations, VIEW_SCHEMA } from '@jigsaw/view-model';
import { PlatformModule } from './platform.module.js';
import { MIGRATE_ONLY, runService } from './run-service.js';
import { PG_POOL } from './tokens.js';

/** The police service's sets, and the view's, so that the view's tables exist to be refused. */
const POLICE_MIGRATIONS: MigrationSet[] = [EVENT_STORE_MIGRATIONS, IDENTITY_MIGRATIONS];
const STORE: MigrationSet[] = [
  ...POLICE_MIGRATIONS,
  appliedEventsMigrations(VIEW_SCHEMA),
  ...readModelMigrations(VIEW_SCHEMA),
];

function platform(
  url: string,
  migrations: readonly MigrationSet[],
  settings: Record<string, string> = {},
  role: OwnerRole = OWNER_ROLES.police,
) {
  const config = loadConfig(ServiceConfig, {
    JIGSAW_DEVELOPMENT: 'true',
    DATABASE_URL: url,
    KAFKA_BROKERS: testBrokers(),
    ...settings,
  });
  return PlatformModule.forRoot({
    name: 'service-logins-spec',
    role,
    config,
    migrations,
    topics: [`${uniqueTopicPrefix('logins')}probe`],
  });
}

describe('a service with a login of its own, a member of its own role alone (DATABASE_MIGRATIONS=check)', () => {
  let login: TestLogin;
  let db: TestDatabase;
  let url: string;

  beforeAll(async () => {
    // Applied by the admin login, as `npm run migrate` does.
    db = await createTestDatabase(STORE);
    login = await createTestLogin('police', [OWNER_ROLES.police]);
    url = login.urlTo(db.url);
  });
  afterAll(async () => {
    await db.drop();
    await login?.drop();
  });

  it("starts, appends its own streams, and may neither act as another owner nor read another's tables", async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [platform(url, POLICE_MIGRATIONS, { DATABASE_MIGRATIONS: 'check' })],
    }).compile();
    try {
      const pool = moduleRef.get<Pool>(PG_POOL);
      const { rows } = await pool.query<{ current: string; session: string; member_of: string[] }>(
        `SELECT current_user AS current, session_user AS session,
                ARRAY(SELECT r.rolname::text FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
                       WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = session_user)) AS member_of`,
      );
      expect(rows[0]).toEqual({
        current: OWNER_ROLES.police,
        session: login.name,
        member_of: [OWNER_ROLES.police],
      });

      const stream = `police-${randomUUID()}`;
      await new PostgresEventStore(pool).append(stream, [aRecordedEvent()], { expectedVersion: 'no-stream' });
      const appended = await db.pool.query('SELECT 1 FROM event_store.streams WHERE stream_id = $1', [
        stream,
      ]);
      expect(appended.rowCount).toBe(1);

      const client = await pool.connect();
      try {
        await expect(client.query(`SET ROLE ${OWNER_ROLES.view}`)).rejects.toMatchObject({
          code: '42501',
          message: expect.stringContaining('permission denied to set role'),
        });
        await expect(client.query('SELECT 1 FROM view.chronology LIMIT 1')).rejects.toMatchObject({
          code: '42501',
        });
      } finally {
        client.release();
      }
    } finally {
      await moduleRef.close();
    }
  });

  it('could not start with DATABASE_MIGRATIONS=apply: it may not make itself a member of the other owners', async () => {
    await expect(
      Test.createTestingModule({ imports: [platform(url, POLICE_MIGRATIONS)] }).compile(),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('refuses to start while one of its migrations is not applied, naming it and how to apply it', async () => {
    const partial = await createTestDatabase(STORE);
    try {
      const { rows } = await partial.pool.query<{ name: string }>(
        `DELETE FROM public.jigsaw_migrations WHERE component = 'identity'
          AND version = (SELECT max(version) FROM public.jigsaw_migrations WHERE component = 'identity')
         RETURNING name`,
      );
      const start = Test.createTestingModule({
        imports: [platform(login.urlTo(partial.url), POLICE_MIGRATIONS, { DATABASE_MIGRATIONS: 'check' })],
      }).compile();
      await expect(start).rejects.toThrow(
        new RegExp(
          `^a migration is not applied: identity/${rows[0]!.name}; apply it with \`npm run migrate\``,
        ),
      );
    } finally {
      await partial.drop();
    }
  });

  it('refuses to start, saying how to mend it, when its role may not read the record of migrations', async () => {
    const unreadable = await createTestDatabase(POLICE_MIGRATIONS);
    try {
      await unreadable.pool.query(`REVOKE SELECT ON public.jigsaw_migrations FROM ${OWNER_ROLES.police}`);
      const start = Test.createTestingModule({
        imports: [platform(login.urlTo(unreadable.url), POLICE_MIGRATIONS, { DATABASE_MIGRATIONS: 'check' })],
      }).compile();
      await expect(start).rejects.toThrow(
        /^cannot read public\.jigsaw_migrations .*permission denied.*`npm run migrate`.*it grants every owner SELECT on it$/,
      );
    } finally {
      await unreadable.drop();
    }
  });

  it('counts every file unapplied in a database no migration was applied to', async () => {
    const bare = await createTestDatabase();
    try {
      await bare.pool.query('DROP TABLE public.jigsaw_migrations');
      const missing = await unappliedMigrations(bare.pool, STORE);
      expect(missing[0]).toMatch(/^event-store\/001_\w+\.sql$/);
      expect(missing.filter((file) => file.startsWith('identity/')).length).toBeGreaterThan(0);
      expect(missing.at(-1)).toMatch(/^safeguarding-view@view\/\d+_\w+\.sql$/);
      expect(await unappliedMigrations(db.pool, STORE)).toEqual([]);
      // The first ten are named, the rest counted.
      await expect(requireMigrationsApplied(bare.pool, STORE)).rejects.toThrow(
        new RegExp(
          `^${missing.length} migrations are not applied: event-store/001_\\w+\\.sql, .* and ${missing.length - 10} more; apply them with`,
        ),
      );
    } finally {
      await bare.drop();
    }
  });
});

describe("`npm run migrate`'s step: a service run with --migrate-only", () => {
  const created: string[] = [];
  const broken = mkdtempSync(join(tmpdir(), 'jigsaw-migrations-'));
  writeFileSync(join(broken, '001_broken.sql'), 'SELECT no_such_column FROM no_such_table;');

  /** A database that does not exist yet, named as the admin login: the step makes it. */
  const newDatabase = (): string => {
    const name = `jigsaw_test_${randomBytes(5).toString('hex')}`;
    created.push(name);
    const url = new URL(testServerUrl());
    url.pathname = `/${name}`;
    return url.toString();
  };

  /** A service's module, whose every provider would fail to start: Kafka is nowhere. */
  const service = (url: string, migrations: readonly MigrationSet[]) => {
    @Module({})
    class AppModule {}
    return {
      module: AppModule,
      imports: [platform(url, migrations, { DATABASE_MIGRATIONS: 'check', KAFKA_BROKERS: '127.0.0.1:1' })],
    };
  };

  afterEach(() => {
    process.exitCode = undefined;
    jest.restoreAllMocks();
  });
  afterAll(async () => {
    rmSync(broken, { recursive: true, force: true });
    await onTestServer(async (client) => {
      for (const name of created) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
  });

  it("applies the service's migrations, whatever DATABASE_MIGRATIONS says, and starts nothing else", async () => {
    const url = newDatabase();
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await runService('police', service(url, STORE), 0, {}, [MIGRATE_ONLY]);
    const lines = out.mock.calls.map(([line]) => String(line));
    out.mockRestore();
    expect(process.exitCode).toBeUndefined();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      expect(await unappliedMigrations(admin, STORE)).toEqual([]);
      // As a start with DATABASE_MIGRATIONS=apply: the schemas handed to their owners, the grants kept.
      const { rows } = await admin.query<{ owner: string; reads: boolean }>(
        `SELECT nspowner::regrole::text AS owner,
                has_table_privilege('${OWNER_ROLES.police}', 'public.jigsaw_migrations', 'SELECT') AS reads
           FROM pg_namespace WHERE nspname = 'event_store'`,
      );
      expect(rows).toEqual([{ owner: OWNER_ROLES.eventStore, reads: true }]);
    } finally {
      await admin.end();
    }
    expect(lines[0]).toMatch(/^police: applied event-store\/001_\w+\.sql\n$/);
    expect(lines.at(-1)).toBe(`police: every migration applied (${lines.length - 1} just now)\n`);
  });

  it('says which migration failed and sets the exit code to 1', async () => {
    const url = newDatabase();
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await runService('police', service(url, [{ component: 'broken', directory: broken }]), 0, {}, [
      MIGRATE_ONLY,
    ]);
    expect(process.exitCode).toBe(1);
    expect(err.mock.calls.map(([line]) => String(line)).join('')).toMatch(
      /^police: migrations failed: migration broken\/001_broken\.sql failed: /,
    );
  });
});
