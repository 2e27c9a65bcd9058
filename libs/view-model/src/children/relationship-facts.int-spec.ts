import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KEY_ADULT_REGISTERED, PUPIL_ON_ROLL } from '@jigsaw/contracts';
import { createPool, OWNER_ROLES, type Pool } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { aRecordedEvent, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import { decideNotification, foldNotification } from '../notifications/notification.decider.js';
import { notificationStreamOf } from '../notifications/notification.events.js';
import { NOTIFIED, SCHOOLS, storedRelationshipFacts } from './relationship-facts.js';

const HILLSIDE = 'urn:jigsaw:org:education:hillside-primary';
const ACADEMY = 'urn:jigsaw:org:education:hillside-academy';
const LEEDS = 'urn:jigsaw:org:council:leeds';

/**
 * The event store only: no view schema, no notifications' read model. Read as the view (its gate) and as the
 * audit service ("as known at") each read them.
 */
describe.each([OWNER_ROLES.view, OWNER_ROLES.audit])(
  "the facts a child's relationships fold from, read in the store as %s",
  (role) => {
    let db: TestDatabase;
    let store: PostgresEventStore;
    let pool: Pool;

    beforeAll(async () => {
      db = await createTestDatabase([EVENT_STORE_MIGRATIONS]);
      store = new PostgresEventStore(db.pool);
      pool = createPool(db.url, { role, max: 2 });
    });
    afterAll(async () => {
      await pool?.end();
      await db?.drop();
    });

    const raise = async (childId: string, organisation: string, now: Date): Promise<void> => {
      const notificationId = randomUUID();
      const events = decideNotification(foldNotification([]), {
        type: 'raise',
        now,
        notificationId,
        deliveryId: randomUUID(),
        notification: {
          dedupeKey: `test|${notificationId}`,
          kind: 'cp-is',
          childId,
          triggerEventKey: `test|${randomUUID()}`,
          recipient: { organisation, agency: 'council' },
          route: 'responsible-council',
          details: {},
        },
      });
      await store.append(notificationStreamOf(notificationId), events, { expectedVersion: 'no-stream' });
    };

    /** A school's record naming itself by URN, as the notifications' school directory learns it. */
    const schoolRecord = async (source: string, type: string, school: unknown, at: string): Promise<void> => {
      const childId = randomUUID();
      const event = {
        ...aRecordedEvent({ childid: childId, source }),
        type,
        data: { school },
        recordedtime: at,
      } as RecordedEvent;
      await store.append(`education-${childId}`, [event], { expectedVersion: 'no-stream' });
    };

    it('gives the notifications raised about any of the child’s hub ids, to whom and when', async () => {
      const [child, merged, other] = [randomUUID(), randomUUID(), randomUUID()];
      await raise(child, LEEDS, new Date('2026-03-01T10:00:00Z'));
      await raise(merged, HILLSIDE, new Date('2026-04-01T10:00:00.5+01:00'));
      await raise(other, ACADEMY, new Date('2026-05-01T10:00:00Z'));
      const addressed = await storedRelationshipFacts(pool).addressed([child, merged]);
      expect(addressed.sort((a, b) => a.at.localeCompare(b.at))).toEqual([
        { organisation: LEEDS, at: '2026-03-01T10:00:00.000Z' },
        { organisation: HILLSIDE, at: '2026-04-01T09:00:00.500Z' },
      ]);
      expect(await storedRelationshipFacts(pool).addressed([randomUUID()])).toEqual([]);
    });

    it('names each URN’s school by the latest record naming it, as the directory keeps it', async () => {
      const [urn, renamed, unknown] = ['100001', '100002', '100003'];
      await schoolRecord(HILLSIDE, PUPIL_ON_ROLL, { urn, name: 'Hillside Primary' }, '2026-01-01T09:00:00Z');
      // The school became an academy: its later records name the same URN.
      await schoolRecord(HILLSIDE, PUPIL_ON_ROLL, { urn: renamed, name: 'Hillside' }, '2026-01-01T09:00:00Z');
      await schoolRecord(
        ACADEMY,
        KEY_ADULT_REGISTERED,
        { urn: renamed, name: 'Hillside' },
        '2026-02-01T09:00:00Z',
      );
      // Recorded later but about an earlier time, or without a name: neither moves the directory.
      await schoolRecord(HILLSIDE, PUPIL_ON_ROLL, { urn: renamed, name: 'Hillside' }, '2026-01-15T09:00:00Z');
      await schoolRecord(LEEDS, PUPIL_ON_ROLL, { urn: renamed }, '2026-03-01T09:00:00Z');
      const schools = await storedRelationshipFacts(pool).schools([urn, renamed, unknown]);
      expect([...schools].sort()).toEqual([
        [urn, HILLSIDE],
        [renamed, ACADEMY],
      ]);
    });

    it.each([
      ['notifications', NOTIFIED, 'events_notified_child'],
      ['schools', SCHOOLS, 'events_school_urn'],
    ])('finds the %s through their index, not by reading every event', async (_what, query, index) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL enable_seqscan = off');
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query}`, [[randomUUID()]]);
        expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toContain(index);
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    });
  },
);
