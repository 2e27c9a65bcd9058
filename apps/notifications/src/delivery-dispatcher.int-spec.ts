import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createPool } from '@jigsaw/database';
import { SchemaRegistry, type RecordedEvent } from '@jigsaw/envelope';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { appliedEventsMigrations, ProjectionRunner } from '@jigsaw/projection';
import { createTestDatabase, freePort, type TestDatabase } from '@jigsaw/testing';
import { notificationsMigrations } from '@jigsaw/view-model';
import { ChildHistoryReader } from './child-history.js';
import { SettableClock } from './clock.js';
import { DeliveryDispatcher, retryDelayMs, type DeliveryBody } from './delivery-dispatcher.js';
import { NotificationCommands } from './notification-commands.js';
import { NOTIFICATION_DEFAULTS, type NotificationSettings } from './notifications.config.js';
import { NotificationsProjection } from './notifications.projection.js';
import {
  aChild,
  anIncident,
  aPupilOnRoll,
  aRetraction,
  HILLSIDE,
  OAKWOOD,
  recorded,
} from './testing/notification-events.factory.js';
import { aWebhookSecret, verifyWithStandardWebhooks } from './testing/standard-webhooks.js';
import { WebhookReceiver } from './testing/webhook-receiver.js';

/** The notifications' schema: their own tables and their read models, as in the service. */
const SCHEMA = 'notifications_deliveries';
type Created = Extract<DeliveryBody, { notification: unknown }>;
const secret = aWebhookSecret();
const BASE_MS = 10_000;

interface Attempt {
  attempt: number;
  outcome: string | null;
  http_status: number | null;
  error: string | null;
  started_at: Date;
}

describe('webhook delivery', () => {
  let db: TestDatabase;
  const clock = new SettableClock('2026-11-20T23:00:00Z');
  const children = new ChildHistoryReader(SCHEMA);
  const receiver = new WebhookReceiver();
  let settings: NotificationSettings;
  let store: PostgresEventStore;
  let commands: NotificationCommands;
  let runner: { apply(event: RecordedEvent): Promise<boolean> };
  let dispatcher: DeliveryDispatcher;
  let refusedPort: number;

  beforeAll(async () => {
    db = await createTestDatabase([
      EVENT_STORE_MIGRATIONS,
      appliedEventsMigrations(SCHEMA),
      notificationsMigrations(SCHEMA),
    ]);
    store = new PostgresEventStore(db.pool);
    commands = new NotificationCommands(db.pool, store, SCHEMA);
    const url = await receiver.listen();
    refusedPort = await freePort();
    settings = {
      ...NOTIFICATION_DEFAULTS,
      NOTIFICATION_RETRY_BASE_MS: BASE_MS,
      NOTIFICATION_RETRY_MAX_MS: 60_000,
      NOTIFICATION_MAX_ATTEMPTS: 4,
      NOTIFICATION_HTTP_TIMEOUT_MS: 2_000,
      NOTIFICATION_WEBHOOKS: JSON.stringify([
        { organisation: HILLSIDE, url, secret },
        // Nothing listens here: every attempt is refused.
        { organisation: OAKWOOD, url: `http://127.0.0.1:${refusedPort}/hooks`, secret },
      ]),
    };
    const projection = new NotificationsProjection(settings, clock, children, SCHEMA);
    const projecting = new ProjectionRunner(db.pool, SCHEMA, [projection], new SchemaRegistry());
    // As the view's consumer does: the notifications decided are recorded once the batch commits.
    runner = {
      apply: async (event) => {
        const fresh = await projecting.apply(event);
        await commands.recordIntents();
        return fresh;
      },
    };
    dispatcher = new DeliveryDispatcher(db.pool, SCHEMA, settings, clock, children, commands);
  });
  afterEach(() => receiver.respondWith(() => 200));
  afterAll(async () => {
    await receiver.close();
    await db?.drop();
  });

  /** Raises one Operation Encompass notification to a school; resolves with its delivery id. */
  const raise = async (school = HILLSIDE, incidentOverrides = {}) => {
    const child = aChild();
    clock.set('2026-11-20T23:00:00Z');
    await runner.apply(
      recorded(
        aPupilOnRoll(child, { source: school, onRollFrom: '2021-09-01' }),
        child,
        '2026-09-01T10:00:00Z',
      ),
    );
    const incident = anIncident(child, { occurredAt: '2026-11-20T22:40:00Z', ...incidentOverrides });
    await runner.apply(recorded(incident, child, clock.now()));
    const { rows } = await db.pool.query<{ id: string; notification_id: string }>(
      `SELECT d.id, d.notification_id FROM "${SCHEMA}".notification_deliveries d
       JOIN "${SCHEMA}".notifications n ON n.id = d.notification_id WHERE n.child_id = $1`,
      [child.childid],
    );
    expect(rows).toHaveLength(1);
    return { child, incident, delivery: rows[0]!.id, notification: rows[0]!.notification_id };
  };

  const delivery = async (id: string) =>
    (
      await db.pool.query<{
        status: string;
        attempts: number;
        next_attempt_at: Date;
        lease_until: Date | null;
      }>(
        `SELECT status, attempts, next_attempt_at, lease_until FROM "${SCHEMA}".notification_deliveries WHERE id = $1`,
        [id],
      )
    ).rows[0];

  const attempts = async (id: string): Promise<Attempt[]> =>
    (
      await db.pool.query<Attempt>(
        `SELECT attempt, outcome, http_status, error, started_at FROM "${SCHEMA}".notification_delivery_attempts
         WHERE delivery_id = $1 ORDER BY attempt`,
        [id],
      )
    ).rows;

  const sentFor = (id: string) => receiver.received.filter((r) => r.headers['webhook-id'] === id);

  it('POSTs the notification signed, once, and records the attempt', async () => {
    const { delivery: id, notification, child } = await raise();
    await dispatcher.dispatchDue();
    await dispatcher.dispatchDue();
    const [sent, ...more] = sentFor(id);
    expect(more).toEqual([]);
    expect(sent?.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': id,
      'jigsaw-notification-id': notification,
    });
    expect(verifyWithStandardWebhooks(secret, sent!.headers, sent!.body, clock.now())).toEqual(
      JSON.parse(sent!.body),
    );
    const body = JSON.parse(sent!.body) as Created;
    expect(body).toMatchObject({
      type: 'notification.created',
      deliveryId: id,
      notification: {
        id: notification,
        kind: 'operation-encompass',
        dueAt: '2026-11-23T08:30:00.000Z',
        recipient: { organisation: HILLSIDE, route: 'school-roll' },
        child: { hubChildId: child.childid, asKnownToYou: { upn: child.upn } },
      },
    });
    // The force shared with the school's people, not its systems: the DSL reads the incident in the inbox.
    expect(body.notification).not.toHaveProperty('event');
    expect(await delivery(id)).toMatchObject({ status: 'delivered', attempts: 1, lease_until: null });
    expect(await attempts(id)).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'delivered', http_status: 200, error: null }),
    ]);
  });

  it('sends each delivery once, under its one webhook-id, when two replicas dispatch at the same moment', async () => {
    const raised = [];
    for (let i = 0; i < 8; i++) raised.push(await raise());
    const otherPool = createPool(db.url, { max: 5, name: 'second-replica' });
    try {
      const otherStore = new PostgresEventStore(otherPool);
      const other = new DeliveryDispatcher(
        otherPool,
        SCHEMA,
        settings,
        clock,
        children,
        new NotificationCommands(otherPool, otherStore, SCHEMA),
      );
      const attempted = await Promise.all([
        dispatcher.dispatchDue(3),
        other.dispatchDue(3),
        dispatcher.dispatchDue(3),
        other.dispatchDue(3),
      ]);
      expect(attempted.reduce((a, b) => a + b, 0)).toBe(raised.length);
      for (const { delivery: id } of raised) {
        expect(sentFor(id)).toHaveLength(1);
        expect(await delivery(id)).toMatchObject({ status: 'delivered', attempts: 1 });
      }
    } finally {
      await otherPool.end();
    }
  });

  it('carries the incident itself when the force cleared the school system for it', async () => {
    const { delivery: id } = await raise(HILLSIDE, {
      audience: [{ agency: 'education', roles: ['designated-safeguarding-lead', 'agency-system'] }],
    });
    await dispatcher.dispatchDue();
    const body = JSON.parse(sentFor(id)[0]!.body) as Created;
    expect(body.notification.event?.data).toMatchObject({ childPresent: true });
    expect(body.notification.event?.data).not.toHaveProperty('narrative');
  });

  it('retries a receiver that fails, doubling the wait, until it answers 2xx', async () => {
    receiver.respondWith((_id, nth) => (nth <= 2 ? 500 : 204));
    const { delivery: id } = await raise();
    const t0 = clock.now().getTime();
    await dispatcher.dispatchDue();
    expect(await delivery(id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      next_attempt_at: new Date(t0 + BASE_MS),
    });

    clock.set(new Date(t0 + BASE_MS - 1));
    await dispatcher.dispatchDue();
    expect(sentFor(id)).toHaveLength(1);

    clock.set(new Date(t0 + BASE_MS));
    await dispatcher.dispatchDue();
    expect(await delivery(id)).toMatchObject({ attempts: 2, next_attempt_at: new Date(t0 + 3 * BASE_MS) });

    clock.set(new Date(t0 + 3 * BASE_MS));
    await dispatcher.dispatchDue();
    clock.advance(10 * BASE_MS);
    await dispatcher.dispatchDue();

    expect(sentFor(id).map((r) => r.status)).toEqual([500, 500, 204]);
    // Each attempt is signed afresh, and each signature holds.
    for (const sent of sentFor(id)) {
      const at = new Date(Number(sent.headers['webhook-timestamp']) * 1000);
      expect(verifyWithStandardWebhooks(secret, sent.headers, sent.body, at)).toEqual(JSON.parse(sent.body));
    }
    expect(await delivery(id)).toMatchObject({ status: 'delivered', attempts: 3 });
    expect((await attempts(id)).map((a) => [a.attempt, a.outcome, a.http_status, a.error])).toEqual([
      [1, 'failed', 500, 'answered 500'],
      [2, 'failed', 500, 'answered 500'],
      [3, 'delivered', 204, null],
    ]);
  });

  it('gives up after the configured attempts, keeping every one on record', async () => {
    const { delivery: id } = await raise(OAKWOOD);
    for (let i = 0; i < 6; i++) {
      await dispatcher.dispatchDue();
      clock.advance(60_000);
    }
    expect(await delivery(id)).toMatchObject({ status: 'failed', attempts: 4 });
    const recorded = await attempts(id);
    expect(recorded.map((a) => [a.attempt, a.outcome, a.error])).toEqual(
      [1, 2, 3, 4].map((n) => [n, 'failed', 'ECONNREFUSED']),
    );
  });

  it('tries again after an attempt a crash cut off, once its lease has run out', async () => {
    const { delivery: id } = await raise();
    // What a process killed mid-POST leaves behind: the attempt claimed, never finished.
    const leaseUntil = new Date(clock.now().getTime() + 15_000);
    await db.pool.query(
      `UPDATE "${SCHEMA}".notification_deliveries SET attempts = 1, lease_until = $2 WHERE id = $1`,
      [id, leaseUntil],
    );
    await db.pool.query(
      `INSERT INTO "${SCHEMA}".notification_delivery_attempts (delivery_id, attempt, started_at) VALUES ($1, 1, $2)`,
      [id, clock.now()],
    );
    await dispatcher.dispatchDue();
    expect(sentFor(id)).toEqual([]);
    clock.set(leaseUntil);
    await dispatcher.dispatchDue();
    expect(sentFor(id)).toHaveLength(1);
    expect((await attempts(id)).map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'interrupted'],
      [2, 'delivered'],
    ]);
  });

  it('cancels, sending nothing and recalling nothing, when the force retracts the incident before delivery', async () => {
    const { delivery: id, notification, incident, child } = await raise();
    await runner.apply(recorded(aRetraction(incident, child), child, clock.now()));
    await dispatcher.dispatchDue();
    expect(sentFor(id)).toEqual([]);
    expect(await delivery(id)).toMatchObject({ status: 'cancelled' });
    expect((await attempts(id)).map((a) => [a.outcome, a.error])).toEqual([
      ['cancelled', 'the event is no longer shared with them'],
    ]);
    const recalls = await db.pool.query(
      `SELECT 1 FROM "${SCHEMA}".notification_deliveries WHERE notification_id = $1 AND kind = 'recall'`,
      [notification],
    );
    expect(recalls.rowCount).toBe(0);
  });

  it('recalls a delivered notification when the force retracts the incident, signed like any delivery', async () => {
    const { delivery: id, notification, incident, child } = await raise();
    await dispatcher.dispatchDue();
    expect(await delivery(id)).toMatchObject({ status: 'delivered' });

    await runner.apply(recorded(aRetraction(incident, child), child, clock.now()));
    await runner.apply(recorded(aRetraction(incident, child), child, clock.now()));
    await dispatcher.dispatchDue();
    const about = receiver.received.filter((r) => r.headers['jigsaw-notification-id'] === notification);
    expect(about).toHaveLength(2);
    const recall = about[1]!;
    expect(recall.headers['webhook-id']).not.toBe(id);
    expect(verifyWithStandardWebhooks(secret, recall.headers, recall.body, clock.now())).toEqual(
      JSON.parse(recall.body),
    );
    expect(JSON.parse(recall.body)).toEqual({
      type: 'notification.recalled',
      deliveryId: recall.headers['webhook-id'],
      notificationId: notification,
      reason: 'retracted',
    });
    expect(await delivery(recall.headers['webhook-id']!)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('waits twice as long after each failure, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 10].map((n) => retryDelayMs(n, 1000, 10_000))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });
});
