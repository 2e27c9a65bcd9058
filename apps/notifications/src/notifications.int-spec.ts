import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPool } from '@jigsaw/database';
import { SchemaRegistry, type RecordedEvent } from '@jigsaw/envelope';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { childErased, isErased, type ProtectedEvent } from '@jigsaw/erasure';
import { eventKeyOf, appliedEventsMigrations, ProjectionRunner, rebuild } from '@jigsaw/projection';
import {
  IDENTITY_SOURCE,
  IdentityCommands,
  IdentityRegistry,
  identityStreamOf,
  linksProjection,
  type LinkedChildren,
} from '@jigsaw/identity';
import type { Viewer } from '@jigsaw/sharing';
import { createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import {
  AccessLog,
  membersOn,
  NOTIFICATION_RAISED,
  notificationStreamOf,
  readModelProjections,
  NOTIFICATION_READ_MODELS,
  notificationsMigrations,
} from '@jigsaw/view-model';
import { ChildHistoryReader } from './child-history.js';
import { SettableClock } from './clock.js';
import { DeliveryDispatcher } from './delivery-dispatcher.js';
import { Escalator } from './escalator.js';
import { NotificationCommands } from './notification-commands.js';
import { NotificationScheduler } from './notification-scheduler.js';
import { NotificationInbox } from './notification-inbox.js';
import { inSchema, type NotificationRow } from './notification-store.js';
import { NOTIFICATION_DEFAULTS, type NotificationSettings } from './notifications.config.js';
import { NotificationsProjection } from './notifications.projection.js';
import { aWebhookSecret } from './testing/standard-webhooks.js';
import {
  aChild,
  aLeadPractitioner,
  anAttendance,
  anIncident,
  aPlanStarted,
  aPupilOnRoll,
  HILLSIDE,
  LEEDS,
  MET,
  OAKWOOD,
  recorded,
  type TestChild,
} from './testing/notification-events.factory.js';

const REPLAYED = 'notifications_replayed';
/** The notifications' schema: their own tables and their read models, as in the service. */
const SCHEMA = 'notifications_own';
const secret = aWebhookSecret();

const settings: NotificationSettings = {
  ...NOTIFICATION_DEFAULTS,
  SCHOOL_HOLIDAYS: '2026-12-21/2027-01-01',
  NOTIFICATION_MAX_AGE_DAYS: 30,
  // Only the school and the force take webhooks here: the council reads its inbox.
  NOTIFICATION_WEBHOOKS: JSON.stringify([
    { organisation: HILLSIDE, url: 'http://127.0.0.1:9/unused', secret },
    { organisation: MET, url: 'http://127.0.0.1:9/unused', secret },
  ]),
};

const dsl: Viewer = {
  agency: 'education',
  organisation: HILLSIDE,
  role: 'designated-safeguarding-lead',
  purpose: 'safeguarding',
  userId: 'dsl-1',
};
const socialWorker: Viewer = {
  agency: 'council',
  organisation: LEEDS,
  role: 'social-worker',
  purpose: 'safeguarding',
  userId: 'sw-1',
};
const officer: Viewer = {
  agency: 'police',
  organisation: MET,
  role: 'police-officer',
  purpose: 'safeguarding',
  userId: 'pc-1',
};

interface Applies {
  apply(event: RecordedEvent): Promise<boolean>;
}

/** As the view's consumer does: each batch's notification intents are recorded once it has committed. */
function recordingAfter(runner: ProjectionRunner, commands: NotificationCommands): Applies {
  return {
    apply: async (event) => {
      const fresh = await runner.apply(event);
      await commands.recordIntents();
      return fresh;
    },
  };
}

describe('notifications on PostgreSQL', () => {
  let db: TestDatabase;
  const clock = new SettableClock('2026-11-20T23:00:00Z');
  const children = new ChildHistoryReader(SCHEMA);
  let projection: NotificationsProjection;
  let commands: NotificationCommands;
  let runner: Applies;
  let escalator: Escalator;
  let scheduler: NotificationScheduler;
  let inbox: NotificationInbox;
  let store: PostgresEventStore;
  let identity: IdentityCommands;
  let links: ProjectionRunner;

  beforeAll(async () => {
    db = await createTestDatabase([
      EVENT_STORE_MIGRATIONS,
      ...[SCHEMA, REPLAYED].flatMap((schema) => [
        appliedEventsMigrations(schema),
        notificationsMigrations(schema),
      ]),
    ]);
    store = new PostgresEventStore(db.pool);
    commands = new NotificationCommands(db.pool, store, SCHEMA);
    projection = new NotificationsProjection(settings, clock, children, SCHEMA);
    runner = recordingAfter(
      new ProjectionRunner(db.pool, SCHEMA, [projection], new SchemaRegistry()),
      commands,
    );
    escalator = new Escalator(db.pool, SCHEMA, settings, clock, children, store, commands);
    scheduler = new NotificationScheduler(
      settings,
      escalator,
      new DeliveryDispatcher(db.pool, SCHEMA, settings, clock, children, commands),
      commands,
    );
    inbox = new NotificationInbox(db.pool, SCHEMA, clock, children, new AccessLog(store), commands);
    // The links as the notifications' consumer of hub.events keeps them, in its own schema.
    links = new ProjectionRunner(db.pool, SCHEMA, [linksProjection], new SchemaRegistry());
    const ownLinks: LinkedChildren = { membersOf: (id) => membersOn(db.pool, id, SCHEMA) };
    identity = new IdentityCommands(store, new IdentityRegistry(db.pool, 'test-secret'), ownLinks);
  });
  afterAll(async () => db?.drop());

  const notificationsOf = async (child: TestChild): Promise<NotificationRow[]> =>
    (
      await db.pool.query<NotificationRow>(
        `SELECT * FROM "${SCHEMA}".notifications WHERE child_id = $1 ORDER BY created_at, recipient_organisation`,
        [child.childid],
      )
    ).rows;

  const deliveriesOf = async (notificationId: string): Promise<{ organisation: string; status: string }[]> =>
    (
      await db.pool.query<{ organisation: string; status: string }>(
        `SELECT organisation, status FROM "${SCHEMA}".notification_deliveries WHERE notification_id = $1`,
        [notificationId],
      )
    ).rows;

  describe('its own history of each child', () => {
    const historyOf = async (child: TestChild): Promise<ProtectedEvent[]> =>
      (
        await db.pool.query<{ event: ProtectedEvent }>(
          `SELECT event FROM "${SCHEMA}".child_history WHERE child_id = $1 ORDER BY recorded_at, event_key`,
          [child.childid],
        )
      ).rows.map((r) => r.event);

    it('decides from the records this consumer applied, kept once each, with no chronology beside it', async () => {
      const child = aChild();
      const plan = recorded(aPlanStarted(child, { startDate: '2026-06-02' }), child, clock.now());
      const attendance = recorded(
        anAttendance(child, { arrivedAt: '2026-11-20T22:10:00Z' }),
        child,
        new Date(clock.now().getTime() + 1000),
      );
      await runner.apply(plan);
      await runner.apply(attendance);
      await runner.apply(attendance);
      expect((await historyOf(child)).map(eventKeyOf)).toEqual([eventKeyOf(plan), eventKeyOf(attendance)]);
      // There is no chronology here: the plan it matched came from the notifications' own table.
      expect((await notificationsOf(child)).map((n) => n.recipient_organisation)).toEqual([LEEDS]);
    });

    it("gives the child's kept records up to the erased marker on hub.child-erased, as the chronology does", async () => {
      const child = aChild();
      const other = aChild();
      const incident = recorded(
        anIncident(child, { occurredAt: '2026-11-20T21:00:00Z' }),
        child,
        clock.now(),
      );
      const kept = recorded(anIncident(other, { occurredAt: '2026-11-20T21:00:00Z' }), other, clock.now());
      await runner.apply(incident);
      await runner.apply(kept);
      const dpo = { userId: 'dpo-1', role: 'data-protection-officer', organisation: LEEDS };
      await runner.apply(
        childErased(child.childid, [], dpo, 'erasure requested', new Date(clock.now().getTime() + 1000)),
      );
      const erased = await historyOf(child);
      expect(erased.map(eventKeyOf)).toEqual([eventKeyOf(incident)]);
      expect(erased.every(isErased)).toBe(true);
      expect(JSON.stringify(erased)).not.toContain(child.nhsNumber);
      const untouched = await historyOf(other);
      expect(untouched.some(isErased)).toBe(false);
      expect(JSON.stringify(untouched)).toContain(other.nhsNumber);
    });
  });

  describe('raised by the projection', () => {
    it('raises one CP-IS notification, whatever order the events come in and however often', async () => {
      const child = aChild();
      const attendance = recorded(
        anAttendance(child, { arrivedAt: '2026-11-20T22:10:00Z' }),
        child,
        clock.now(),
      );
      const plan = recorded(aPlanStarted(child, { startDate: '2026-06-02' }), child, clock.now());
      expect(await runner.apply(attendance)).toBe(true);
      expect(await notificationsOf(child)).toEqual([]);
      expect(await runner.apply(plan)).toBe(true);
      // Kafka delivers at least once: the same events again change nothing.
      expect(await runner.apply(plan)).toBe(false);
      expect(await runner.apply({ ...attendance })).toBe(false);
      const rows = await notificationsOf(child);
      expect(rows).toEqual([
        expect.objectContaining({
          kind: 'cp-is',
          recipient_organisation: LEEDS,
          trigger_event_key: eventKeyOf(attendance),
          route: 'responsible-council',
          due_at: null,
        }),
      ]);
      // The council has no webhook: its inbox only.
      expect(await deliveriesOf(rows[0]!.id)).toEqual([]);
    });

    it('follows identity links: a plan under one hub id and an attendance under another, linked as one child', async () => {
      const attending = aChild();
      const onPlan: TestChild = { ...aChild(), nhsNumber: attending.nhsNumber };
      await runner.apply(recorded(aPlanStarted(onPlan, { startDate: '2026-06-02' }), onPlan, clock.now()));
      const unlinked = recorded(
        anAttendance(attending, { arrivedAt: '2026-11-20T22:10:00Z' }),
        attending,
        clock.now(),
      );
      await runner.apply(unlinked);
      expect(await notificationsOf(attending)).toEqual([]);

      // A person confirms the two are one child; the notifications' consumer of hub.events applies it.
      const { matchId } = await identity.raise(attending.childid, onPlan.childid, 'identifier-conflict');
      await identity.confirm(matchId, {
        decidedBy: { sub: 'sw-1', organisation: LEEDS, agency: 'council', role: 'social-worker' },
        reason: 'Checked with the trust and the council.',
      });
      const raised = await store.findEvent(IDENTITY_SOURCE, matchId);
      const decided = await store.readStream(identityStreamOf(raised!.event.childid));
      expect(decided.map((s) => s.event.type)).toContain('hub.children-merged');
      for (const { event } of decided) await links.apply(event);
      expect(await membersOn(db.pool, attending.childid, SCHEMA)).toEqual(
        [onPlan.childid, attending.childid].sort(),
      );
      const linked = recorded(
        anAttendance(attending, { arrivedAt: '2026-11-20T22:20:00Z' }),
        attending,
        clock.now(),
      );
      await runner.apply(linked);
      expect(await notificationsOf(attending)).toEqual([
        expect.objectContaining({
          kind: 'cp-is',
          recipient_organisation: LEEDS,
          trigger_event_key: eventKeyOf(linked),
        }),
      ]);
    });

    it('never misses a match when the attendance and the plan are applied side by side', async () => {
      const pairs = Array.from({ length: 12 }, () => {
        const child = aChild();
        return {
          child,
          attendance: recorded(
            anAttendance(child, { arrivedAt: '2026-11-20T22:10:00Z' }),
            child,
            clock.now(),
          ),
          plan: recorded(aPlanStarted(child, { startDate: '2026-06-02' }), child, clock.now()),
        };
      });
      // Two runners, as two view instances on different partitions would be.
      const other = recordingAfter(
        new ProjectionRunner(db.pool, SCHEMA, [projection], new SchemaRegistry()),
        new NotificationCommands(db.pool, store, SCHEMA),
      );
      await Promise.all(
        pairs.flatMap(({ attendance, plan }) => [runner.apply(attendance), other.apply(plan)]),
      );
      for (const { child } of pairs) expect(await notificationsOf(child)).toHaveLength(1);
    });

    it('raises Operation Encompass for the school on the roll, due Monday 08:30, with its webhook delivery', async () => {
      const child = aChild();
      await runner.apply(
        recorded(aPupilOnRoll(child, { onRollFrom: '2021-09-01' }), child, '2026-09-01T10:00:00Z'),
      );
      const incident = recorded(
        anIncident(child, { occurredAt: '2026-11-20T22:40:00Z' }),
        child,
        clock.now(),
      );
      await runner.apply(incident);
      const [row] = await notificationsOf(child);
      expect(row).toMatchObject({
        kind: 'operation-encompass',
        recipient_organisation: HILLSIDE,
        recipient_agency: 'education',
        route: 'school-roll',
        due_at: new Date('2026-11-23T08:30:00Z'),
        created_at: clock.now(),
        details: { school: { urn: '123456', name: 'Hillside Primary School' } },
      });
      expect(await deliveriesOf(row!.id)).toEqual([{ organisation: HILLSIDE, status: 'pending' }]);
    });

    it('raises the same notification and delivery, under the same ids, when the agency history is replayed', async () => {
      const child = aChild();
      const events = [
        recorded(aPupilOnRoll(child, { onRollFrom: '2021-09-01' }), child, '2026-09-01T10:00:00Z'),
        recorded(anIncident(child, { occurredAt: '2026-11-20T22:40:00Z' }), child, clock.now()),
      ];
      for (const event of events) await runner.apply(event);
      const [live] = await notificationsOf(child);
      const streamLength = async () =>
        (await store.readStream(notificationStreamOf(live!.id))).map((s) => s.event.type);
      expect(await streamLength()).toEqual([NOTIFICATION_RAISED]);
      // The same events decided again (a replay of the topics) raise the same notification: nothing new.
      await db.pool.query(`DELETE FROM "${SCHEMA}".applied_events WHERE event_key = ANY($1)`, [
        events.map(eventKeyOf),
      ]);
      for (const event of events) expect(await runner.apply(event)).toBe(true);
      expect(await streamLength()).toEqual([NOTIFICATION_RAISED]);
      expect(await notificationsOf(child)).toEqual([live]);
    });

    it("rebuilds the inbox and the work-queue from the notifications' streams, row for row", async () => {
      const child = aChild();
      clock.set('2026-11-20T23:00:00Z');
      await runner.apply(
        recorded(aPupilOnRoll(child, { onRollFrom: '2021-09-01' }), child, '2026-09-01T10:00:00Z'),
      );
      await runner.apply(
        recorded(anIncident(child, { occurredAt: '2026-11-20T22:40:00Z' }), child, clock.now()),
      );
      const [row] = await notificationsOf(child);
      clock.set('2026-11-23T07:45:00Z');
      await inbox.acknowledge(dsl, row!.id);
      const replayed = await rebuild(
        db.pool,
        store,
        REPLAYED,
        readModelProjections({ pool: db.pool }, NOTIFICATION_READ_MODELS),
      );
      expect(replayed.applied).toBeGreaterThanOrEqual(2);
      const rowsIn = async (schema: string) =>
        (
          await db.pool.query<Record<string, unknown>>(
            `SELECT n.*, d.id AS delivery, d.status AS delivery_status, d.next_attempt_at
             FROM "${schema}".notifications n
             LEFT JOIN "${schema}".notification_deliveries d ON d.notification_id = n.id
             WHERE n.child_id = $1 ORDER BY n.id`,
            [child.childid],
          )
        ).rows;
      const live = await rowsIn(SCHEMA);
      expect(live).toEqual([
        expect.objectContaining({
          id: row!.id,
          acknowledged_at: new Date('2026-11-23T07:45:00Z'),
          delivery_status: 'pending',
        }),
      ]);
      expect(await rowsIn(REPLAYED)).toEqual(live);
    });

    it("addresses the school a force names by URN once any child's roll has taught the hub who it is", async () => {
      const pupil = aChild();
      await runner.apply(
        recorded(
          aPupilOnRoll(pupil, {
            source: OAKWOOD,
            onRollFrom: '2025-09-01',
            urn: '765432',
            name: 'Oakwood Academy',
          }),
          pupil,
          '2026-09-01T10:00:00Z',
        ),
      );
      const child = aChild();
      await runner.apply(
        recorded(
          anIncident(child, { occurredAt: '2026-11-20T22:40:00Z', schoolUrn: '765432' }),
          child,
          clock.now(),
        ),
      );
      expect(await notificationsOf(child)).toEqual([
        expect.objectContaining({ recipient_organisation: OAKWOOD, route: 'school-named-by-police' }),
      ]);
    });
  });

  describe('deadline and escalation', () => {
    const raise = async (): Promise<{ child: TestChild; id: string }> => {
      const child = aChild();
      clock.set('2026-11-20T23:00:00Z');
      await runner.apply(
        recorded(aLeadPractitioner(child, { assignedDate: '2026-03-01' }), child, '2026-03-01T10:00:00Z'),
      );
      await runner.apply(
        recorded(aPupilOnRoll(child, { onRollFrom: '2021-09-01' }), child, '2026-09-01T10:00:00Z'),
      );
      await runner.apply(
        recorded(anIncident(child, { occurredAt: '2026-11-20T22:40:00Z' }), child, clock.now()),
      );
      const [row] = await notificationsOf(child);
      return { child, id: row!.id };
    };

    it('escalates at Monday 08:30, not before, to the force and the council, once', async () => {
      const { child, id } = await raise();
      clock.set('2026-11-23T08:29:59Z');
      await scheduler.tick();
      expect(await notificationsOf(child)).toHaveLength(1);

      clock.set('2026-11-23T08:30:00Z');
      expect((await scheduler.tick()).escalated).toBeGreaterThanOrEqual(1);
      expect((await scheduler.tick()).escalated).toBe(0);
      const rows = await notificationsOf(child);
      expect(rows.map((r) => [r.kind, r.recipient_organisation, r.route, r.escalation_of])).toEqual([
        ['operation-encompass', HILLSIDE, 'school-roll', null],
        ['escalation', LEEDS, 'council-for-child', id],
        ['escalation', MET, 'raised-by', id],
      ]);
      expect(rows[0]).toMatchObject({ escalated_at: clock.now(), escalation_outcome: 'escalated' });
      // The force takes webhooks; the council reads its inbox.
      expect(await deliveriesOf(rows[2]!.id)).toEqual([{ organisation: MET, status: 'pending' }]);
      expect(await deliveriesOf(rows[1]!.id)).toEqual([]);

      const police = await inbox.page(officer, { limit: 10, kind: 'escalation' });
      const mine = police.notifications.filter((n) => n.childId === child.childid);
      expect(mine).toEqual([
        expect.objectContaining({
          kind: 'escalation',
          escalation: {
            of: id,
            recipient: { organisation: HILLSIDE, agency: 'education', route: 'school-roll' },
            dueAt: '2026-11-23T08:30:00.000Z',
          },
        }),
      ]);
      // The force sees its own incident whole, narrative included.
      expect(mine[0]?.event?.data).toHaveProperty('narrative');
    });

    it('escalates each overdue notification once when two replicas tick at the same moment', async () => {
      const raised = [];
      for (let i = 0; i < 6; i++) raised.push(await raise());
      // The second replica: its own process, so its own pool, on the same database.
      const otherPool = createPool(db.url, { max: 5, name: 'second-replica' });
      try {
        const otherStore = new PostgresEventStore(otherPool);
        const other = new Escalator(
          otherPool,
          SCHEMA,
          settings,
          clock,
          children,
          otherStore,
          new NotificationCommands(otherPool, otherStore, SCHEMA),
        );
        clock.set('2026-11-23T08:30:00Z');
        const looked = await Promise.all([
          escalator.escalateOverdue(2),
          other.escalateOverdue(2),
          escalator.escalateOverdue(2),
          other.escalateOverdue(2),
          escalator.escalateOverdue(),
          other.escalateOverdue(),
        ]);
        expect(looked.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(raised.length);
        for (const { child, id } of raised) {
          const rows = await notificationsOf(child);
          // The original and its two escalations (force and council), never a second pair.
          expect(rows.filter((r) => r.escalation_of === id)).toHaveLength(2);
          expect(rows.find((r) => r.id === id)).toMatchObject({ escalation_outcome: 'escalated' });
        }
      } finally {
        await otherPool.end();
      }
    });

    it('does not escalate what was acknowledged in time', async () => {
      const { child, id } = await raise();
      clock.set('2026-11-23T07:45:00Z');
      expect(await inbox.acknowledge(dsl, id)).toEqual({
        notificationId: id,
        acknowledgedAt: '2026-11-23T07:45:00.000Z',
        acknowledgedBy: { sub: 'dsl-1', role: 'designated-safeguarding-lead', organisation: HILLSIDE },
        repeated: false,
      });
      clock.set('2026-11-23T09:00:00Z');
      await escalator.escalateOverdue();
      expect(await notificationsOf(child)).toHaveLength(1);
    });
  });

  describe('the inbox', () => {
    it("lists an organisation's notifications newest first, filtered, a page at a time, and records each read", async () => {
      clock.set('2026-11-24T20:00:00Z');
      const raised: string[] = [];
      for (let i = 0; i < 5; i++) {
        const child = aChild();
        clock.advance(60_000);
        await runner.apply(
          recorded(aPupilOnRoll(child, { onRollFrom: '2021-09-01' }), child, '2026-09-01T10:00:00Z'),
        );
        await runner.apply(
          recorded(anIncident(child, { occurredAt: clock.now().toISOString() }), child, clock.now()),
        );
        raised.unshift((await notificationsOf(child))[0]!.id);
      }
      clock.set('2026-11-25T07:00:00Z');
      const first = await inbox.page(dsl, { limit: 2, status: 'open' });
      expect(first.notifications.map((n) => n.id)).toEqual(raised.slice(0, 2));
      expect(first.nextCursor).toBeDefined();
      const second = await inbox.page(dsl, { limit: 2, status: 'open', cursor: first.nextCursor! });
      expect(second.notifications.map((n) => n.id)).toEqual(raised.slice(2, 4));

      const all: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await inbox.page(dsl, { limit: 3, status: 'open', ...(cursor ? { cursor } : {}) });
        all.push(...page.notifications.map((n) => n.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(all.slice(0, 5)).toEqual(raised);
      expect(new Set(all).size).toBe(all.length);

      // Each child read is on record, as the chronology's reads are.
      const access = await db.pool.query<{
        payload: { data: { record: { view: string; childId: string; shown: unknown[] } } };
      }>(
        `SELECT payload FROM event_store.events WHERE type = 'hub.record-accessed' AND payload->'data'->'record'->>'childId' = $1`,
        [first.notifications[0]!.childId],
      );
      expect(access.rows.map((r) => r.payload.data.record.view)).toContain('notifications');
      expect(access.rows[0]?.payload.data.record.shown.length).toBeGreaterThan(0);

      clock.set('2026-11-25T08:30:00Z');
      const overdue = await inbox.page(dsl, { limit: 200, status: 'overdue' });
      expect(overdue.notifications.map((n) => n.id)).toEqual(expect.arrayContaining(raised));
      expect(
        (await inbox.page(dsl, { limit: 200, status: 'open' })).notifications.map((n) => n.id),
      ).not.toEqual(expect.arrayContaining([raised[0]]));
    });

    it('shows a notification to nobody else, and refuses their acknowledgement as not found', async () => {
      const child = aChild();
      clock.set('2026-11-24T20:00:00Z');
      await runner.apply(
        recorded(aPupilOnRoll(child, { onRollFrom: '2021-09-01' }), child, '2026-09-01T10:00:00Z'),
      );
      await runner.apply(
        recorded(anIncident(child, { occurredAt: '2026-11-24T19:00:00Z' }), child, clock.now()),
      );
      const [row] = await notificationsOf(child);
      const teacher: Viewer = { ...dsl, role: 'teacher', userId: 't-1' };
      const listed = async (viewer: Viewer): Promise<boolean> =>
        (await inbox.page(viewer, { limit: 200 })).notifications.some((n) => n.id === row!.id);
      expect(await listed(dsl)).toBe(true);
      expect(await listed(teacher)).toBe(false);
      expect(await listed(socialWorker)).toBe(false);
      await expect(inbox.acknowledge(teacher, row!.id)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(inbox.acknowledge(socialWorker, row!.id)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(inbox.acknowledge(dsl, 'not-a-uuid')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(inbox.page(dsl, { limit: 5, cursor: 'nonsense' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        problems: [{ field: 'cursor', reason: 'must be a nextCursor from an earlier page' }],
      });
    });

    it('keeps the first acknowledgement when acknowledged again, by anyone', async () => {
      const child = aChild();
      await runner.apply(
        recorded(aPupilOnRoll(child, { onRollFrom: '2021-09-01' }), child, '2026-09-01T10:00:00Z'),
      );
      await runner.apply(
        recorded(anIncident(child, { occurredAt: '2026-11-24T19:00:00Z' }), child, clock.now()),
      );
      const [row] = await notificationsOf(child);
      clock.set('2026-11-25T07:00:00Z');
      const first = await inbox.acknowledge(dsl, row!.id);
      clock.set('2026-11-25T07:10:00Z');
      const again = await inbox.acknowledge({ ...dsl, userId: 'dsl-2' }, row!.id);
      expect(again).toEqual({ ...first, repeated: true });
      const stored = await inSchema(
        db.pool,
        SCHEMA,
        async (tx) =>
          (await tx.query<NotificationRow>('SELECT * FROM notifications WHERE id = $1', [row!.id])).rows[0],
      );
      expect(stored).toMatchObject({
        acknowledged_at: new Date('2026-11-25T07:00:00Z'),
        acknowledged_by: { sub: 'dsl-1' },
      });
    });
  });

  it('leaves events of no interest to notifications alone', async () => {
    const child = aChild();
    const event: RecordedEvent = recorded(
      aLeadPractitioner(child, { assignedDate: '2026-03-01' }),
      child,
      clock.now(),
    );
    await runner.apply(event);
    expect(await notificationsOf(child)).toEqual([]);
  });
});
