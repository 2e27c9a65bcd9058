import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  agencyOfSource,
  contentHash,
  SchemaRegistry,
  toCloudEvent,
  type RecordedEvent,
} from '@jigsaw/envelope';
import { isErased, OpeningEventStore, PersonalDataVault } from '@jigsaw/erasure';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { appliedEventsMigrations, ProjectionRunner } from '@jigsaw/projection';
import type { Viewer } from '@jigsaw/sharing';
import { createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import {
  AccessLog,
  isNotificationEvent,
  NOTIFICATION_EVENT_TYPES,
  notificationStreamOf,
  notificationsMigrations,
} from '@jigsaw/view-model';
import { ChildHistoryReader } from './child-history.js';
import { SettableClock } from './clock.js';
import { DeliveryDispatcher } from './delivery-dispatcher.js';
import { Escalator } from './escalator.js';
import { NotificationCommands } from './notification-commands.js';
import { NotificationInbox } from './notification-inbox.js';
import { NOTIFICATION_DEFAULTS, type NotificationSettings } from './notifications.config.js';
import { NotificationsProjection } from './notifications.projection.js';
import { aWebhookSecret } from './testing/standard-webhooks.js';
import { WebhookReceiver } from './testing/webhook-receiver.js';
import {
  aChild,
  anAttendance,
  anIncident,
  aPlanStarted,
  aPupilOnRoll,
  aRetraction,
  HILLSIDE,
  LEEDS,
  recorded,
} from './testing/notification-events.factory.js';

/** The notifications' schema: their own tables and their read models, as in the service. */
const SCHEMA = 'notifications_contracts';
const MASTER_KEY = randomBytes(32).toString('base64');
const registry = new SchemaRegistry();
const DPO = { userId: 'dpo-1', role: 'data-protection-officer', organisation: LEEDS };

const socialWorker: Viewer = {
  agency: 'council',
  organisation: LEEDS,
  role: 'social-worker',
  purpose: 'safeguarding',
  userId: 'sw-1',
};

/**
 * The notifications the hub writes for one child, through the real handlers on PostgreSQL: raised by the
 * projection from the child's records, delivered to a school's webhook after a failure, acknowledged,
 * escalated at the deadline, recalled when the force retracts. Then the child is erased.
 */
describe('the notification events the hub writes, on PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let vault: PersonalDataVault;
  const receiver = new WebhookReceiver((_id, nth) => (nth === 1 ? 503 : 204));
  const clock = new SettableClock('2026-11-20T23:00:00Z');
  const child = aChild();
  const tag = randomBytes(4).toString('hex');
  /** What the child's own records say of them: never to be found in a notification, erased or not. */
  const secrets = [
    child.nhsNumber,
    child.upn,
    `Given${tag}`,
    `Family${tag}`,
    `Incident summary ${tag}`,
    `Narrative ${tag}`,
    `Fracture ${tag}`,
  ];

  const incident = anIncident(child, { occurredAt: '2026-11-20T22:40:00Z' });
  incident.subject = { ...incident.subject, name: { given: `Given${tag}`, family: `Family${tag}` } };
  incident.data = {
    ...(incident.data as object),
    summary: `Incident summary ${tag}`,
    narrative: `Narrative ${tag}`,
  };
  const attendance = anAttendance(child, { arrivedAt: '2026-11-20T22:10:00Z' });
  attendance.data = {
    ...(attendance.data as object),
    reason: { system: 'http://snomed.info/sct', code: '125605004', display: `Fracture ${tag}` },
  };
  const records: RecordedEvent[] = [
    recorded(aPupilOnRoll(child, { onRollFrom: '2021-09-01' }), child, '2026-09-01T10:00:00Z'),
    recorded(aPlanStarted(child, { startDate: '2026-06-02', contactTeam: 'Leeds North CP team' }), child),
    recorded(incident, child, clock.now()),
    recorded(attendance, child, clock.now()),
  ];

  let runner: ProjectionRunner;
  let commands: NotificationCommands;
  let dispatcher: DeliveryDispatcher;
  let escalator: Escalator;
  let inbox: NotificationInbox;

  /** As ingest does: sealed with the child's key, then opened by the view's consumer and projected. */
  const ingest = async (event: RecordedEvent): Promise<void> => {
    const [sealed] = await vault.sealAll([event], child.childid);
    await store.append(`${agencyOfSource(event.source)}-${child.childid}`, [sealed!], {
      expectedVersion: 'any',
      contentHashes: [contentHash(event)],
    });
    const [opened] = await vault.openAll([sealed!]);
    await runner.apply(opened!);
    await commands.recordIntents();
  };

  beforeAll(async () => {
    db = await createTestDatabase([
      EVENT_STORE_MIGRATIONS,
      appliedEventsMigrations(SCHEMA),
      notificationsMigrations(SCHEMA),
    ]);
    const url = await receiver.listen();
    const secret = aWebhookSecret();
    const settings: NotificationSettings = {
      ...NOTIFICATION_DEFAULTS,
      NOTIFICATION_MAX_AGE_DAYS: 30,
      NOTIFICATION_WEBHOOKS: JSON.stringify([{ organisation: HILLSIDE, url, secret }]),
    };
    const children = new ChildHistoryReader(SCHEMA);
    store = new PostgresEventStore(db.pool);
    vault = new PersonalDataVault(db.pool, { masterKey: MASTER_KEY });
    commands = new NotificationCommands(db.pool, store, SCHEMA);
    runner = new ProjectionRunner(
      db.pool,
      SCHEMA,
      [new NotificationsProjection(settings, clock, children, SCHEMA)],
      registry,
    );
    dispatcher = new DeliveryDispatcher(db.pool, SCHEMA, settings, clock, children, commands);
    escalator = new Escalator(db.pool, SCHEMA, settings, clock, children, store, commands);
    inbox = new NotificationInbox(db.pool, SCHEMA, clock, children, new AccessLog(store), commands);

    for (const event of records) await ingest(event);
    await dispatcher.dispatchDue();
    clock.set('2026-11-21T06:00:00Z');
    await dispatcher.dispatchDue();
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT id FROM "${SCHEMA}".notifications WHERE kind = 'cp-is' AND child_id = $1`,
      [child.childid],
    );
    await inbox.acknowledge(socialWorker, rows[0]!.id);
    clock.set('2026-11-23T08:30:00Z');
    await escalator.escalateOverdue();
    await commands.recordIntents();
    await ingest(recorded(aRetraction(incident, child), child, clock.now()));
  }, 120_000);

  afterAll(async () => {
    await receiver.close();
    await db?.drop();
  });

  /** Every event of every notification stream about the child, as stored. */
  const notificationEvents = async (): Promise<RecordedEvent[]> => {
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT id FROM "${SCHEMA}".notifications WHERE child_id = $1 ORDER BY created_at, id`,
      [child.childid],
    );
    const reader = new OpeningEventStore(store, vault);
    const streams = await Promise.all(rows.map(({ id }) => reader.readStream(notificationStreamOf(id))));
    return streams.flat().map((stored) => stored.event);
  };

  /** The stored notification events and the inbox and work-queue rows about the child, as text. */
  const storedText = async (): Promise<string> => {
    const events = await db.pool.query<{ payload: string }>(
      "SELECT payload::text FROM event_store.events WHERE stream_id LIKE 'notification-%'",
    );
    const inboxRows = await db.pool.query<{ row: string }>(
      `SELECT to_jsonb(n)::text AS row FROM "${SCHEMA}".notifications n WHERE child_id = $1`,
      [child.childid],
    );
    const deliveries = await db.pool.query<{ row: string }>(
      `SELECT to_jsonb(d)::text AS row FROM "${SCHEMA}".notification_deliveries d
       JOIN "${SCHEMA}".notifications n ON n.id = d.notification_id WHERE n.child_id = $1`,
      [child.childid],
    );
    return [
      ...events.rows.map((r) => r.payload),
      ...[...inboxRows.rows, ...deliveries.rows].map((r) => r.row),
    ].join('\n');
  };

  it('writes every kind of notification event, each valid against its schema with the validator ingest uses', async () => {
    const events = await notificationEvents();
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(NOTIFICATION_EVENT_TYPES));
    for (const event of events) {
      expect([event.type, event.id, registry.validateEnvelope(toCloudEvent(event))]).toEqual([
        event.type,
        event.id,
        [],
      ]);
    }
    expect(receiver.accepted).toHaveLength(1);
  });

  it("never copies the child's own words or identifiers into a notification, its stream or the inbox", async () => {
    expect(await storedText()).toContain(child.childid);
    const text = await storedText();
    for (const secret of secrets) expect([secret, text.includes(secret)]).toEqual([secret, false]);
  });

  it("after the child's erasure, the records are unreadable and the notifications still hold nothing of them", async () => {
    const before = await notificationEvents();
    await vault.eraseChild(child.childid, DPO, 'Retention period ended (decision DPO-2026-118)');

    const reader = new OpeningEventStore(store, new PersonalDataVault(db.pool, { masterKey: MASTER_KEY }));
    const agencyRecords = (
      await Promise.all(
        ['education', 'council', 'police', 'health'].map((agency) =>
          reader.readStream(`${agency}-${child.childid}`),
        ),
      )
    )
      .flat()
      .map((stored) => stored.event);
    expect(agencyRecords).toHaveLength(records.length + 1);
    expect(agencyRecords.every(isErased)).toBe(true);

    // The notifications carry no personal data of the child: the erasure has nothing of theirs to take.
    const after = await notificationEvents();
    expect(after).toEqual(before);
    expect(after.every((event) => isNotificationEvent(event) && !isErased(event))).toBe(true);
    for (const event of after) expect(registry.validateEnvelope(toCloudEvent(event))).toEqual([]);
    const text = await storedText();
    for (const secret of secrets) expect([secret, text.includes(secret)]).toEqual([secret, false]);
  });
});
