import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPool, OWNER_ROLES } from '@jigsaw/database';
import { contentHash, type RecordedEvent } from '@jigsaw/envelope';
import { PostgresEventStore } from '@jigsaw/event-store';
import { appliedEventsMigrations, eventKeyOf } from '@jigsaw/projection';
import { aRecordedEvent, createTestDatabase, METROPOLITAN_POLICE, type TestDatabase } from '@jigsaw/testing';
import {
  accessStreamOf,
  decideNotification,
  foldNotification,
  notificationStreamOf,
  viewMigrations,
  type NotificationCommand,
  type NotificationEvent,
} from '@jigsaw/view-model';
import { AUDIT_SERVICE_MIGRATIONS, createAudit, type Audit } from '../audit.js';
import type { AuditCaller } from '../auth/audit-caller.js';

const SCHOOL = 'urn:jigsaw:org:education:hillside-primary';
const forceDpo: AuditCaller = {
  sub: 'dpo-1',
  agency: 'police',
  organisation: METROPOLITAN_POLICE,
  role: 'data-protection-officer',
};
const schoolDpo: AuditCaller = {
  sub: 'dpo-hillside',
  agency: 'education',
  organisation: SCHOOL,
  role: 'data-protection-officer',
};
const strangerDpo: AuditCaller = {
  sub: 'dpo-york',
  agency: 'council',
  organisation: 'urn:jigsaw:org:council:york',
  role: 'data-protection-officer',
};

describe("one notification's history, as known at, from its stream", () => {
  let db: TestDatabase;
  let audit: Audit;
  let store: PostgresEventStore;
  const childId = randomUUID();
  const notificationId = randomUUID();
  const deliveryId = randomUUID();
  let incident: RecordedEvent;
  const masterKey = randomBytes(32).toString('base64');

  /** Decides a command on the stream as it stands and appends what it decided, as the view does. */
  const handle = async (command: NotificationCommand): Promise<NotificationEvent[]> => {
    const history = (await store.readStream(notificationStreamOf(notificationId))).map((s) => s.event);
    const events = decideNotification(foldNotification(history), command);
    await store.append(notificationStreamOf(notificationId), events, {
      expectedVersion: history.length === 0 ? 'no-stream' : history.length,
    });
    return events;
  };

  beforeAll(async () => {
    db = await createTestDatabase([
      ...AUDIT_SERVICE_MIGRATIONS,
      appliedEventsMigrations('view'),
      viewMigrations('view'),
    ]);
    audit = createAudit(db.pool, 'test-identifier-secret', masterKey);
    store = new PostgresEventStore(db.pool);
    // The Met recorded the incident: its data protection officer's organisation works with the child.
    incident = aRecordedEvent({ childid: childId });
    await store.append(`police-${childId}`, await audit.vault.sealAll([incident], childId), {
      expectedVersion: 'no-stream',
      contentHashes: [contentHash(incident)],
    });
    await handle({
      type: 'raise',
      now: new Date('2026-11-21T06:12:00Z'),
      notificationId,
      deliveryId,
      notification: {
        dedupeKey: `operation-encompass|${eventKeyOf(incident)}|${SCHOOL}`,
        kind: 'operation-encompass',
        childId,
        triggerEventKey: eventKeyOf(incident),
        recipient: { organisation: SCHOOL, agency: 'education' },
        route: 'school-roll',
        details: { school: { urn: '123456', name: 'Hillside Primary School' } },
        dueAt: new Date('2026-11-23T08:30:00Z'),
      },
    });
    await handle({
      type: 'record-attempt',
      now: new Date('2026-11-21T06:12:03Z'),
      deliveryId,
      attempt: 1,
      result: { outcome: 'failed', httpStatus: 503, reason: 'answered 503' },
      retryAt: new Date('2026-11-21T06:12:13Z'),
    });
    await handle({
      type: 'record-attempt',
      now: new Date('2026-11-21T06:12:14Z'),
      deliveryId,
      attempt: 2,
      result: { outcome: 'delivered', httpStatus: 204 },
    });
    await handle({
      type: 'acknowledge',
      now: new Date('2026-11-23T08:05:00Z'),
      by: { sub: 'dsl-1', role: 'designated-safeguarding-lead', organisation: SCHOOL },
    });
  });
  afterAll(async () => db?.drop());

  const read = (at?: string, caller = forceDpo) =>
    audit.notifications.read(caller, notificationId, at ? { asKnownAt: at } : {});

  it('answers before delivery, after delivery and after the acknowledgement, each as it stood', async () => {
    const told = { organisation: SCHOOL, agency: 'education', route: 'school-roll' };
    expect(await read('2026-11-21T06:12:05Z')).toMatchObject({
      told,
      raisedAt: '2026-11-21T06:12:00.000Z',
      dueAt: '2026-11-23T08:30:00.000Z',
      deliveries: [{ deliveryId, status: 'pending', attempts: 1 }],
      acknowledged: false,
    });
    const delivered = await read('2026-11-21T07:00:00Z');
    expect(delivered).toMatchObject({
      deliveries: [{ deliveryId, status: 'delivered', attempts: 2, deliveredAt: '2026-11-21T06:12:14.000Z' }],
      acknowledged: false,
    });
    expect(delivered).not.toHaveProperty('acknowledgedAt');
    const acknowledged = await read();
    expect(acknowledged).toMatchObject({
      acknowledged: true,
      acknowledgedAt: '2026-11-23T08:05:00.000Z',
      acknowledgedBy: { sub: 'dsl-1', role: 'designated-safeguarding-lead', organisation: SCHOOL },
    });
    expect(acknowledged.events.map((e) => e.type)).toEqual([
      'hub.notification-raised',
      'hub.notification-delivery-failed',
      'hub.notification-delivered',
      'hub.notification-acknowledged',
    ]);
  });

  it('records each read in the child’s access stream, naming the events it showed', async () => {
    const before = (await store.readStream(accessStreamOf(childId))).length;
    await read('2026-11-21T07:00:00Z');
    const reads = (await store.readStream(accessStreamOf(childId))).slice(before).map((s) => s.event);
    expect(reads).toHaveLength(1);
    expect(reads[0]!.data).toMatchObject({
      view: 'notification-history',
      viewer: { sub: 'dpo-1', organisation: METROPOLITAN_POLICE },
    });
    expect((reads[0]!.data as { shown: unknown[] }).shown).toHaveLength(3);
  });

  it('refuses what it may not answer, naming the field', async () => {
    await expect(read('2026-11-21T06:00:00Z')).rejects.toMatchObject({
      problems: [{ field: 'asKnownAt' }],
    });
    await expect(read('yesterday')).rejects.toMatchObject({ problems: [{ field: 'asKnownAt' }] });
    await expect(read('2999-01-01T00:00:00Z')).rejects.toMatchObject({
      problems: [{ field: 'asKnownAt', reason: 'must not be in the future' }],
    });
    await expect(audit.notifications.read(forceDpo, 'not-an-id', {})).rejects.toMatchObject({
      problems: [{ field: 'id' }],
    });
    // Unknown, and outside the caller's case: the same answer.
    await expect(audit.notifications.read(forceDpo, randomUUID(), {})).rejects.toMatchObject({
      message: 'no such notification is known to the hub',
    });
    await expect(read(undefined, strangerDpo)).rejects.toMatchObject({
      message: 'no such notification is known to the hub',
    });
  });

  it('makes the child the notified school’s case by the notification’s own stream, as the audit’s role', async () => {
    // No read model of the notifications has seen it, and the audit service's role reads none.
    const pool = createPool(db.url, { role: OWNER_ROLES.audit, max: 2 });
    try {
      const asAudit = createAudit(pool, 'test-identifier-secret', masterKey);
      expect(await asAudit.notifications.read(schoolDpo, notificationId, {})).toMatchObject({
        told: { organisation: SCHOOL },
      });
    } finally {
      await pool.end();
    }
  });
});
