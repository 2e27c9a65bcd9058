import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { withTransaction } from '@jigsaw/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore, type EventStore } from '@jigsaw/event-store';
import { appliedEventsMigrations } from '@jigsaw/projection';
import { createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import { notificationsMigrations, notificationStreamOf, type NewNotification } from '@jigsaw/view-model';
import { NotificationCommands, notificationIdOf, type NotificationIntent } from './notification-commands.js';
import { nameBasedId } from './notification-store.js';
import { HILLSIDE, LEEDS, MET } from './testing/notification-events.factory.js';

const SCHEMA = 'notifications_intents';
const RECIPIENTS = [
  { organisation: HILLSIDE, agency: 'education' },
  { organisation: LEEDS, agency: 'council' },
  { organisation: MET, agency: 'police' },
] as const;

function aNotification(recipient: (typeof RECIPIENTS)[number], dueAt?: string): NewNotification {
  const trigger = `${MET}|oe-${randomUUID()}`;
  return {
    dedupeKey: `operation-encompass|${recipient.organisation}|${trigger}`,
    kind: 'operation-encompass',
    childId: randomUUID(),
    triggerEventKey: trigger,
    recipient: { ...recipient },
    route: 'school-roll',
    details: {},
    ...(dueAt ? { dueAt: new Date(dueAt) } : {}),
  };
}

const raiseIntent = ({ dueAt, ...n }: NewNotification, hasWebhook: boolean): NotificationIntent => ({
  kind: 'raise',
  notification: { ...n, ...(dueAt ? { dueAt: dueAt.toISOString() } : {}) },
  hasWebhook,
});

/** The store as one without set-based writes: every intent goes through `handle`, one at a time. */
function oneAtATime(store: EventStore): EventStore {
  return {
    append: (...args) => store.append(...args),
    readStream: (id) => store.readStream(id),
    readAll: (options) => store.readAll(options),
    findEvent: (source, id) => store.findEvent(source, id),
    subscribe: (options) => store.subscribe(options),
  };
}

describe('recording notification intents on PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase([
      EVENT_STORE_MIGRATIONS,
      appliedEventsMigrations(SCHEMA),
      notificationsMigrations(SCHEMA),
    ]);
    store = new PostgresEventStore(db.pool);
  });
  afterAll(async () => db?.drop());

  const intend = (intents: readonly NotificationIntent[], at: Date): Promise<void> =>
    withTransaction(db.pool, async (tx) => {
      await tx.query(`SET LOCAL search_path TO "${SCHEMA}", public`);
      await NotificationCommands.intend(tx, intents, at);
    });

  /** Each notification's stream (event types and data, less ids and times the store gives) and its rows. */
  const recordOf = async (ids: readonly string[]): Promise<unknown> => {
    const streams = await Promise.all(
      ids.map(async (id) =>
        (await store.readStream(notificationStreamOf(id))).map(({ event }) => ({
          type: event.type,
          data: event.data,
        })),
      ),
    );
    const { rows: inbox } = await db.pool.query(
      `SELECT id, dedupe_key, kind, recipient_organisation, route, due_at, created_at FROM "${SCHEMA}".notifications
       WHERE id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], id)`,
      [ids],
    );
    const { rows: queue } = await db.pool.query(
      `SELECT id, notification_id, organisation, status, next_attempt_at FROM "${SCHEMA}".notification_deliveries
       WHERE notification_id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], notification_id)`,
      [ids],
    );
    return { streams, inbox, queue };
  };

  const waiting = async (): Promise<number> =>
    Number((await db.pool.query(`SELECT count(*) AS n FROM "${SCHEMA}".notification_intents`)).rows[0].n);

  it('records a set of raises as one write, each raised once, exactly as one at a time would', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            recipient: fc.constantFrom(...RECIPIENTS),
            hasWebhook: fc.boolean(),
            due: fc.option(
              fc.date({ min: new Date('2026-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }),
            ),
            // Raised before by the path the set must agree with (another replica, or before a crash).
            raisedBefore: fc.boolean(),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.integer({ min: 1, max: 15 }),
        async (specs, limit) => {
          const at = new Date('2026-11-20T06:12:00Z');
          // The same notifications twice over: once for the set, once for the one-at-a-time path.
          const runs = [0, 1].map(() =>
            specs.map((s) => ({ ...s, notification: aNotification(s.recipient, s.due?.toISOString()) })),
          );
          const single = new NotificationCommands(db.pool, oneAtATime(store), SCHEMA);
          const set = new NotificationCommands(db.pool, store, SCHEMA);
          // What was raised before: for both runs, one at a time.
          for (const run of runs) {
            const before = run
              .filter((s) => s.raisedBefore)
              .map((s) => raiseIntent(s.notification, s.hasWebhook));
            await intend(before, at);
            await single.recordAllIntents();
          }
          const [bySet, byOne] = runs;
          await intend(
            bySet!.map((s) => raiseIntent(s.notification, s.hasWebhook)),
            at,
          );
          const recorded = await set.recordAllIntents(limit);
          expect(recorded).toBe(specs.length);
          expect(await waiting()).toBe(0);
          await intend(
            byOne!.map((s) => raiseIntent(s.notification, s.hasWebhook)),
            at,
          );
          await single.recordAllIntents(limit);
          expect(await waiting()).toBe(0);

          // The two runs' notifications differ only in what names them: compare them with that taken out.
          const neutral = (value: unknown, run: typeof bySet): unknown => {
            let text = JSON.stringify(value);
            run!.forEach((s, i) => {
              const id = notificationIdOf(s.notification);
              for (const [from, to] of [
                [id, `n${i}`],
                [nameBasedId(`delivery|${id}|${s.notification.recipient.organisation}`), `d${i}`],
                [s.notification.dedupeKey, `k${i}`],
                [s.notification.triggerEventKey, `t${i}`],
                [s.notification.childId, `c${i}`],
              ] as const)
                text = text.split(from).join(to);
            });
            return JSON.parse(text);
          };
          const idsOf = (run: typeof bySet): string[] => run!.map((s) => notificationIdOf(s.notification));
          const setRecord = await recordOf(idsOf(bySet));
          expect(neutral(setRecord, bySet)).toEqual(neutral(await recordOf(idsOf(byOne)), byOne));
          // Each raised exactly once, whatever was raised before.
          const { streams } = setRecord as { streams: { type: string }[][] };
          expect(streams.map((s) => s.filter((e) => e.type === 'hub.notification-raised').length)).toEqual(
            specs.map(() => 1),
          );
        },
      ),
      { numRuns: 25 },
    );
  });

  it('raises each notification once when two replicas record the same intents at once', async () => {
    const at = new Date('2026-11-20T06:12:00Z');
    const notifications = Array.from({ length: 120 }, (_, i) => aNotification(RECIPIENTS[i % 3]!));
    await intend(
      notifications.map((n) => raiseIntent(n, true)),
      at,
    );
    const replicas = [0, 1, 2].map(() => new NotificationCommands(db.pool, store, SCHEMA));
    await Promise.all(replicas.map((r) => r.recordAllIntents(25)));
    expect(await waiting()).toBe(0);
    const ids = notifications.map(notificationIdOf);
    const streams = await store.readStreams(ids.map(notificationStreamOf));
    expect(ids.filter((id) => streams.get(notificationStreamOf(id))?.length !== 1)).toEqual([]);
    const { rows } = await db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${SCHEMA}".notification_deliveries WHERE notification_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(Number(rows[0]!.n)).toBe(ids.length);
  });

  it('records recalls beside raises, and an intent left by a crash after its write changes nothing', async () => {
    const at = new Date('2026-11-20T06:12:00Z');
    const commands = new NotificationCommands(db.pool, store, SCHEMA);
    const n = aNotification(RECIPIENTS[0]);
    await intend([raiseIntent(n, true)], at);
    await commands.recordAllIntents();
    const id = notificationIdOf(n);
    // Delivered, so a recall has something to take back.
    const raised = (await store.readStream(notificationStreamOf(id)))[0]!.event.data as {
      delivery: { deliveryId: string };
    };
    await commands.handle(id, {
      type: 'record-attempt',
      now: at,
      deliveryId: raised.delivery.deliveryId,
      attempt: 1,
      result: { outcome: 'delivered', httpStatus: 200 },
    });
    // The raise again (a crash before its intent was deleted) and a recall, in one set.
    await intend([raiseIntent(n, true), { kind: 'recall', notificationId: id, organisation: HILLSIDE }], at);
    expect(await commands.recordAllIntents()).toBe(2);
    expect(await waiting()).toBe(0);
    const types = (await store.readStream(notificationStreamOf(id))).map((s) => s.event.type);
    expect(types.filter((t) => t === 'hub.notification-raised')).toHaveLength(1);
    expect(types).toContain('hub.notification-recalled');
  });
});
