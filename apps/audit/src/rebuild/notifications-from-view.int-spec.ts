import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPool, OWNER_ROLES, runMigrations, withTransaction, type Pool } from '@jigsaw/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { appliedEventsMigrations, applyEvents, eventKeyOf } from '@jigsaw/projection';
import { aRecordedEvent, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import {
  liveNotificationsMigrations,
  NOTIFICATIONS_SCHEMA_NAME,
  notificationsMigrations,
  notificationsReadModelProjection,
  notificationStreamOf,
  READ_MODEL_OWNERS,
  viewMigrations,
  VIEW_SCHEMA,
  type NotificationEvent,
} from '@jigsaw/view-model';
import { AUDIT_MIGRATIONS } from '../audit.js';
import { anAcknowledgedNotification } from '../testing/notification.factory.js';
import { ReadModelRebuilds } from './read-model-rebuilds.js';

const MOVED = [
  'notifications',
  'notification_deliveries',
  'notification_delivery_attempts',
  'notification_intents',
  'notification_schools',
];
const SCHOOL = 'urn:jigsaw:org:education:school-100001';

/** Every row of each table in `schema`, as JSON, in a stable order. */
async function contentsOf(pool: Pool, schema: string): Promise<Record<string, string[]>> {
  const contents: Record<string, string[]> = {};
  for (const table of MOVED) {
    const { rows } = await pool.query<{ row: string }>(
      `SELECT to_jsonb(t)::text AS row FROM "${schema}"."${table}" t ORDER BY 1`,
    );
    contents[table] = rows.map((r) => r.row);
  }
  return contents;
}

/**
 * A store made while the notifications' read models lived in the view's schema: their tables there, made by
 * the same statements the view's migrations ran, as the view's role, and the notification events projected
 * into them marked in the view's applied events.
 */
describe("a store made before the notifications' tables were their own", () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let before: Record<string, string[]>;
  const agencyRecord = aRecordedEvent();
  const events: NotificationEvent[] = [];

  beforeAll(async () => {
    db = await createTestDatabase([
      EVENT_STORE_MIGRATIONS,
      AUDIT_MIGRATIONS,
      appliedEventsMigrations(VIEW_SCHEMA),
      viewMigrations(VIEW_SCHEMA),
    ]);
    store = new PostgresEventStore(db.pool);
    const directory = notificationsMigrations(NOTIFICATIONS_SCHEMA_NAME).directory;
    await withTransaction(db.pool, async (tx) => {
      await tx.query(`SET LOCAL ROLE ${OWNER_ROLES.view}`);
      await tx.query(`SET LOCAL search_path TO "${VIEW_SCHEMA}", public`);
      for (const file of ['003_notifications.sql', '004_notification_intents.sql'])
        await tx.query(readFileSync(join(directory, file), 'utf8'));
    });
    // The live view's applied events: an agency record it projected, which stays its own.
    await db.pool.query(`INSERT INTO "${VIEW_SCHEMA}".applied_events (event_key) VALUES ($1)`, [
      eventKeyOf(agencyRecord),
    ]);
    // A notification raised with its webhook delivery, then acknowledged, projected as the old code did.
    const notification = anAcknowledgedNotification(agencyRecord.childid, eventKeyOf(agencyRecord));
    const { notificationId } = notification;
    events.push(...notification.events);
    await store.append(notificationStreamOf(notificationId), events, {
      expectedVersion: 'no-stream',
      before: async (tx) => {
        await applyEvents(tx, VIEW_SCHEMA, [notificationsReadModelProjection], events);
      },
    });
    // The rest of what was kept there: an attempt, an intent not yet recorded, a school learnt from a roll.
    const [delivery] = (await db.pool.query<{ id: string }>(`SELECT id FROM view.notification_deliveries`))
      .rows;
    await db.pool.query(
      `INSERT INTO view.notification_delivery_attempts (delivery_id, attempt, started_at) VALUES ($1, 1, now())`,
      [delivery!.id],
    );
    await db.pool.query(
      `INSERT INTO view.notification_intents (intent_key, intent, decided_at) VALUES ('raise|x', '{"kind":"raise"}', now())`,
    );
    await db.pool.query(
      `INSERT INTO view.notification_schools (urn, organisation, name, seen_at) VALUES ('100001', $1, 'Hillside', now())`,
      [SCHOOL],
    );
    before = await contentsOf(db.pool, VIEW_SCHEMA);
    expect(Object.values(before).map((rows) => rows.length)).toEqual([1, 1, 1, 1, 1]);

    // The notifications service starts on it.
    await runMigrations(db.pool, liveNotificationsMigrations());
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("moves every table, row for row, into the notifications' schema, theirs alone", async () => {
    expect(await contentsOf(db.pool, NOTIFICATIONS_SCHEMA_NAME)).toEqual(before);
    const { rows } = await db.pool.query<{ name: string; left: string | null; owner: string }>(
      `SELECT t AS name, to_regclass(format('view.%I', t))::text AS left,
              (SELECT tableowner FROM pg_tables WHERE schemaname = 'notifications' AND tablename = t) AS owner
       FROM unnest($1::text[]) AS t`,
      [MOVED],
    );
    expect(rows).toEqual(MOVED.map((name) => ({ name, left: null, owner: OWNER_ROLES.notifications })));
    // The view's role keeps nothing on them.
    const view = createPool(db.url, { role: OWNER_ROLES.view, max: 1 });
    try {
      await expect(view.query('SELECT 1 FROM notifications.notifications')).rejects.toMatchObject({
        code: '42501',
      });
    } finally {
      await view.end();
    }
  });

  it('takes the indexes with the tables', async () => {
    const { rows } = await db.pool.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = 'notifications' AND tablename = ANY($1) ORDER BY 1`,
      [MOVED],
    );
    expect(rows.map((r) => r.indexname)).toEqual(
      expect.arrayContaining([
        'notification_deliveries_due',
        'notification_intents_oldest',
        'notifications_by_child',
        'notifications_by_trigger',
        'notifications_falling_due',
        'notifications_inbox',
      ]),
    );
  });

  it("moves the notification events' marks, and leaves the view's own", async () => {
    const marks = async (schema: string): Promise<string[]> =>
      (
        await db.pool.query<{ event_key: string }>(
          `SELECT event_key FROM "${schema}".applied_events ORDER BY 1`,
        )
      ).rows.map((r) => r.event_key);
    expect(await marks(NOTIFICATIONS_SCHEMA_NAME)).toEqual(events.map(eventKeyOf).sort());
    expect(await marks(VIEW_SCHEMA)).toEqual([eventKeyOf(agencyRecord)]);
  });

  it('rebuilds into the moved read models with no differences', async () => {
    const owner = READ_MODEL_OWNERS.find((o) => o.liveSchema === NOTIFICATIONS_SCHEMA_NAME)!;
    const pool = createPool(db.url, { role: owner.role, max: 4 });
    try {
      const rebuilds = new ReadModelRebuilds(pool, store, owner, undefined, db.pool);
      const { schema, applied } = await rebuilds.rebuild();
      expect(applied).toBe(events.length);
      const compared = await rebuilds.compare(schema);
      expect(compared).toMatchObject({ differences: [], structure: [], aheadOfLive: 0 });
      expect(compared.tables).toEqual([
        { table: 'notifications', liveRows: 1, rebuiltRows: 1, differences: 0 },
        { table: 'notification_deliveries', liveRows: 1, rebuiltRows: 1, differences: 0 },
      ]);
      await rebuilds.drop(schema);
    } finally {
      await pool.end();
    }
  });

  it('does nothing at the next start', async () => {
    expect(await runMigrations(db.pool, liveNotificationsMigrations())).toEqual([]);
    expect(await contentsOf(db.pool, NOTIFICATIONS_SCHEMA_NAME)).toEqual(before);
  });
});
