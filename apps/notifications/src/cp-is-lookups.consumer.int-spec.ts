import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig, ServiceConfig } from '@jigsaw/config';
import { SchemaRegistry, toCloudEvent, type RecordedEvent } from '@jigsaw/envelope';
import { EVENT_STORE_MIGRATIONS, OutboxRelay, PostgresEventStore } from '@jigsaw/event-store';
import { deadLetterTopic, KafkaMessaging, type Publisher } from '@jigsaw/messaging';
import { appliedEventsMigrations } from '@jigsaw/projection';
import type { Viewer } from '@jigsaw/sharing';
import {
  createTestDatabase,
  eventually,
  testBrokers,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@jigsaw/testing';
import {
  accessStreamOf,
  accessTopic,
  CP_IS_FLAG_LOOKED_UP,
  cpIsFlagLookedUp,
  notificationStreamOf,
  recordAccessed,
  notificationsMigrations,
  type CareStatus,
} from '@jigsaw/view-model';
import { SettableClock } from './clock.js';
import { CpIsLookupsConsumer } from './cp-is-lookups.consumer.js';
import { NotificationCommands } from './notification-commands.js';
import { NOTIFICATION_DEFAULTS } from './notifications.config.js';
import { LEEDS } from './testing/notification-events.factory.js';
import { aWebhookSecret } from './testing/standard-webhooks.js';

const OWN = 'notifications_lookups';

/** An emergency department the child never attended: it reads the minimal flag, and the council is told. */
const elsewhere: Viewer = {
  agency: 'health',
  organisation: 'urn:jigsaw:org:health:york-hospital',
  role: 'clinician',
  purpose: 'health-care',
  userId: 'clin-york',
};

const contact = { team: 'Leeds North CP team', phone: '0113 222 4403', outOfHoursPhone: '0113 240 9536' };

describe("the council told of a CP-IS flag look-up, from the view's hub.access", () => {
  const prefix = uniqueTopicPrefix('cp-is-lookups');
  const clock = new SettableClock('2026-11-20T23:00:00Z');
  let db: TestDatabase;
  let messaging: KafkaMessaging;
  let publisher: Publisher;
  let relay: OutboxRelay;
  let access: PostgresEventStore;
  let consumer: CpIsLookupsConsumer | undefined;

  beforeAll(async () => {
    db = await createTestDatabase([
      EVENT_STORE_MIGRATIONS,
      appliedEventsMigrations(OWN),
      notificationsMigrations(OWN),
    ]);
    messaging = new KafkaMessaging({ brokers: testBrokers(), clientId: 'cp-is-lookups-test' });
    await messaging.ensureTopics([accessTopic(prefix), deadLetterTopic(prefix)]);
    publisher = messaging.publisher();
    relay = new OutboxRelay(db.pool, publisher, { pollIntervalMs: 20 });
    relay.start();
    // As the view's store for a look-up: only the look-up is routed, to hub.access.
    access = new PostgresEventStore(db.pool, {
      route: (event) =>
        event.type === CP_IS_FLAG_LOOKED_UP ? { topic: accessTopic(prefix), key: event.childid } : undefined,
      afterAppend: () => relay.wake(),
    });
    const notifications = new PostgresEventStore(db.pool);
    const config = loadConfig(ServiceConfig, { JIGSAW_DEVELOPMENT: 'true', KAFKA_TOPIC_PREFIX: prefix });
    // Leeds takes its notifications by webhook as well as in its inbox.
    const webhooks = [{ organisation: LEEDS, url: 'https://leeds.example/jigsaw', secret: aWebhookSecret() }];
    consumer = new CpIsLookupsConsumer(
      db.pool,
      Object.assign(config, { ...NOTIFICATION_DEFAULTS, NOTIFICATION_WEBHOOKS: JSON.stringify(webhooks) }),
      OWN,
      clock,
      messaging,
      new SchemaRegistry(),
      new NotificationCommands(db.pool, notifications, OWN),
    );
    await consumer.onApplicationBootstrap();
  }, 120_000);

  afterAll(async () => {
    await Promise.all([consumer?.onApplicationShutdown(), relay?.stop()]);
    await publisher?.close();
    await db?.drop();
  });

  /** The view's look-up: the read's access record and the look-up, one append to the access stream. */
  const lookUp = async (childId: string): Promise<{ accessId: string; lookup: RecordedEvent }> => {
    const accessId = `access-${randomUUID()}`;
    const now = new Date('2026-11-20T22:10:00.000Z');
    const statuses: CareStatus[] = [
      {
        kind: 'child-protection-plan',
        council: LEEDS,
        startDate: '2026-06-02',
        endDate: '2026-10-01',
        contact,
        events: [`${LEEDS}|cpp-1`, `${LEEDS}|cpp-1-ended`],
      },
      { kind: 'looked-after', council: LEEDS, startDate: '2026-10-02', events: [`${LEEDS}|lac-1`] },
    ];
    const lookup = cpIsFlagLookedUp({
      accessId,
      now,
      viewer: elsewhere,
      childId,
      council: LEEDS,
      statuses,
      triggerEventKey: `${LEEDS}|cpp-1`,
    });
    await access.append(
      accessStreamOf(childId),
      [
        recordAccessed(
          { id: accessId, now, viewer: elsewhere, view: 'cp-is-flag', childId, lookup: 'nhs-number' },
          [],
        ),
        lookup,
      ],
      { expectedVersion: 'any' },
    );
    return { accessId, lookup };
  };

  const notificationsAbout = async (childId: string) =>
    (
      await db.pool.query<{
        id: string;
        dedupe_key: string;
        kind: string;
        trigger_event_key: string;
        recipient_organisation: string;
        recipient_agency: string;
        route: string;
        details: unknown;
      }>(
        `SELECT id, dedupe_key, kind, trigger_event_key, recipient_organisation, recipient_agency, route, details
         FROM "${OWN}".notifications WHERE child_id = $1`,
        [childId],
      )
    ).rows;

  /** The notifications about the child once there are `n`. */
  const told = (childId: string, n: number) =>
    eventually(
      async () => {
        const rows = await notificationsAbout(childId);
        return rows.length >= n ? rows : undefined;
      },
      { what: `${n} notifications of look-ups`, timeoutMs: 45_000 },
    );

  it("raises the council's notification of the look-up, as the view's intent did, through its own group", async () => {
    const childId = randomUUID();
    const { accessId } = await lookUp(childId);
    const [raised] = await told(childId, 1);
    expect(raised).toMatchObject({
      dedupe_key: `cp-is-lookup|${accessId}`,
      kind: 'cp-is',
      trigger_event_key: `${LEEDS}|cpp-1`,
      recipient_organisation: LEEDS,
      recipient_agency: 'council',
      route: 'responsible-council',
    });
    expect(raised!.details).toEqual({
      careStatuses: [
        {
          kind: 'child-protection-plan',
          startDate: '2026-06-02',
          endDate: '2026-10-01',
          inForce: false,
          contact,
        },
        { kind: 'looked-after', startDate: '2026-10-02', inForce: true },
      ],
      statusEvents: [`${LEEDS}|cpp-1`, `${LEEDS}|cpp-1-ended`, `${LEEDS}|lac-1`],
      lookup: { at: '2026-11-20T22:10:00.000Z', organisation: elsewhere.organisation },
    });
    // Leeds has a webhook: its delivery waits in the work-queue for the dispatcher.
    const deliveries = await db.pool.query<{ organisation: string; kind: string; status: string }>(
      `SELECT organisation, kind, status FROM "${OWN}".notification_deliveries WHERE notification_id = $1`,
      [raised!.id],
    );
    expect(deliveries.rows).toEqual([{ organisation: LEEDS, kind: 'notification', status: 'pending' }]);
    // Nothing waits: the intent was recorded once its batch committed.
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${OWN}".notification_intents`,
    );
    expect(rows[0]!.n).toBe(0);
  }, 90_000);

  it('raises one notification for a look-up delivered twice', async () => {
    const childId = randomUUID();
    const first = await lookUp(childId);
    const [raised] = await told(childId, 1);
    // Kafka delivers at least once: the same message again, on the child's partition, then a second look-up
    // of the child behind it, so that once the second is told the first has been delivered twice.
    await publisher.publish([
      { topic: accessTopic(prefix), key: childId, value: JSON.stringify(toCloudEvent(first.lookup)) },
    ]);
    const second = await lookUp(childId);
    const both = await told(childId, 2);
    expect(both.map((n) => n.dedupe_key).sort()).toEqual(
      [`cp-is-lookup|${first.accessId}`, `cp-is-lookup|${second.accessId}`].sort(),
    );
    // And applied again directly: already applied, nothing written.
    expect(await consumer!.runner.apply(first.lookup)).toBe(false);
    expect(await notificationsAbout(childId)).toHaveLength(2);
    const stream = await db.pool.query<{ type: string }>(
      'SELECT type FROM event_store.events WHERE stream_id = $1',
      [notificationStreamOf(raised!.id)],
    );
    expect(stream.rows.map((r) => r.type)).toEqual(['hub.notification-raised']);
  }, 90_000);
});
