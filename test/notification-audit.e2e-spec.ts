import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresEventStore } from '@jigsaw/event-store';
import { READ_MODEL_OWNERS } from '@jigsaw/view-model';
import {
  createTestDatabase,
  practitionerToken,
  testBrokers,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@jigsaw/testing';
import { ReadModelRebuilds } from '../apps/audit/src/rebuild/read-model-rebuilds.js';
import type { NotificationView } from '../apps/notifications/src/notification-view.js';
import {
  aChild,
  anIncident,
  HILLSIDE,
  MET,
  type TestChild,
} from '../apps/notifications/src/testing/notification-events.factory.js';
import { WebhookReceiver } from '../apps/notifications/src/testing/webhook-receiver.js';
import { aWebhookSecret } from '../apps/notifications/src/testing/standard-webhooks.js';
import { getJson, postJson, eventually } from './support/http.js';
import { deliveryOf as deliveryOfIn, postAccepted, putOnRoll } from './support/notifications.js';
import { ServiceProcess } from './support/service-process.js';

const SECRET = aWebhookSecret();

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const asDsl = bearer(
  practitionerToken({
    sub: 'dsl-1',
    agency: 'education',
    organisation: HILLSIDE,
    role: 'designated-safeguarding-lead',
    purposes: ['safeguarding'],
  }),
);
const hoursAgo = (hours: number): string => new Date(Date.now() - hours * 3_600_000).toISOString();

/**
 * A notification's history end to end: an Operation Encompass incident posted to the police service
 * reaches the notifications service over Kafka, raises a notification, is delivered to the school's webhook and
 * acknowledged; the audit service answers, from the notification's stream, as known at each moment.
 */
describe('auditing a notification end to end: raised, delivered, acknowledged, as known at', () => {
  let db: TestDatabase;
  const services: ServiceProcess[] = [];
  let police: ServiceProcess;
  let education: ServiceProcess;
  let view: ServiceProcess;
  let notifications: ServiceProcess;
  let audit: ServiceProcess;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    db = await createTestDatabase();
    const url = await receiver.listen();
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers(),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('notification-audit'),
      NOTIFICATION_WEBHOOKS: JSON.stringify([{ organisation: HILLSIDE, url, secret: SECRET }]),
      NOTIFICATION_TICK_MS: '200',
      NOTIFICATION_RETRY_BASE_MS: '300',
      NOTIFICATION_RETRY_MAX_MS: '1000',
      NOTIFICATION_MAX_ATTEMPTS: '1000',
      NOTIFICATION_HTTP_TIMEOUT_MS: '3000',
    };
    // One after another: five services starting at once on a busy machine can outrun the ready wait.
    for (const name of ['police', 'education', 'safeguarding-view', 'notifications', 'audit'] as const) {
      services.push(await ServiceProcess.start(name, env));
    }
    [police, education, view, notifications, audit] = services as [
      ServiceProcess,
      ServiceProcess,
      ServiceProcess,
      ServiceProcess,
      ServiceProcess,
    ];
  }, 300_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await receiver.close();
    await db?.drop();
  });

  const post = postAccepted;

  const inboxOnceThere = (headers: Record<string, string>, child: TestChild) =>
    eventually(
      async () => {
        const r = await getJson<{ notifications: NotificationView[] }>(
          `${notifications.url}/v1/notifications?purpose=safeguarding&limit=200`,
          headers,
        );
        const mine = r.body.notifications?.filter((n) => n.childId === child.childid) ?? [];
        return mine.length > 0 ? mine : undefined;
      },
      30_000,
      'the notification in the inbox',
    );

  const onRoll = (child: TestChild): Promise<void> => putOnRoll(education, view, asDsl, child, db.pool);

  const deliveryOf = (notificationId: string) => deliveryOfIn(db.pool, notificationId);

  const sentAbout = (notificationId: string) =>
    receiver.received.filter((r) => r.headers['jigsaw-notification-id'] === notificationId);

  it('answers the audit service, for one notification, who was told, delivered when and acknowledged when, as known at each moment', async () => {
    // The school's system is down at first: the notification is raised, and not yet delivered.
    receiver.respondWith(() => 503);
    let raised: NotificationView;
    let beforeDelivery: string;
    try {
      const child = aChild();
      await onRoll(child);
      await post(police, anIncident(child, { occurredAt: hoursAgo(1) }));
      [raised] = (await inboxOnceThere(asDsl, child)) as [NotificationView];
      await eventually(() => Promise.resolve(sentAbout(raised.id).length > 0 ? true : undefined));
      beforeDelivery = new Date().toISOString();
    } finally {
      receiver.respondWith(() => 200);
    }
    const delivered = await eventually(async () => {
      const d = await deliveryOf(raised.id);
      return d?.status === 'delivered' ? d : undefined;
    });
    const afterDelivery = new Date().toISOString();
    const ack = await postJson<{ acknowledgedAt: string }>(
      `${notifications.url}/v1/notifications/${raised.id}/acknowledgement?purpose=safeguarding`,
      {},
      asDsl,
    );
    expect(ack.status).toBe(200);
    const afterAck = new Date().toISOString();

    // The force recorded the incident: its data protection officer audits the child.
    const asForceDpo = bearer(
      practitionerToken({
        sub: 'dpo-1',
        agency: 'police',
        organisation: MET,
        role: 'data-protection-officer',
        purposes: ['audit'],
      }),
    );
    const history = (at?: string) =>
      getJson<Record<string, unknown>>(
        `${audit.url}/v1/notifications/${raised.id}/history${at ? `?asKnownAt=${encodeURIComponent(at)}` : ''}`,
        asForceDpo,
      );
    const told = { organisation: HILLSIDE, agency: 'education', route: 'school-roll' };

    const first = await history(beforeDelivery);
    expect(first).toMatchObject({
      status: 200,
      body: {
        notificationId: raised.id,
        told,
        raisedAt: raised.createdAt,
        deliveries: [{ deliveryId: delivered.id, status: 'pending' }],
        acknowledged: false,
      },
    });
    expect(first.body['deliveries']).toEqual([
      expect.not.objectContaining({ deliveredAt: expect.anything() }),
    ]);

    const second = await history(afterDelivery);
    expect(second).toMatchObject({
      status: 200,
      body: {
        told,
        deliveries: [{ status: 'delivered', deliveredAt: expect.any(String) }],
        acknowledged: false,
      },
    });
    const deliveredAt = Date.parse((second.body['deliveries'] as { deliveredAt: string }[])[0]!.deliveredAt);
    expect(deliveredAt).toBeGreaterThan(Date.parse(beforeDelivery));
    expect(deliveredAt).toBeLessThanOrEqual(Date.parse(afterDelivery));

    for (const answer of [await history(afterAck), await history()]) {
      expect(answer).toMatchObject({
        status: 200,
        body: {
          acknowledged: true,
          acknowledgedAt: ack.body.acknowledgedAt,
          acknowledgedBy: { sub: 'dsl-1', role: 'designated-safeguarding-lead', organisation: HILLSIDE },
          deliveries: [{ status: 'delivered' }],
        },
      });
    }
    expect(await history('2026-13-01')).toMatchObject({
      status: 400,
      body: { errors: [{ field: 'asKnownAt' }] },
    });
    // An organisation that never worked with the child is told what it is told of an unknown one.
    const stranger = bearer(
      practitionerToken({
        sub: 'dpo-york',
        agency: 'council',
        organisation: 'urn:jigsaw:org:council:york',
        role: 'data-protection-officer',
        purposes: ['audit'],
      }),
    );
    const refused = await getJson(`${audit.url}/v1/notifications/${raised.id}/history`, stranger);
    expect(refused).toMatchObject({ status: 404 });
    // Every answered read is in the child's access log, as every audit read is.
    const reads = await db.pool.query(
      `SELECT 1 FROM event_store.events WHERE stream_id = $1 AND payload->'data'->'record'->>'view' = 'notification-history'`,
      [`access-${raised.childId}`],
    );
    expect(reads.rowCount).toBeGreaterThanOrEqual(5);
  });

  it("rebuilds the inbox and the webhook work-queue from the notifications' streams to exactly what live holds", async () => {
    const rebuilds = new ReadModelRebuilds(
      db.pool,
      new PostgresEventStore(db.pool),
      READ_MODEL_OWNERS.find((owner) => owner.liveSchema === 'notifications')!,
    );
    const { schema } = await rebuilds.rebuild({ models: ['notifications'] });
    const compared = await rebuilds.compare(schema);
    await rebuilds.drop(schema);
    expect(compared).toMatchObject({ differences: [], structure: [] });
    const [notifications] = compared.tables;
    expect(notifications).toMatchObject({ table: 'notifications' });
    expect(notifications!.liveRows).toBeGreaterThan(0);
    expect(notifications!.rebuiltRows).toBe(notifications!.liveRows);
  });
});
