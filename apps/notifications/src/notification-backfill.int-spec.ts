import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SchemaRegistry, toCloudEvent } from '@jigsaw/envelope';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { appliedEventsMigrations, rebuild } from '@jigsaw/projection';
import { createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import {
  notificationStreamOf,
  readModelProjections,
  NOTIFICATION_READ_MODELS,
  notificationsMigrations,
  type NotificationDetails,
} from '@jigsaw/view-model';
import { backfillNotifications, NotificationBackfill } from './notification-backfill.js';
import { nameBasedId } from './notification-store.js';
import { HILLSIDE, LEEDS, MET } from './testing/notification-events.factory.js';

const SCHEMA = 'notifications_backfill';
const REBUILT = 'notifications_backfill_rebuilt';
const MODEL = NOTIFICATION_READ_MODELS.find((m) => m.name === 'notifications')!;

interface LegacyRow {
  dedupeKey: string;
  kind: 'cp-is' | 'operation-encompass' | 'escalation';
  recipient: string;
  agency: string;
  route: string;
  details: NotificationDetails;
  createdAt: string;
  dueAt?: string;
  escalationOf?: string;
  acknowledged?: { at: string; by: { sub: string; role: string; organisation: string } };
  escalated?: { at: string; outcome: 'escalated' | 'not-shared' };
}

interface LegacyDelivery {
  kind?: 'notification' | 'recall';
  organisation: string;
  status: 'pending' | 'delivered' | 'failed' | 'cancelled';
  createdAt: string;
  nextAttemptAt: string;
  finishedAt?: string;
  lastError?: string;
  /** Each attempt as the legacy dispatcher recorded it: when it started and what the receiver answered. */
  attempts: { startedAt: string; outcome: string; httpStatus?: number; error?: string }[];
}

const SCHOOL = { urn: '123456', name: 'Hillside Primary School' };

/**
 * Notifications as the view wrote them before they had streams: rows in the inbox and the work-queue,
 * every attempt in notification_delivery_attempts, and no event anywhere.
 */
describe('backfilling notifications written before they had streams, on PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const childId = randomUUID();
  const trigger = `${MET}|oe-${randomUUID()}`;

  const insert = async (row: LegacyRow, deliveries: LegacyDelivery[] = []): Promise<string> => {
    const id = nameBasedId(`notification|${row.dedupeKey}`);
    await db.pool.query(
      `INSERT INTO "${SCHEMA}".notifications (id, dedupe_key, kind, child_id, trigger_event_key,
         recipient_organisation, recipient_agency, route, details, escalation_of, due_at, created_at,
         acknowledged_at, acknowledged_by, escalated_at, escalation_outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        id,
        row.dedupeKey,
        row.kind,
        childId,
        trigger,
        row.recipient,
        row.agency,
        row.route,
        JSON.stringify(row.details),
        row.escalationOf ?? null,
        row.dueAt ?? null,
        row.createdAt,
        row.acknowledged?.at ?? null,
        row.acknowledged ? JSON.stringify(row.acknowledged.by) : null,
        row.escalated?.at ?? null,
        row.escalated?.outcome ?? null,
      ],
    );
    for (const d of deliveries) {
      const kind = d.kind ?? 'notification';
      const deliveryId = nameBasedId(`${kind === 'recall' ? 'recall' : 'delivery'}|${id}|${d.organisation}`);
      await db.pool.query(
        `INSERT INTO "${SCHEMA}".notification_deliveries (id, notification_id, organisation, kind, status,
           attempts, next_attempt_at, created_at, finished_at, last_error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          deliveryId,
          id,
          d.organisation,
          kind,
          d.status,
          d.attempts.length,
          d.nextAttemptAt,
          d.createdAt,
          d.finishedAt ?? null,
          d.lastError ?? null,
        ],
      );
      for (const [i, a] of d.attempts.entries()) {
        await db.pool.query(
          `INSERT INTO "${SCHEMA}".notification_delivery_attempts
             (delivery_id, attempt, started_at, finished_at, outcome, http_status, error)
           VALUES ($1, $2, $3, $3, $4, $5, $6)`,
          [deliveryId, i + 1, a.startedAt, a.outcome, a.httpStatus ?? null, a.error ?? null],
        );
      }
    }
    return id;
  };

  const ids: Record<string, string> = {};
  type Rows = Record<string, Record<string, unknown>[]>;
  const rowsIn = async (schema: string): Promise<Rows> => ({
    notifications: (await db.pool.query(`SELECT * FROM "${schema}".notifications ORDER BY id`)).rows,
    notification_deliveries: (
      await db.pool.query(
        `SELECT id, notification_id, organisation, kind, status, next_attempt_at, created_at, finished_at,
           last_error
         FROM "${schema}".notification_deliveries ORDER BY id`,
      )
    ).rows,
  });
  let legacy: Rows;

  beforeAll(async () => {
    db = await createTestDatabase([
      EVENT_STORE_MIGRATIONS,
      ...[SCHEMA, REBUILT].flatMap((schema) => [
        appliedEventsMigrations(schema),
        notificationsMigrations(schema),
      ]),
    ]);
    store = new PostgresEventStore(db.pool);

    // Told to the school, delivered at the second attempt, acknowledged by the DSL.
    ids['acknowledged'] = await insert(
      {
        dedupeKey: `operation-encompass|${trigger}`,
        kind: 'operation-encompass',
        recipient: HILLSIDE,
        agency: 'education',
        route: 'school-roll',
        details: { school: SCHOOL, addressee: { name: 'Ms Example', role: 'designated-safeguarding-lead' } },
        createdAt: '2026-11-20T23:00:00Z',
        dueAt: '2026-11-23T08:30:00Z',
        acknowledged: {
          at: '2026-11-23T07:45:00Z',
          by: { sub: 'dsl-1', role: 'designated-safeguarding-lead', organisation: HILLSIDE },
        },
      },
      [
        {
          organisation: HILLSIDE,
          status: 'delivered',
          createdAt: '2026-11-20T23:00:00Z',
          // The legacy dispatcher moved the next attempt on after every outcome, the last one included.
          nextAttemptAt: '2026-11-20T23:02:01Z',
          finishedAt: '2026-11-20T23:01:01Z',
          attempts: [
            { startedAt: '2026-11-20T23:00:01Z', outcome: 'failed', httpStatus: 503, error: 'answered 503' },
            { startedAt: '2026-11-20T23:01:01Z', outcome: 'delivered', httpStatus: 204 },
          ],
        },
      ],
    );
    // Told to another school, its delivery still being retried, escalated to the force and the council.
    const escalatedId = nameBasedId(`notification|operation-encompass|${trigger}|oakwood`);
    const [toForce, toCouncil] = [MET, LEEDS].map((o) =>
      nameBasedId(`notification|escalation|${escalatedId}|${o}`),
    );
    ids['escalated'] = await insert(
      {
        dedupeKey: `operation-encompass|${trigger}|oakwood`,
        kind: 'operation-encompass',
        recipient: HILLSIDE,
        agency: 'education',
        route: 'school-named-by-police',
        details: { school: SCHOOL },
        createdAt: '2026-11-20T23:00:00Z',
        dueAt: '2026-11-23T08:30:00Z',
        escalated: { at: '2026-11-23T08:30:00Z', outcome: 'escalated' },
      },
      [
        {
          organisation: HILLSIDE,
          status: 'pending',
          createdAt: '2026-11-20T23:00:00Z',
          nextAttemptAt: '2026-11-23T09:00:00Z',
          lastError: 'ECONNREFUSED',
          attempts: [{ startedAt: '2026-11-20T23:00:01Z', outcome: 'failed', error: 'ECONNREFUSED' }],
        },
      ],
    );
    const escalation = (organisation: string, agency: string, route: string): LegacyRow => ({
      dedupeKey: `escalation|${escalatedId}|${organisation}`,
      kind: 'escalation',
      recipient: organisation,
      agency,
      route,
      escalationOf: escalatedId,
      details: {
        escalation: {
          of: escalatedId,
          recipient: { organisation: HILLSIDE, agency: 'education', route: 'school-named-by-police' },
          dueAt: '2026-11-23T08:30:00.000Z',
        },
      },
      createdAt: '2026-11-23T08:30:00Z',
    });
    expect(
      await insert(escalation(MET, 'police', 'raised-by'), [
        {
          organisation: MET,
          status: 'failed',
          createdAt: '2026-11-23T08:30:00Z',
          nextAttemptAt: '2026-11-23T08:40:00Z',
          finishedAt: '2026-11-23T08:35:00Z',
          lastError: 'answered 500',
          attempts: [
            { startedAt: '2026-11-23T08:31:00Z', outcome: 'failed', httpStatus: 500, error: 'answered 500' },
            { startedAt: '2026-11-23T08:35:00Z', outcome: 'failed', httpStatus: 500, error: 'answered 500' },
          ],
        },
      ]),
    ).toBe(toForce);
    expect(await insert(escalation(LEEDS, 'council', 'council-for-child'))).toBe(toCouncil);
    // A CP-IS notice to the council's inbox, escalated to nobody: its event no longer stood.
    ids['not-shared'] = await insert({
      dedupeKey: `cp-is|${trigger}|${LEEDS}`,
      kind: 'cp-is',
      recipient: LEEDS,
      agency: 'council',
      route: 'responsible-council',
      details: {
        careStatuses: [{ kind: 'child-protection-plan', startDate: '2026-06-02', inForce: true }],
        statusEvents: [`${LEEDS}|cpp-1`],
      },
      createdAt: '2026-11-20T22:11:00Z',
      dueAt: '2026-11-21T22:11:00Z',
      escalated: { at: '2026-11-21T22:11:00Z', outcome: 'not-shared' },
    });
    // Delivered, then recalled when the force retracted; the recall is not sent yet.
    ids['recalled'] = await insert(
      {
        dedupeKey: `operation-encompass|${trigger}|recalled`,
        kind: 'operation-encompass',
        recipient: HILLSIDE,
        agency: 'education',
        route: 'school-roll',
        details: { school: SCHOOL },
        createdAt: '2026-11-20T23:00:00Z',
        dueAt: '2026-11-23T08:30:00Z',
      },
      [
        {
          organisation: HILLSIDE,
          status: 'delivered',
          createdAt: '2026-11-20T23:00:00Z',
          nextAttemptAt: '2026-11-20T23:01:00Z',
          finishedAt: '2026-11-20T23:00:01Z',
          attempts: [{ startedAt: '2026-11-20T23:00:01Z', outcome: 'delivered', httpStatus: 200 }],
        },
        {
          kind: 'recall',
          organisation: HILLSIDE,
          status: 'cancelled',
          createdAt: '2026-11-21T10:00:00Z',
          nextAttemptAt: '2026-11-21T10:01:00Z',
          finishedAt: '2026-11-21T10:00:01Z',
          lastError: 'the event stands again',
          attempts: [
            { startedAt: '2026-11-21T10:00:01Z', outcome: 'cancelled', error: 'the event stands again' },
          ],
        },
      ],
    );
    legacy = await rowsIn(SCHEMA);
  });
  afterAll(async () => db?.drop());

  it('gives each legacy notification its stream once, however often it runs', async () => {
    const first = await backfillNotifications(db.pool, store, SCHEMA, 2);
    expect(first.refused).toEqual([]);
    expect(first.raced).toEqual([]);
    expect([...first.backfilled].sort()).toEqual(legacy['notifications']!.map((r) => r['id']).sort());
    expect(await backfillNotifications(db.pool, store, SCHEMA)).toEqual({
      backfilled: [],
      raced: [],
      refused: [],
    });
    // As the view starts: nothing left to do.
    await new NotificationBackfill(db.pool, store, SCHEMA).onModuleInit();
    for (const id of first.backfilled)
      expect((await store.readStream(notificationStreamOf(id))).length).toBeGreaterThan(0);
  });

  it('writes events that meet their schemas, telling each row as it was', async () => {
    const registry = new SchemaRegistry();
    const typesOf = async (id: string): Promise<string[]> => {
      const events = (await store.readStream(notificationStreamOf(id))).map((s) => s.event);
      for (const event of events) expect(registry.validateEnvelope(toCloudEvent(event))).toEqual([]);
      return events.map((e) => e.type);
    };
    expect(await typesOf(ids['acknowledged']!)).toEqual([
      'hub.notification-raised',
      'hub.notification-delivered',
      'hub.notification-acknowledged',
    ]);
    expect(await typesOf(ids['escalated']!)).toEqual([
      'hub.notification-raised',
      'hub.notification-delivery-failed',
      'hub.notification-escalated',
    ]);
    expect(await typesOf(ids['not-shared']!)).toEqual([
      'hub.notification-raised',
      'hub.notification-escalated',
    ]);
    expect(await typesOf(ids['recalled']!)).toEqual([
      'hub.notification-raised',
      'hub.notification-delivered',
      'hub.notification-recalled',
      'hub.notification-delivery-failed',
    ]);
  });

  it('leaves rows a rebuild makes again exactly, and as they were but for a finished delivery’s unused next attempt', async () => {
    const live = await rowsIn(SCHEMA);
    expect(live['notifications']).toHaveLength(6);
    expect(live['notification_deliveries']).toHaveLength(5);
    const applied = async (schema: string): Promise<number> =>
      (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".applied_events`))
        .rows[0]!.n;
    await rebuild(db.pool, store, REBUILT, readModelProjections({ pool: db.pool }, [MODEL]), {
      reachedHead: async () => (await applied(REBUILT)) >= (await applied(SCHEMA)),
    });
    expect(await rowsIn(REBUILT)).toEqual(live);

    const unusedNextAttempt = (rows: Rows): Rows => ({
      ...rows,
      notification_deliveries: rows['notification_deliveries']!.map((d) =>
        d['status'] === 'pending' ? d : { ...d, next_attempt_at: 'unused once finished' },
      ),
    });
    expect(unusedNextAttempt(live)).toEqual(unusedNextAttempt(legacy));
  });
});
