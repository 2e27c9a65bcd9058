import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createPool, OWNER_ROLES, type Pool } from '@jigsaw/database';
import { SchemaRegistry } from '@jigsaw/envelope';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { appliedEventsMigrations, ProjectionRunner } from '@jigsaw/projection';
import { createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import { ChildLinks, VIEW_SCHEMA, viewMigrations } from '@jigsaw/view-model';
import { childLinksProjection } from './child-links.projection.js';
import { identityStreamOf, type IdentityEvent } from './identity.events.js';
import { LINKS_TOUCHING, StoredLinks } from './stored-links.js';
import { aLinkEvent, aSplitEvent } from './testing/decision.factory.js';

const now = new Date('2026-11-21T09:00:00Z');

describe('links read from identity events in the store', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  /** The view's read model of the links, projected from the same events: what the audit service used to read. */
  let runner: ProjectionRunner;
  let view: ChildLinks;
  /** Read as the audit service: its role has no grant on the view's tables. */
  let auditPool: Pool;
  let stored: StoredLinks;

  beforeAll(async () => {
    db = await createTestDatabase([
      EVENT_STORE_MIGRATIONS,
      appliedEventsMigrations(VIEW_SCHEMA),
      viewMigrations(VIEW_SCHEMA),
    ]);
    store = new PostgresEventStore(db.pool);
    runner = new ProjectionRunner(db.pool, VIEW_SCHEMA, [childLinksProjection], new SchemaRegistry());
    view = new ChildLinks(db.pool);
    auditPool = createPool(db.url, { role: OWNER_ROLES.audit, max: 2 });
    stored = new StoredLinks(auditPool);
  });
  afterAll(async () => {
    await auditPool?.end();
    await db?.drop();
  });

  /** Recorded as identity records it (on the pair's stream), and projected by the view. */
  const record = async (event: IdentityEvent): Promise<void> => {
    await store.append(identityStreamOf(event.childid), [event], { expectedVersion: 'any' });
    await runner.apply(event);
  };

  it('follows a chain of links from any of its children, the larger id of a pair too', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()].sort();
    // b-into-a is on a's stream, c-into-b on b's: c finds b only by the link's own ids.
    await record(aLinkEvent(`link-${randomUUID()}`, a!, b!, now));
    await record(aLinkEvent(`link-${randomUUID()}`, b!, c!, now));
    for (const child of [a!, b!, c!]) {
      expect(await stored.membersOf(child)).toEqual([a, b, c]);
      expect(await stored.canonicalOf(child)).toBe(a);
    }
    expect(await stored.membersOf(randomUUID())).toHaveLength(1);
  });

  it('answers as the view answered, for any history of merges, births and splits', async () => {
    const op = fc.oneof(
      fc.record({ op: fc.constant('link' as const), x: fc.nat(4), y: fc.nat(4), unborn: fc.boolean() }),
      fc.record({ op: fc.constant('split' as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 12 }), async (ops) => {
        const children = Array.from({ length: 5 }, () => randomUUID());
        const made: { linkId: string; childId: string; linkedId: string; unborn: boolean }[] = [];
        for (const step of ops) {
          if (step.op === 'link' && step.x !== step.y) {
            const link = {
              linkId: `link-${randomUUID()}`,
              childId: children[step.x]!,
              linkedId: children[step.y]!,
              unborn: step.unborn,
            };
            made.push(link);
            await record(aLinkEvent(link.linkId, link.childId, link.linkedId, now, link.unborn));
          } else if (step.op === 'split' && made.length > 0) {
            const { linkId, childId, linkedId, unborn } = made[step.pick % made.length]!;
            // A second split of one link is refused by identity; the store never holds one.
            made.splice(step.pick % made.length, 1);
            await record(aSplitEvent(linkId, childId, linkedId, now, unborn ? 'unborn-to-born' : 'merge'));
          }
        }
        for (const child of children) {
          expect(await stored.membersOf(child)).toEqual(await view.membersOf(child));
          expect(await stored.canonicalOf(child)).toBe(await view.canonicalOf(child));
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('finds a child’s link events through their index, not by reading every event', async () => {
    const client = await auditPool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${LINKS_TOUCHING}`, [
        [randomUUID()],
      ]);
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('events_links_by_child');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
