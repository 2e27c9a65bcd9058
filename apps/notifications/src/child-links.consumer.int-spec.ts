import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig, ServiceConfig } from '@jigsaw/config';
import { SchemaRegistry } from '@jigsaw/envelope';
import { EVENT_STORE_MIGRATIONS, OutboxRelay, PostgresEventStore } from '@jigsaw/event-store';
import {
  hubEventsTopic,
  IdentityCommands,
  IdentityRegistry,
  IDENTITY_SOURCE,
  identityStreamOf,
  type LinkedChildren,
} from '@jigsaw/identity';
import { deadLetterTopic, KafkaMessaging, type Publisher } from '@jigsaw/messaging';
import { appliedEventsMigrations, eventKeyOf, ProjectionRunner } from '@jigsaw/projection';
import {
  createTestDatabase,
  eventually,
  testBrokers,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@jigsaw/testing';
import { membersOn, notificationsMigrations, viewMigrations } from '@jigsaw/view-model';
import { ChildHistoryReader } from './child-history.js';
import { ChildLinksConsumer } from './child-links.consumer.js';
import { SettableClock } from './clock.js';
import { NotificationCommands } from './notification-commands.js';
import { NOTIFICATION_DEFAULTS } from './notifications.config.js';
import { NotificationsProjection } from './notifications.projection.js';
import {
  aChild,
  anAttendance,
  aPlanStarted,
  LEEDS,
  recorded,
  type TestChild,
} from './testing/notification-events.factory.js';

const VIEW = 'view_links';
const OWN = 'notifications_links';

describe("the notifications' own links, from identity's events on hub.events", () => {
  const prefix = uniqueTopicPrefix('notification-links');
  const clock = new SettableClock('2026-11-20T23:00:00Z');
  let db: TestDatabase;
  let messaging: KafkaMessaging;
  let relayPublisher: Publisher;
  let relay: OutboxRelay;
  let store: PostgresEventStore;
  let identity: IdentityCommands;
  let consumer: ChildLinksConsumer | undefined;
  let notifications: ProjectionRunner;
  let commands: NotificationCommands;

  beforeAll(async () => {
    db = await createTestDatabase([
      EVENT_STORE_MIGRATIONS,
      appliedEventsMigrations(VIEW),
      viewMigrations(VIEW),
      appliedEventsMigrations(OWN),
      notificationsMigrations(OWN),
    ]);
    messaging = new KafkaMessaging({ brokers: testBrokers(), clientId: 'notification-links-test' });
    await messaging.ensureTopics([hubEventsTopic(prefix), deadLetterTopic(prefix)]);
    relayPublisher = messaging.publisher();
    relay = new OutboxRelay(db.pool, relayPublisher, { pollIntervalMs: 20 });
    relay.start();
    // As the identity module's store: each decision on hub.events, keyed by the hub child id.
    store = new PostgresEventStore(db.pool, {
      route: (event) => ({ topic: hubEventsTopic(prefix), key: event.childid }),
      afterAppend: () => relay.wake(),
    });
    const links: LinkedChildren = { membersOf: (id) => membersOn(db.pool, id, VIEW) };
    identity = new IdentityCommands(store, new IdentityRegistry(db.pool, 'test-secret'), links);
    commands = new NotificationCommands(db.pool, store, OWN);
    const projection = new NotificationsProjection(
      { ...NOTIFICATION_DEFAULTS, NOTIFICATION_MAX_AGE_DAYS: 30 },
      clock,
      new ChildHistoryReader(OWN),
      OWN,
    );
    notifications = new ProjectionRunner(db.pool, OWN, [projection], new SchemaRegistry());
  }, 120_000);

  afterAll(async () => {
    await Promise.all([consumer?.onApplicationShutdown(), relay?.stop()]);
    await relayPublisher?.close();
    await db?.drop();
  });

  const apply = async (child: TestChild, event: ReturnType<typeof recorded>) => {
    await notifications.apply(event);
    await commands.recordIntents();
    return (
      await db.pool.query<{ recipient_organisation: string; trigger_event_key: string }>(
        `SELECT recipient_organisation, trigger_event_key FROM "${OWN}".notifications WHERE child_id = $1`,
        [child.childid],
      )
    ).rows;
  };

  const published = () =>
    eventually(
      async () => {
        const { rows } = await db.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM event_store.outbox',
        );
        return rows[0]!.n === 0 ? true : undefined;
      },
      { what: 'the outbox published', timeoutMs: 30_000 },
    );

  it('reaches child_members through its own group, read from the beginning, and a notification follows the link', async () => {
    const attending = aChild();
    const onPlan: TestChild = { ...aChild(), nhsNumber: attending.nhsNumber };
    expect(
      await apply(onPlan, recorded(aPlanStarted(onPlan, { startDate: '2026-06-02' }), onPlan, clock.now())),
    ).toEqual([]);
    const before = recorded(
      anAttendance(attending, { arrivedAt: '2026-11-20T22:10:00Z' }),
      attending,
      clock.now(),
    );
    expect(await apply(attending, before)).toEqual([]);

    // A person confirms the two are one child, published before the group exists: a new group starts at
    // the topic's beginning. The possible match comes first and has no table here: only links are kept.
    const { matchId } = await identity.raise(attending.childid, onPlan.childid, 'identifier-conflict');
    await identity.confirm(matchId, {
      decidedBy: { sub: 'sw-1', organisation: LEEDS, agency: 'council', role: 'social-worker' },
      reason: `Checked with the trust and the council (${randomBytes(2).toString('hex')}).`,
    });
    await published();

    const config = loadConfig(ServiceConfig, { JIGSAW_DEVELOPMENT: 'true', KAFKA_TOPIC_PREFIX: prefix });
    consumer = new ChildLinksConsumer(db.pool, config, OWN, messaging, new SchemaRegistry());
    await consumer.onApplicationBootstrap();
    const both = [onPlan.childid, attending.childid].sort();
    await eventually(
      async () => {
        const members = await membersOn(db.pool, attending.childid, OWN);
        return members.length === 2 ? members : undefined;
      },
      { what: "the link in the notifications' child_members", timeoutMs: 45_000 },
    );
    expect(await membersOn(db.pool, onPlan.childid, OWN)).toEqual(both);
    // Its own copy: nothing was written to the view's tables, which nobody projects here.
    expect(await membersOn(db.pool, attending.childid, VIEW)).toEqual([attending.childid]);

    const after = recorded(
      anAttendance(attending, { arrivedAt: '2026-11-20T22:20:00Z' }),
      attending,
      clock.now(),
    );
    expect(await apply(attending, after)).toEqual([
      { recipient_organisation: LEEDS, trigger_event_key: eventKeyOf(after) },
    ]);

    // Kafka delivers at least once: the same events applied again change nothing.
    const raised = await store.findEvent(IDENTITY_SOURCE, matchId);
    const decided = (await store.readStream(identityStreamOf(raised!.event.childid))).map((s) => s.event);
    expect(decided.map((e) => e.type)).toContain('hub.children-merged');
    for (const event of decided) expect(await consumer.runner.apply(event)).toBe(false);
    expect(await membersOn(db.pool, attending.childid, OWN)).toEqual(both);
  }, 90_000);

  it('applies a split the same way: the children are apart again', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const { matchId } = await identity.raise(a, b, 'identifier-conflict');
    const decision = {
      decidedBy: { sub: 'sw-1', organisation: LEEDS, agency: 'council' as const, role: 'social-worker' },
      reason: 'Checked with the trust and the council.',
    };
    const { linkId } = await identity.confirm(matchId, decision);
    await eventually(async () => ((await membersOn(db.pool, a, OWN)).length === 2 ? true : undefined), {
      what: 'the link',
      timeoutMs: 45_000,
    });
    await identity.split(linkId, decision);
    await eventually(async () => ((await membersOn(db.pool, a, OWN)).length === 1 ? true : undefined), {
      what: 'the split',
      timeoutMs: 45_000,
    });
    expect(await membersOn(db.pool, b, OWN)).toEqual([b]);
  }, 90_000);
});
