import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { PoolClient } from '@jigsaw/database';
import { createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import { notificationsMigrations } from './notifications-schema.js';
import {
  NOTIFICATION_ACKNOWLEDGED,
  NOTIFICATION_DELIVERED,
  NOTIFICATION_ESCALATED,
  NOTIFICATION_RAISED,
  NOTIFICATION_RECALLED,
  notificationEvent,
  type NotificationEvent,
} from './notification.events.js';
import { notificationsReadModelProjection as projection } from './notifications.projection.js';

type Step =
  | { kind: 'raise'; n: number; dedupe: number; webhook: boolean }
  | { kind: 'acknowledge' | 'deliver' | 'escalate' | 'recall'; n: number };

const steps = fc.array(
  fc.oneof(
    fc.record({
      kind: fc.constant('raise' as const),
      n: fc.integer({ min: 0, max: 4 }),
      // Another notification deciding to the same key is one the store already holds.
      dedupe: fc.integer({ min: 0, max: 4 }),
      webhook: fc.boolean(),
    }),
    fc.record({
      kind: fc.constantFrom(
        'acknowledge' as const,
        'deliver' as const,
        'escalate' as const,
        'recall' as const,
      ),
      n: fc.integer({ min: 0, max: 4 }),
    }),
  ),
  { maxLength: 25 },
);

/**
 * The inbox and the work-queue take a consumed batch's raised notifications in one statement: whatever the
 * history, they must hold exactly what applying its events one at a time holds.
 */
describe('notifications read model: applyMany equals apply, event by event', () => {
  let db: TestDatabase;
  const schemas = { one: 'notifications_one_at_a_time', many: 'notifications_many' };

  beforeAll(async () => {
    db = await createTestDatabase([
      notificationsMigrations(schemas.one),
      notificationsMigrations(schemas.many),
    ]);
  });
  afterAll(async () => db.drop());

  function eventsOf(history: readonly Step[]): NotificationEvent[] {
    const ids = Array.from({ length: 5 }, () => randomUUID());
    const deliveries = Array.from({ length: 5 }, () => randomUUID());
    const childId = randomUUID();
    const at = (n: number, minute: number) => ({
      id: randomUUID(),
      at: `2026-12-07T09:${String(minute).padStart(2, '0')}:00.000Z`,
      childId,
      recipient: 'urn:jigsaw:org:education:urn-100001',
      triggerEventKey: `urn:jigsaw:org:police:west-yorkshire|incident-${n}`,
    });
    return history.map((step, i) => {
      const n = step.n;
      const when = at(n, i);
      switch (step.kind) {
        case 'raise':
          return notificationEvent(NOTIFICATION_RAISED, when, {
            notificationId: ids[n]!,
            dedupeKey: `operation-encompass|incident-${step.dedupe}`,
            kind: 'operation-encompass',
            childId,
            triggerEventKey: when.triggerEventKey,
            recipient: { organisation: when.recipient, agency: 'education' },
            route: 'school-roll',
            details: { statusEvents: [`event-${i}`] },
            dueAt: '2026-12-07T12:00:00.000Z',
            raisedAt: when.at,
            ...(step.webhook ? { delivery: { deliveryId: deliveries[n]! } } : {}),
          });
        case 'acknowledge':
          return notificationEvent(NOTIFICATION_ACKNOWLEDGED, when, {
            notificationId: ids[n]!,
            acknowledgedAt: when.at,
            acknowledgedBy: {
              sub: 'dsl-1',
              role: 'designated-safeguarding-lead',
              organisation: when.recipient,
            },
          });
        case 'deliver':
          return notificationEvent(NOTIFICATION_DELIVERED, when, {
            notificationId: ids[n]!,
            deliveryId: deliveries[n]!,
            deliveryKind: 'notification',
            organisation: when.recipient,
            attempt: 1,
            httpStatus: 204,
            deliveredAt: when.at,
          });
        case 'escalate':
          return notificationEvent(NOTIFICATION_ESCALATED, when, {
            notificationId: ids[n]!,
            escalatedAt: when.at,
            outcome: 'escalated',
            escalations: [],
          });
        case 'recall':
          return notificationEvent(NOTIFICATION_RECALLED, when, {
            notificationId: ids[n]!,
            recalledAt: when.at,
            organisation: when.recipient,
            deliveryId: randomUUID(),
          });
      }
    });
  }

  // Read inside the transaction that applied them: nothing here is committed.
  const tables = async (db: Pick<PoolClient, 'query'>, schema: string): Promise<unknown[]> => {
    const { rows: inbox } = await db.query(
      `SELECT id, dedupe_key, kind, child_id, trigger_event_key, recipient_organisation, recipient_agency, route,
              details, escalation_of, due_at, created_at, acknowledged_at, acknowledged_by, escalated_at,
              escalation_outcome
       FROM "${schema}".notifications ORDER BY id`,
    );
    const { rows: queue } = await db.query(
      `SELECT id, notification_id, organisation, kind, status, attempts, next_attempt_at, created_at, finished_at
       FROM "${schema}".notification_deliveries ORDER BY id`,
    );
    return [inbox, queue];
  };

  it('holds the same inbox and work-queue after any history, applied at once or in turn', async () => {
    await fc.assert(
      fc.asyncProperty(steps, fc.integer({ min: 1, max: 25 }), async (history, batchSize) => {
        const events = eventsOf(history);
        const client = await db.pool.connect();
        try {
          await client.query('BEGIN');
          await client.query(`SET LOCAL search_path TO "${schemas.one}"`);
          for (const event of events) await projection.apply(client, event);
          await client.query(`SET LOCAL search_path TO "${schemas.many}"`);
          for (let i = 0; i < events.length; i += batchSize) {
            await projection.applyMany!(client, events.slice(i, i + batchSize));
          }
          const one = await tables(client, schemas.one);
          // The comparison is never of two empty inboxes when something was raised.
          expect((one[0] as unknown[]).length > 0).toBe(history.some((step) => step.kind === 'raise'));
          expect(await tables(client, schemas.many)).toEqual(one);
        } finally {
          await client.query('ROLLBACK');
          client.release();
        }
      }),
      { numRuns: 80 },
    );
  });

  it('raises a batch of notifications into the inbox and the queue', async () => {
    const history: Step[] = [0, 1, 2].map((n) => ({ kind: 'raise', n, dedupe: n, webhook: n !== 1 }));
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL search_path TO "${schemas.many}"`);
      await projection.applyMany!(client, eventsOf(history));
      const [inbox, queue] = (await tables(client, schemas.many)) as [unknown[], unknown[]];
      expect(inbox).toHaveLength(3);
      expect(queue).toHaveLength(2);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
