import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { loadConfig, repoRoot, ServiceConfig } from '@jigsaw/config';
import { randomUUID } from 'node:crypto';
import {
  ALL_OWNER_ROLES,
  allowed,
  createPool,
  GRANTS,
  grantsOn,
  OUTBOX_TOPICS,
  OWNER_ROLES,
  POLICY_TABLES,
  PRIVILEGES,
  rowPolicies,
  runMigrations,
  schemaOwner,
  STREAM_WRITES,
  streamWriters,
  topicWriters,
  type MigrationSet,
  type OwnerRole,
  type Pool,
  type Privilege,
} from '@jigsaw/database';
import {
  EVENT_STORE_MIGRATIONS,
  KURRENTDB_PUBLISHER_MIGRATIONS,
  PostgresEventStore,
} from '@jigsaw/event-store';
import { IDENTITY_MIGRATIONS } from '@jigsaw/identity';
import { appliedEventsMigrations } from '@jigsaw/projection';
import {
  aRecordedEvent,
  createTestDatabase,
  testBrokers,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@jigsaw/testing';
import {
  liveNotificationsMigrations,
  notificationsMigrations,
  readModelMigrations,
  VIEW_SCHEMA,
} from '@jigsaw/view-model';
import { PlatformModule } from './platform.module.js';
import { PG_POOL } from './tokens.js';

const REBUILD = 'view_rebuild_20260101000000000';
const NOTIFICATIONS_REBUILD = 'notifications_rebuild_20260101000000000';

/** Every store of the hub, as the seven services and a rebuild make them (the apps' own sets by path). */
const ALL_MIGRATIONS: MigrationSet[] = [
  EVENT_STORE_MIGRATIONS,
  KURRENTDB_PUBLISHER_MIGRATIONS,
  IDENTITY_MIGRATIONS,
  appliedEventsMigrations(VIEW_SCHEMA),
  ...readModelMigrations(VIEW_SCHEMA),
  ...liveNotificationsMigrations(),
  { component: 'audit', directory: join(repoRoot(), 'apps/audit/migrations'), owner: OWNER_ROLES.audit },
  appliedEventsMigrations(REBUILD),
  ...readModelMigrations(REBUILD),
  appliedEventsMigrations(NOTIFICATIONS_REBUILD),
  notificationsMigrations(NOTIFICATIONS_REBUILD),
];

interface Table {
  schema: string;
  table: string;
  owner: string;
  column: string;
}

/** The statement that needs exactly `privilege` on the table, and touches no row. */
function attempt(t: Table, privilege: Privilege): string {
  const name = `"${t.schema}"."${t.table}"`;
  switch (privilege) {
    case 'SELECT':
      return `SELECT 1 FROM ${name} WHERE false`;
    case 'INSERT':
      // Refused at once without the privilege (42501), else by a constraint, or it inserts a row of defaults.
      return `INSERT INTO ${name} DEFAULT VALUES`;
    case 'UPDATE':
      return `UPDATE ${name} SET "${t.column}" = NULL WHERE false`;
    case 'DELETE':
      return `DELETE FROM ${name} WHERE false`;
  }
}

describe("each owner's role: the database allows exactly what ownership.ts lists", () => {
  let db: TestDatabase;
  let tables: Table[];

  beforeAll(async () => {
    db = await createTestDatabase(ALL_MIGRATIONS);
    const { rows } = await db.pool.query<Table>(
      `SELECT t.schemaname AS schema, t.tablename AS table, t.tableowner AS owner,
              (SELECT a.attname FROM pg_attribute a
                WHERE a.attrelid = format('%I.%I', t.schemaname, t.tablename)::regclass AND a.attnum > 0
                  AND NOT a.attisdropped AND a.attidentity = '' AND a.attgenerated = ''
                ORDER BY a.attnum LIMIT 1) AS column
       FROM pg_tables t WHERE t.schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
    );
    tables = rows;
  });
  afterAll(async () => {
    await db.drop();
  });

  it("gives every table of an owner's schema to that owner's role", () => {
    const owned = tables.filter((t) => schemaOwner(t.schema));
    expect(owned.length).toBeGreaterThan(20);
    expect(owned.filter((t) => t.owner !== schemaOwner(t.schema))).toEqual([]);
    // And nothing of the hub's lies outside the owners' schemas but the migrations' bookkeeping.
    expect(tables.filter((t) => !schemaOwner(t.schema)).map((t) => `${t.schema}.${t.table}`)).toEqual([
      'public.jigsaw_migrations',
    ]);
  });

  it('lists no grant on a table that does not exist, nor to a table’s own owner', () => {
    const names = new Set(tables.map((t) => `${t.schema}.${t.table}`));
    for (const grant of GRANTS) {
      for (const table of grant.tables) expect(names).toContain(`${grant.schema}.${table}`);
      for (const role of grant.to) expect(role).not.toBe(schemaOwner(grant.schema));
    }
  });

  it("refuses the audit service the view's inbox of partnership-wide reads and its applied marks", async () => {
    const audit = createPool(db.url, { role: OWNER_ROLES.audit, max: 1 });
    try {
      for (const table of ['partnership_reads', 'applied_events']) {
        await expect(audit.query(`INSERT INTO view.${table} DEFAULT VALUES`)).rejects.toMatchObject({
          code: '42501',
        });
      }
    } finally {
      await audit.end();
    }
  });

  it("keeps the notifications' tables and the view's apart: each role reaches its own and not the other's", async () => {
    const view = createPool(db.url, { role: OWNER_ROLES.view, max: 1 });
    const notifications = createPool(db.url, { role: OWNER_ROLES.notifications, max: 1 });
    try {
      for (const table of [
        'notifications',
        'notification_deliveries',
        'notification_intents',
        'applied_events',
      ]) {
        await expect(view.query(`SELECT 1 FROM notifications.${table} WHERE false`)).rejects.toMatchObject({
          code: '42501',
        });
        await expect(
          notifications.query(`SELECT 1 FROM notifications.${table} WHERE false`),
        ).resolves.toBeDefined();
      }
      for (const table of ['chronology', 'applied_events', 'partnership_reads']) {
        await expect(notifications.query(`SELECT 1 FROM view.${table} WHERE false`)).rejects.toMatchObject({
          code: '42501',
        });
      }
    } finally {
      await Promise.all([view.end(), notifications.end()]);
    }
  });

  it('refuses (42501) every role, table and operation not listed, and allows every one listed', async () => {
    const mismatches: string[] = [];
    let refused = 0;
    const client = await db.pool.connect();
    try {
      for (const role of ALL_OWNER_ROLES) {
        await client.query('BEGIN');
        await client.query(`SET LOCAL ROLE ${role}`);
        for (const t of tables) {
          for (const privilege of PRIVILEGES) {
            await client.query('SAVEPOINT attempt');
            const code = await client.query(attempt(t, privilege)).then(
              () => 'ok',
              // A row the stream rules refuse (INSERT DEFAULT VALUES names no stream) was let through
              // the privilege check: `the stream rules` below try those.
              (error: { code?: string; message?: string }) =>
                error.message?.includes('row-level security') ? 'rls' : (error.code ?? 'unknown'),
            );
            await client.query('ROLLBACK TO SAVEPOINT attempt');
            const expected = allowed(role, t.schema, t.table, privilege);
            if ((code !== '42501') !== expected) {
              mismatches.push(`${role} ${privilege} ${t.schema}.${t.table}: ${code}, listed ${expected}`);
            }
            if (code === '42501') refused++;
          }
        }
        await client.query('ROLLBACK');
      }
    } finally {
      client.release();
    }
    expect(mismatches).toEqual([]);
    expect(refused).toBeGreaterThan(0);
  });

  it('grants no other kind of privilege (TRUNCATE, REFERENCES, TRIGGER) to another owner', async () => {
    const { rows } = await db.pool.query<{ role: string; table: string; privilege: string }>(
      `SELECT r AS role, t.schemaname || '.' || t.tablename AS table, p AS privilege
       FROM pg_tables t, unnest($1::text[]) AS r, unnest(ARRAY['TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p
       WHERE t.tableowner <> r AND t.schemaname NOT IN ('pg_catalog', 'information_schema')
         AND has_table_privilege(r, format('%I.%I', t.schemaname, t.tablename), p)`,
      [ALL_OWNER_ROLES],
    );
    expect(rows).toEqual([]);
  });

  it('takes back a privilege granted outside the list at the next start', async () => {
    await db.pool.query(`GRANT DELETE ON event_store.events TO ${OWNER_ROLES.police}`);
    await runMigrations(db.pool, []);
    const { rows } = await db.pool.query<{ may: boolean }>(
      `SELECT has_table_privilege($1, 'event_store.events', 'DELETE') AS may`,
      [OWNER_ROLES.police],
    );
    expect(rows[0]!.may).toBe(false);
  });
});

describe('the stream rules: each role appends exactly the streams and topics ownership.ts gives it', () => {
  let db: TestDatabase;
  /** Every role that may insert events at all; the others are refused by the table privilege. */
  const writers = [...grantsOn('event_store', 'events')]
    .filter(([, privileges]) => privileges.has('INSERT'))
    .map(([role]) => role);
  /** One stream name of each listed prefix, and one nobody's. */
  const prefixes = [...STREAM_WRITES.map((w) => w.prefix), 'stray-'];
  const topics = [...OUTBOX_TOPICS.map((t) => t.topic), 'stray.events'];
  const prefix = 'jigsaw-rules.';
  const pools = new Map<OwnerRole, Pool>();
  const refused = (error: unknown): string => {
    const { code, message } = error as { code?: string; message?: string };
    return code === '42501' && message?.includes('row-level security') ? 'refused' : `${code}: ${message}`;
  };

  beforeAll(async () => {
    db = await createTestDatabase([EVENT_STORE_MIGRATIONS]);
    for (const role of writers) pools.set(role, createPool(db.url, { role, max: 2 }));
  });
  afterAll(async () => {
    for (const pool of pools.values()) await pool.end();
    await db.drop();
  });

  /** The row-level security policies on the event store's tables, by name. */
  const policyNames = async (): Promise<string[]> =>
    (
      await db.pool.query<{ name: string }>(
        `SELECT polname AS name FROM pg_policy
          WHERE polrelid = ANY (SELECT to_regclass(t) FROM unnest($1::text[]) AS t) ORDER BY 1`,
        [POLICY_TABLES],
      )
    ).rows.map((r) => r.name);

  it('lists a writer for every table the policies cover, and one policy per role and command granted', async () => {
    expect(writers.length).toBe(7);
    expect(await policyNames()).toEqual(
      rowPolicies()
        .map((p) => p.name)
        .sort(),
    );
    const secured = await db.pool.query<{ table: string }>(
      `SELECT oid::regclass::text AS table FROM pg_class WHERE relrowsecurity ORDER BY 1`,
    );
    expect(secured.rows.map((r) => r.table)).toEqual([...POLICY_TABLES].sort());
  });

  it("appends each role's own streams, new and at a version, alone and in a batch, and refuses every other", async () => {
    const mismatches: string[] = [];
    const login = new PostgresEventStore(db.pool);
    // Each role on its own pool, side by side.
    await Promise.all(
      writers.map(async (role) => {
        const store = new PostgresEventStore(pools.get(role)!);
        for (const streamPrefix of prefixes) {
          const expected = streamWriters(`${streamPrefix}x`).includes(role) ? 'ok' : 'refused';
          // A stream the login (not held by the rules) began, so moving it is an UPDATE of its head.
          const existing = `${streamPrefix}${randomUUID()}`;
          await login.append(existing, [aRecordedEvent()], { expectedVersion: 'no-stream' });
          const tries: [string, () => Promise<unknown>][] = [
            [
              'new',
              () =>
                store.append(`${streamPrefix}${randomUUID()}`, [aRecordedEvent()], {
                  expectedVersion: 'no-stream',
                }),
            ],
            ['at 1', () => store.append(existing, [aRecordedEvent()], { expectedVersion: 1 })],
            // An event row alone, past the store: the events' own rule, not only the stream heads'.
            [
              'row',
              () =>
                pools.get(role)!.query(
                  `INSERT INTO event_store.events (stream_id, stream_position, source, id, type, payload, content_hash)
                   VALUES ($1, 1, 'probe', $2, 'probe', '{}', '')`,
                  [`${streamPrefix}${randomUUID()}`, randomUUID()],
                ),
            ],
            ['any', () => store.append(existing, [aRecordedEvent()], { expectedVersion: 'any' })],
            [
              'batch',
              () =>
                store.appendMany([
                  {
                    streamId: `${streamPrefix}${randomUUID()}`,
                    events: [aRecordedEvent()],
                    expectedVersion: 'no-stream',
                  },
                ]),
            ],
          ];
          for (const [how, attempt] of tries) {
            const outcome = await attempt().then(() => 'ok', refused);
            if (outcome !== expected)
              mismatches.push(`${role} ${how} ${streamPrefix}: ${outcome}, listed ${expected}`);
          }
        }
      }),
    );
    expect(mismatches).toEqual([]);
  });

  it("routes outbox rows to each role's own topics only, and lets its relay claim and delete only those", async () => {
    const mismatches: string[] = [];
    for (const role of writers) {
      for (const topic of topics) {
        const expected = topicWriters(`${prefix}${topic}`).includes(role) ? 'ok' : 'refused';
        const own = STREAM_WRITES.find((w) => w.to.includes(role))!.prefix;
        const routed = new PostgresEventStore(pools.get(role)!, {
          route: () => ({ topic: `${prefix}${topic}`, key: 'k' }),
        });
        const outcome = await routed
          .append(`${own}${randomUUID()}`, [aRecordedEvent()], { expectedVersion: 'no-stream' })
          .then(() => 'ok', refused);
        if (outcome !== expected) mismatches.push(`${role} routes ${topic}: ${outcome}, listed ${expected}`);
        // The relay's claim and delete: another owner's rows are not there for it.
        const { rows } = await db.pool.query<{ id: string }>(
          `INSERT INTO event_store.outbox (topic, message_key, payload) VALUES ($1, 'k', '{}') RETURNING id`,
          [`${prefix}${topic}`],
        );
        const relay = await pools.get(role)!.connect();
        try {
          await relay.query('BEGIN');
          const claimed = await relay
            .query('SELECT id FROM event_store.outbox WHERE id = $1 FOR UPDATE SKIP LOCKED', [rows[0]!.id])
            .then((r) => (r.rowCount === 1 ? 'ok' : 'refused'), refused);
          const deleted = await relay
            .query('DELETE FROM event_store.outbox WHERE id = $1', [rows[0]!.id])
            .then((r) => (r.rowCount === 1 ? 'ok' : 'refused'), refused);
          await relay.query('ROLLBACK');
          // Notifications neither publish nor hold the privileges: they are refused by the table already.
          const relays = grantsOn('event_store', 'outbox').get(role)?.has('DELETE') ?? false;
          const may = relays ? expected : 'refused';
          if (relays && claimed !== may)
            mismatches.push(`${role} claims ${topic}: ${claimed}, listed ${may}`);
          if (relays && deleted !== may)
            mismatches.push(`${role} deletes ${topic}: ${deleted}, listed ${may}`);
        } finally {
          relay.release();
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('drops a stray policy, restores an altered one and secures the tables again at the next start', async () => {
    const [first] = rowPolicies().filter((p) => p.table === 'event_store.events' && p.command === 'INSERT');
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL ROLE ${OWNER_ROLES.eventStore}`);
      await client.query(
        `CREATE POLICY stray ON event_store.events FOR INSERT TO ${OWNER_ROLES.police} WITH CHECK (true)`,
      );
      await client.query(`ALTER POLICY ${first!.name} ON event_store.events WITH CHECK (true)`);
      await client.query('ALTER TABLE event_store.streams DISABLE ROW LEVEL SECURITY');
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const police = new PostgresEventStore(pools.get(OWNER_ROLES.police)!);
    const council = `council-${randomUUID()}`;
    await police.append(council, [aRecordedEvent()], { expectedVersion: 'no-stream' });
    await runMigrations(db.pool, []);
    expect(await policyNames()).toEqual(
      rowPolicies()
        .map((p) => p.name)
        .sort(),
    );
    await expect(
      police.append(`council-${randomUUID()}`, [aRecordedEvent()], { expectedVersion: 'no-stream' }),
    ).rejects.toMatchObject({ code: '42501' });
    const altered = rowPolicies().find((p) => p.name === first!.name)!;
    const own = new PostgresEventStore(pools.get(altered.role)!);
    const foreign = STREAM_WRITES.find((w) => !w.to.includes(altered.role))!.prefix;
    await expect(
      own.append(`${foreign}${randomUUID()}`, [aRecordedEvent()], { expectedVersion: 'no-stream' }),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('leaves no role but the tables’ owner past the rules', async () => {
    const { rows } = await db.pool.query<{ role: string }>(
      'SELECT rolname AS role FROM pg_roles WHERE rolbypassrls AND rolname = ANY($1)',
      [ALL_OWNER_ROLES],
    );
    expect(rows).toEqual([]);
  });
});

describe('a store made before the roles', () => {
  it('is handed to its owners at the next start, and keeps working as them', async () => {
    const db = await createTestDatabase();
    try {
      // The first migration as it ran before there were roles: by the login, who so owns what it made.
      await db.pool.query(
        readFileSync(join(EVENT_STORE_MIGRATIONS.directory, '001_event_store.sql'), 'utf8'),
      );
      await db.pool.query(
        "INSERT INTO public.jigsaw_migrations (component, version, name) VALUES ('event-store', 1, '001_event_store.sql')",
      );
      const before = await db.pool.query<{ owner: string }>(
        "SELECT tableowner AS owner FROM pg_tables WHERE schemaname = 'event_store' AND tablename = 'events'",
      );
      expect(before.rows[0]!.owner).not.toBe(OWNER_ROLES.eventStore);
      await runMigrations(db.pool, [EVENT_STORE_MIGRATIONS]);
      const after = await db.pool.query<{ schema: string; owners: string[] }>(
        `SELECT schemaname AS schema, array_agg(DISTINCT tableowner::text) AS owners FROM pg_tables
         WHERE schemaname IN ('event_store', 'keys') GROUP BY 1 ORDER BY 1`,
      );
      expect(after.rows).toEqual([
        { schema: 'event_store', owners: [OWNER_ROLES.eventStore] },
        { schema: 'keys', owners: [OWNER_ROLES.eventStore] },
      ]);
      const police = createPool(db.url, { role: OWNER_ROLES.police, max: 1 });
      try {
        await police.query("INSERT INTO event_store.streams (stream_id, version) VALUES ('police-x', 1)");
        await expect(police.query('DELETE FROM event_store.streams')).rejects.toMatchObject({
          code: '42501',
        });
      } finally {
        await police.end();
      }
    } finally {
      await db.drop();
    }
  });
});

describe("a service's pool", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  const whoAmI = async (pool: Pool): Promise<{ current: string; session: string }> =>
    (
      await pool.query<{ current: string; session: string }>(
        'SELECT current_user AS current, session_user AS session',
      )
    ).rows[0]!;

  it.each([...ALL_OWNER_ROLES])('runs every connection as its role: %s', async (role: OwnerRole) => {
    const pool = createPool(db.url, { role, max: 2 });
    try {
      const [a, b] = await Promise.all([whoAmI(pool), whoAmI(pool)]);
      expect(a.current).toBe(role);
      expect(b.current).toBe(role);
      expect(a.session).not.toBe(role);
    } finally {
      await pool.end();
    }
  });

  it("is the platform's pool, acting as the service's role after its migrations ran", async () => {
    const config = loadConfig(ServiceConfig, {
      JIGSAW_DEVELOPMENT: 'true',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers(),
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        PlatformModule.forRoot({
          name: 'ownership-spec',
          role: OWNER_ROLES.council,
          config,
          migrations: [EVENT_STORE_MIGRATIONS, IDENTITY_MIGRATIONS],
          topics: [`${uniqueTopicPrefix('ownership')}probe`],
        }),
      ],
    }).compile();
    try {
      const pool = moduleRef.get<Pool>(PG_POOL);
      expect((await whoAmI(pool)).current).toBe(OWNER_ROLES.council);
      await expect(pool.query('DELETE FROM event_store.events')).rejects.toMatchObject({
        code: '42501',
      });
    } finally {
      await moduleRef.close();
    }
  });
});
