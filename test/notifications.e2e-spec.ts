import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createTestDatabase,
  freePort,
  practitionerToken,
  testBrokers,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@jigsaw/testing';
import type { NotificationView } from '../apps/notifications/src/notification-view.js';
import { londonDateOf, SchoolCalendar } from '@jigsaw/view-model';
import {
  aChild,
  aLeadPractitioner,
  anAttendance,
  anIncident,
  aPlanStarted,
  HILLSIDE,
  LEEDS,
  MET,
  type TestChild,
} from '../apps/notifications/src/testing/notification-events.factory.js';
import { WebhookReceiver } from '../apps/notifications/src/testing/webhook-receiver.js';
import {
  aWebhookSecret,
  verifyWithStandardWebhooks,
} from '../apps/notifications/src/testing/standard-webhooks.js';
import { getJson, postJson, eventually } from './support/http.js';
import { deliveryOf as deliveryOfIn, postAccepted, putOnRoll } from './support/notifications.js';
import { ServiceProcess } from './support/service-process.js';

const SECRET = aWebhookSecret();
const TRUST = 'urn:jigsaw:org:health:leeds-teaching-hospitals';

interface Inbox {
  notifications: NotificationView[];
  nextCursor?: string;
}

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
const asTeacher = bearer(
  practitionerToken({
    sub: 't-1',
    agency: 'education',
    organisation: HILLSIDE,
    role: 'teacher',
    purposes: ['safeguarding'],
  }),
);
const asSocialWorker = bearer(
  practitionerToken({
    sub: 'sw-1',
    agency: 'council',
    organisation: LEEDS,
    role: 'social-worker',
    purposes: ['safeguarding'],
  }),
);
const asOfficer = bearer(
  practitionerToken({
    sub: 'pc-1',
    agency: 'police',
    organisation: MET,
    role: 'police-officer',
    purposes: ['safeguarding'],
  }),
);

const hoursAgo = (hours: number): string => new Date(Date.now() - hours * 3_600_000).toISOString();
const daysAgo = (days: number): string => londonDateOf(new Date(Date.now() - days * 86_400_000));

describe('notifications end to end: CP-IS, Operation Encompass, escalation and webhook delivery', () => {
  let db: TestDatabase;
  let police: ServiceProcess;
  let education: ServiceProcess;
  let council: ServiceProcess;
  let health: ServiceProcess;
  let view: ServiceProcess;
  let notifications: ServiceProcess;
  let receiverPort: number;
  /** The school's and the force's systems. */
  const receiver = new WebhookReceiver();
  /** The council's system. */
  const councilReceiver = new WebhookReceiver();

  beforeAll(async () => {
    db = await createTestDatabase();
    receiverPort = await freePort();
    const url = await receiver.listen(receiverPort);
    const councilUrl = await councilReceiver.listen();
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers(),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('notifications'),
      NOTIFICATION_WEBHOOKS: JSON.stringify([
        { organisation: HILLSIDE, url, secret: SECRET },
        { organisation: MET, url, secret: SECRET },
        { organisation: LEEDS, url: councilUrl, secret: SECRET },
      ]),
      NOTIFICATION_TICK_MS: '200',
      NOTIFICATION_RETRY_BASE_MS: '300',
      NOTIFICATION_RETRY_MAX_MS: '2000',
      NOTIFICATION_MAX_ATTEMPTS: '1000',
      NOTIFICATION_HTTP_TIMEOUT_MS: '3000',
    };
    // One after another: six services starting at once on a busy machine can outrun the ready wait.
    const started: ServiceProcess[] = [];
    for (const name of [
      'police',
      'education',
      'council',
      'health',
      'safeguarding-view',
      'notifications',
    ] as const) {
      started.push(await ServiceProcess.start(name, env));
    }
    [police, education, council, health, view, notifications] = started as [
      ServiceProcess,
      ServiceProcess,
      ServiceProcess,
      ServiceProcess,
      ServiceProcess,
      ServiceProcess,
    ];
  }, 400_000);

  afterAll(async () => {
    await Promise.all([police, education, council, health, view, notifications].map((s) => s?.stop()));
    await Promise.all([receiver.close(), councilReceiver.close()]);
    await db?.drop();
  });

  const post = postAccepted;

  const inbox = (headers: Record<string, string>, query = ''): Promise<Inbox> =>
    getJson<Inbox>(
      `${notifications.url}/v1/notifications?purpose=safeguarding&limit=200${query}`,
      headers,
    ).then((r) => {
      expect(r.status).toBe(200);
      return r.body;
    });

  const inboxOnceThere = (headers: Record<string, string>, child: TestChild, count = 1, query = '') =>
    eventually(
      async () => {
        const mine = (await inbox(headers, query)).notifications.filter((n) => n.childId === child.childid);
        return mine.length >= count ? mine : undefined;
      },
      30_000,
      `${count} notifications about a child`,
    );

  const onRoll = (child: TestChild): Promise<void> => putOnRoll(education, view, asDsl, child, db.pool);

  const notificationIdsOf = async (child: TestChild, kind?: string): Promise<string[]> =>
    (
      await db.pool.query<{ id: string }>(
        `SELECT id FROM "notifications".notifications WHERE child_id = $1 AND kind <> 'escalation'
         AND ($2::text IS NULL OR kind = $2)`,
        [child.childid, kind ?? null],
      )
    ).rows.map((r) => r.id);

  const deliveryOf = (notificationId: string) => deliveryOfIn(db.pool, notificationId);

  const attemptsOf = async (deliveryId: string) =>
    (
      await db.pool.query<{ outcome: string; http_status: number | null }>(
        'SELECT outcome, http_status FROM "notifications".notification_delivery_attempts WHERE delivery_id = $1 ORDER BY attempt',
        [deliveryId],
      )
    ).rows;

  const sentAbout = (notificationId: string, to = receiver) =>
    to.received.filter((r) => r.headers['jigsaw-notification-id'] === notificationId);

  it("tells the school's DSL of last night's incident, cut to what a school sees, signed to its webhook, once", async () => {
    const child = aChild();
    await onRoll(child);
    const occurredAt = hoursAgo(2);
    await post(police, anIncident(child, { occurredAt }));

    const [notification] = await inboxOnceThere(asDsl, child);
    expect(notification).toMatchObject({
      kind: 'operation-encompass',
      // No holidays configured here: the next weekday's 08:30 in London (the unit tests cover the rest).
      dueAt: new SchoolCalendar().nextSchoolDayStart(new Date(occurredAt)).toISOString(),
      recipient: { organisation: HILLSIDE, route: 'school-roll', school: { urn: '123456' } },
      child: { hubChildId: child.childid, asKnownToYou: { upn: child.upn } },
      event: { type: 'police.domestic-abuse-incident-notified', data: { childPresent: true } },
    });
    expect(notification?.event?.data).not.toHaveProperty('narrative');
    // A teacher is not the school's key adult: nothing in their inbox.
    expect((await inbox(asTeacher)).notifications.filter((n) => n.childId === child.childid)).toEqual([]);

    const delivered = await eventually(() => {
      const sent = sentAbout(notification!.id);
      return Promise.resolve(sent.length > 0 ? sent : undefined);
    });
    expect(delivered).toHaveLength(1);
    expect(verifyWithStandardWebhooks(SECRET, delivered[0]!.headers, delivered[0]!.body)).toEqual(
      JSON.parse(delivered[0]!.body),
    );

    const ack = await postJson(
      `${notifications.url}/v1/notifications/${notification!.id}/acknowledgement?purpose=safeguarding`,
      {},
      asDsl,
    );
    expect(ack).toMatchObject({ status: 200, body: { repeated: false, acknowledgedBy: { sub: 'dsl-1' } } });
    const again = await postJson(
      `${notifications.url}/v1/notifications/${notification!.id}/acknowledgement?purpose=safeguarding`,
      {},
      asDsl,
    );
    expect(again.body).toEqual({ ...(ack.body as object), repeated: true });
    expect((await inbox(asDsl, '&status=acknowledged')).notifications.map((n) => n.id)).toContain(
      notification!.id,
    );

    const missing = await postJson(
      `${notifications.url}/v1/notifications/${notification!.id}/acknowledgement?purpose=safeguarding`,
      {},
      asSocialWorker,
    );
    expect(missing).toMatchObject({
      status: 404,
      contentType: expect.stringContaining('application/problem+json'),
    });
    expect(missing.body).toMatchObject({ code: 'NOT_FOUND', errors: [{ field: 'id' }] });
    const badFilter = await getJson(
      `${notifications.url}/v1/notifications?purpose=safeguarding&status=unread`,
      asDsl,
    );
    expect(badFilter).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED', errors: [{ field: 'status' }] },
    });
    expect(await notificationIdsOf(child)).toHaveLength(1);
  });

  it('tells the council of an attendance by a child on its plan, cut to what the council sees (CP-IS)', async () => {
    const child = aChild();
    await post(council, aPlanStarted(child, { startDate: daysAgo(40) }));
    await post(health, anAttendance(child, { arrivedAt: hoursAgo(1), source: TRUST }));
    const found = await eventually(
      async () => {
        const all = (await inbox(asSocialWorker, '&kind=cp-is')).notifications;
        return all.find((n) => n.child.asKnownToYou?.nhsNumber === child.nhsNumber);
      },
      30_000,
      'the CP-IS notification',
    );
    expect(found).toMatchObject({
      kind: 'cp-is',
      recipient: { organisation: LEEDS, route: 'responsible-council' },
      careStatuses: [{ kind: 'child-protection-plan', startDate: daysAgo(40), inForce: true }],
      event: { type: 'health.unscheduled-care-attended', data: { setting: 'emergency-department' } },
    });
    expect(found).not.toHaveProperty('dueAt');
  });

  it("tells the council, once, when unscheduled care elsewhere looks up the child's CP-IS flag", async () => {
    const child = aChild();
    await post(council, aPlanStarted(child, { startDate: daysAgo(40) }));
    // A trust the child never attended: no relationship, so the minimal flag, and the look-up is told.
    const york = 'urn:jigsaw:org:health:york-hospital';
    const asClinicianElsewhere = bearer(
      practitionerToken({
        sub: 'clin-york',
        agency: 'health',
        organisation: york,
        role: 'clinician',
        purposes: ['health-care'],
      }),
    );
    await eventually(
      async () => {
        const flag = await getJson<{ total: number }>(
          `${view.url}/fhir/Flag?patient=${child.nhsNumber}&purpose=health-care`,
          asClinicianElsewhere,
        );
        return flag.body.total === 1 ? flag : undefined;
      },
      30_000,
      'the flag, once the view has the plan',
    );
    const found = await eventually(
      async () => {
        const all = (await inbox(asSocialWorker, '&kind=cp-is')).notifications;
        return all.find((n) => n.child.asKnownToYou?.nhsNumber === child.nhsNumber);
      },
      30_000,
      "the look-up's notification",
    );
    expect(found).toMatchObject({
      kind: 'cp-is',
      recipient: { organisation: LEEDS, route: 'responsible-council' },
      careStatuses: [{ kind: 'child-protection-plan', startDate: daysAgo(40), inForce: true }],
    });
    const { rows } = await db.pool.query<{ dedupe_key: string; details: { lookup?: unknown } }>(
      'SELECT dedupe_key, details FROM "notifications".notifications WHERE id = $1',
      [found.id],
    );
    expect(rows[0]).toMatchObject({
      dedupe_key: expect.stringMatching(/^cp-is-lookup\|access-/),
      details: { lookup: { at: expect.any(String), organisation: york } },
    });
    // One look-up, one notification: nothing else about the child was raised meanwhile.
    expect(await notificationIdsOf({ ...child, childid: found.childId }, 'cp-is')).toEqual([found.id]);
  });

  it("tells the council of an attendance under another hub id once identity's merge reaches the notifications' links", async () => {
    const onPlan = aChild();
    const attending = aChild();
    const plan = aPlanStarted(onPlan, { startDate: daysAgo(40) });
    await post(council, plan);
    const unlinked = anAttendance(attending, { arrivedAt: hoursAgo(3), source: TRUST });
    await post(health, unlinked);
    // Each record's hub id, as the notifications' own consumer filed it.
    const hubIdOf = (eventId: string) =>
      eventually(
        async () =>
          (
            await db.pool.query<{ child_id: string }>(
              "SELECT child_id::text FROM notifications.child_history WHERE event->>'id' = $1",
              [eventId],
            )
          ).rows[0]?.child_id,
        30_000,
        'the record in the notifications',
      );
    onPlan.childid = await hubIdOf(plan.id);
    attending.childid = await hubIdOf(unlinked.id);
    expect(onPlan.childid).not.toBe(attending.childid);

    const merged = await postJson<{ linkId: string }>(
      `${view.url}/v1/identity/merges?purpose=safeguarding`,
      {
        childId: onPlan.childid,
        mergedChildId: attending.childid,
        reason: 'The trust and the council checked the records together.',
      },
      asSocialWorker,
    );
    expect(merged.status).toBe(200);
    // The notifications' own group applies the merge from hub.events into its own tables.
    await eventually(
      async () =>
        (
          await db.pool.query('SELECT 1 FROM notifications.child_members WHERE child_id = $1', [
            attending.childid,
          ])
        ).rows.length > 0 || undefined,
      30_000,
      "the merge in the notifications' links",
    );
    const linked = anAttendance(attending, { arrivedAt: hoursAgo(1), source: TRUST });
    await post(health, linked);
    const [found] = await inboxOnceThere(asSocialWorker, attending);
    expect(found).toMatchObject({ kind: 'cp-is', recipient: { organisation: LEEDS } });
    // The attendance applied before the merge found no plan; the one after it did.
    const { rows } = await db.pool.query<{ trigger_event_key: string }>(
      `SELECT trigger_event_key FROM "notifications".notifications WHERE child_id = $1 AND kind = 'cp-is'`,
      [attending.childid],
    );
    expect(rows).toEqual([{ trigger_event_key: `${TRUST}|${linked.id}` }]);
  });

  it('escalates an incident not acknowledged by the school-day deadline to the police and the council', async () => {
    const child = aChild();
    await onRoll(child);
    await post(council, aLeadPractitioner(child, { assignedDate: daysAgo(60) }));
    // A week ago: its deadline, the next school day's 08:30, has passed.
    await post(police, anIncident(child, { occurredAt: hoursAgo(24 * 8) }));
    const [overdue] = await inboxOnceThere(asDsl, child, 1, '&status=overdue');
    const [toPolice] = await inboxOnceThere(asOfficer, child, 1, '&kind=escalation');
    const [toCouncil] = await inboxOnceThere(asSocialWorker, child, 1, '&kind=escalation');
    for (const escalation of [toPolice, toCouncil]) {
      expect(escalation).toMatchObject({
        kind: 'escalation',
        escalation: {
          of: overdue!.id,
          recipient: { organisation: HILLSIDE, route: 'school-roll' },
          dueAt: overdue!.dueAt,
        },
      });
    }
    expect(toPolice?.event?.data).toHaveProperty('narrative');
    expect(toCouncil?.event?.data).not.toHaveProperty('narrative');
    // Escalated once, however many ticks pass.
    await new Promise((r) => setTimeout(r, 1000));
    const escalations = await db.pool.query(
      'SELECT 1 FROM "notifications".notifications WHERE escalation_of = $1',
      [overdue!.id],
    );
    expect(escalations.rowCount).toBe(2);
  });

  it('retries a webhook that fails its first attempts until it succeeds, recording each attempt', async () => {
    receiver.respondWith((_id, nth) => (nth <= 2 ? 503 : 200));
    try {
      const child = aChild();
      await onRoll(child);
      await post(police, anIncident(child, { occurredAt: hoursAgo(1) }));
      const [id] = await eventually(async () => {
        const ids = await notificationIdsOf(child);
        return ids.length > 0 ? ids : undefined;
      });
      const delivery = await eventually(
        async () => {
          const d = await deliveryOf(id!);
          return d?.status === 'delivered' ? d : undefined;
        },
        30_000,
        'the delivery',
      );
      expect(sentAbout(id!).map((r) => r.status)).toEqual([503, 503, 200]);
      expect(new Set(sentAbout(id!).map((r) => r.headers['webhook-id']))).toEqual(new Set([delivery.id]));
      expect(await attemptsOf(delivery.id)).toEqual([
        { outcome: 'failed', http_status: 503 },
        { outcome: 'failed', http_status: 503 },
        { outcome: 'delivered', http_status: 200 },
      ]);
      const [first, second, third] = sentAbout(id!).map((r) => r.at.getTime());
      expect(second! - first!).toBeGreaterThanOrEqual(300);
      expect(third! - second!).toBeGreaterThanOrEqual(600);
    } finally {
      receiver.respondWith(() => 200);
    }
  }, 90_000);

  it('loses and doubles no delivery when the notifications service is killed between receipt and delivery, or during one', async () => {
    // Everything so far delivered, so that what follows is about this crash alone.
    await eventually(
      async () =>
        (
          await db.pool.query(
            `SELECT 1 FROM "notifications".notification_deliveries WHERE status = 'pending'`,
          )
        ).rowCount === 0
          ? true
          : undefined,
      30_000,
      'earlier deliveries made',
    );
    // Nothing answers at the school's webhook address: every attempt before the crash is refused.
    await receiver.close();
    // The council's system takes the first CP-IS notification it is sent and never answers.
    councilReceiver.respondWith((_id, nth, body) =>
      nth === 1 && body.includes('"kind":"cp-is"') ? 'hang' : 200,
    );

    const children = Array.from({ length: 6 }, () => aChild());
    for (const child of children) await onRoll(child);
    const [before, after] = [children.slice(0, 3), children.slice(3)];
    for (const child of before) await post(police, anIncident(child, { occurredAt: hoursAgo(1) }));
    const attending = children[0]!;
    await post(council, aPlanStarted(attending, { startDate: daysAgo(40) }));
    await post(health, anAttendance(attending, { arrivedAt: hoursAgo(1), source: TRUST }));

    // Received: raised and attempted, not delivered; the council's delivery in the middle of its POST.
    await eventually(
      async () => {
        for (const child of before) {
          const [id] = await notificationIdsOf(child, 'operation-encompass');
          const delivery = id ? await deliveryOf(id) : undefined;
          if (!delivery || delivery.status !== 'pending' || delivery.attempts < 1) return undefined;
        }
        return councilReceiver.received.some((r) => r.status === 0) ? true : undefined;
      },
      30_000,
      'notifications raised and attempted',
    );
    const [cpIs] = await notificationIdsOf(attending, 'cp-is');
    expect(sentAbout(cpIs!, councilReceiver).map((r) => r.status)).toEqual([0]);

    await notifications.stop('SIGKILL');
    // Received by the police while the notifications service is down: consumed after the restart.
    for (const child of after) await post(police, anIncident(child, { occurredAt: hoursAgo(1) }));
    await receiver.listen(receiverPort);
    await notifications.start();

    const ids = await eventually(
      async () => {
        const all = (await Promise.all(children.map((c) => notificationIdsOf(c)))).flat();
        if (all.length < children.length + 1) return undefined;
        const deliveries = await Promise.all(all.map(deliveryOf));
        return deliveries.every((d) => d?.status === 'delivered') ? all : undefined;
      },
      60_000,
      'every delivery made',
    );
    // A few more ticks, for any second delivery to show.
    await new Promise((r) => setTimeout(r, 1500));

    // One notification per incident and one for the attendance, however often Kafka redelivered.
    expect(ids).toHaveLength(children.length + 1);
    for (const child of children)
      expect(await notificationIdsOf(child, 'operation-encompass')).toHaveLength(1);
    // Each school notification reached the school exactly once, signed.
    for (const id of ids.filter((id) => id !== cpIs)) {
      const sent = sentAbout(id);
      expect(sent.map((r) => r.status)).toEqual([200]);
      expect(verifyWithStandardWebhooks(SECRET, sent[0]!.headers, sent[0]!.body)).toEqual(
        JSON.parse(sent[0]!.body),
      );
    }
    // The one cut off mid-request went again, with the same webhook-id for the council to drop a repeat.
    const councilDelivery = await deliveryOf(cpIs!);
    expect(sentAbout(cpIs!, councilReceiver).map((r) => [r.headers['webhook-id'], r.status])).toEqual([
      [councilDelivery!.id, 0],
      [councilDelivery!.id, 200],
    ]);
    expect((await attemptsOf(councilDelivery!.id)).map((a) => a.outcome)).toEqual([
      'interrupted',
      'delivered',
    ]);
  }, 180_000);
});
