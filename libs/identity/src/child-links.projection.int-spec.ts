import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SchemaRegistry } from '@jigsaw/envelope';
import {
  canonicalOf,
  componentOf,
  evolveLinks,
  NO_LINKS,
  type LinkChange,
  type LinkState,
} from './child-links.js';
import { appliedEventsMigrations, ProjectionRunner } from '@jigsaw/projection';
import { aRecordedEvent, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import {
  chronologyProjection,
  EVENT_COLUMNS,
  fullEvent,
  VIEW_SCHEMA,
  viewMigrations,
  ChildLinks,
  type StoredChronologyRow,
} from '@jigsaw/view-model';
import { childLinksProjection } from './child-links.projection.js';
import {
  identityEvent,
  matchIdOf,
  pairStreamChild,
  POSSIBLE_MATCH_RAISED,
  type IdentityEvent,
} from './identity.events.js';
import { aLinkEvent, aSplitEvent } from './testing/decision.factory.js';

const now = new Date('2026-11-21T09:00:00Z');

function linked(linkId: string, childId: string, linkedId: string, unborn = false): IdentityEvent {
  return aLinkEvent(linkId, childId, linkedId, now, unborn);
}

function split(
  linkId: string,
  childId: string,
  linkedId: string,
  kind: 'merge' | 'unborn-to-born' = 'merge',
) {
  return aSplitEvent(linkId, childId, linkedId, now, kind);
}

describe('child links projection', () => {
  let db: TestDatabase;
  /** As in the service: identity events from hub.events, agency events from the agency topics. */
  let runner: ProjectionRunner;
  let agencyRunner: ProjectionRunner;
  let links: ChildLinks;

  beforeAll(async () => {
    db = await createTestDatabase([appliedEventsMigrations(VIEW_SCHEMA), viewMigrations(VIEW_SCHEMA)]);
    runner = new ProjectionRunner(db.pool, VIEW_SCHEMA, [childLinksProjection], new SchemaRegistry());
    agencyRunner = new ProjectionRunner(db.pool, VIEW_SCHEMA, [chronologyProjection], new SchemaRegistry());
    links = new ChildLinks(db.pool);
  });
  afterAll(async () => db?.drop());

  /** The chronology as the controller reads it: every member's rows. */
  const chronology = async (childId: string): Promise<string[]> => {
    const { rows } = await db.pool.query<StoredChronologyRow>(
      `SELECT ${EVENT_COLUMNS} FROM "${VIEW_SCHEMA}".chronology WHERE child_id = ANY($1::uuid[])`,
      [await links.membersOf(childId)],
    );
    return rows.map((r) => fullEvent(r).id).sort();
  };

  const recordFor = async (childId: string): Promise<string> => {
    const event = aRecordedEvent({ childid: childId });
    expect(await agencyRunner.apply(event)).toBe(true);
    return event.id;
  };

  it('merges two records into one chronology, and a split returns each to exactly its own', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const [ofA, ofB] = [await recordFor(a), await recordFor(b)];
    const before = { a: await chronology(a), b: await chronology(b) };
    expect(before).toEqual({ a: [ofA], b: [ofB] });

    const merge = linked('link-00000000-merge-1', a, b);
    await runner.apply(merge);
    expect(await chronology(a)).toEqual([ofA, ofB].sort());
    expect(await chronology(b)).toEqual([ofA, ofB].sort());
    expect(await links.canonicalOf(b)).toBe(a);
    expect(await links.membersOf(b)).toEqual([a, b].sort());

    await runner.apply(split('link-00000000-merge-1', a, b));
    expect({ a: await chronology(a), b: await chronology(b) }).toEqual(before);
    expect(await links.membersOf(a)).toEqual([a]);
    expect(await links.canonicalOf(b)).toBe(b);
  });

  it('changes nothing when the same identity event arrives twice', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const merge = linked('link-00000000-twice-1', a, b);
    expect(await runner.apply(merge)).toBe(true);
    const snapshot = async (): Promise<unknown[]> =>
      (
        await db.pool.query<Record<string, unknown>>(
          `SELECT * FROM "${VIEW_SCHEMA}".child_members WHERE child_id = ANY($1::uuid[]) ORDER BY 1`,
          [[a, b]],
        )
      ).rows;
    const once = await snapshot();
    expect(await runner.apply(merge)).toBe(false);
    expect(await runner.apply({ ...merge })).toBe(false);
    expect(await snapshot()).toEqual(once);
  });

  it('keeps a possible match out of every read model until it is confirmed', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const [ofA, ofB] = [await recordFor(a), await recordFor(b)];
    const matchId = matchIdOf(a, b);
    await runner.apply(
      identityEvent(
        POSSIBLE_MATCH_RAISED,
        matchId,
        pairStreamChild(a, b),
        {
          matchId,
          childId: b,
          candidateId: a,
          evidence: 'name-birth-date-postcode',
          raisedAt: now.toISOString(),
        },
        now,
      ),
    );
    expect(await chronology(a)).toEqual([ofA]);
    expect(await chronology(b)).toEqual([ofB]);
    expect(await links.membersOf(a)).toEqual([a]);
    const { rows } = await db.pool.query(
      `SELECT status FROM "${VIEW_SCHEMA}".possible_matches WHERE match_id = $1`,
      [matchId],
    );
    expect(rows).toEqual([{ status: 'raised' }]);
  });

  it('answers the baby as the child once the unborn record is linked to it', async () => {
    const [unborn, baby] = [randomUUID(), randomUUID()];
    const [before, after] = [await recordFor(unborn), await recordFor(baby)];
    await runner.apply(linked('link-00000000-birth-1', baby, unborn, true));
    expect(await links.canonicalOf(unborn)).toBe(baby);
    expect(await chronology(baby)).toEqual([before, after].sort());
  });

  it('holds a split that arrives before its link', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await runner.apply(split('link-00000000-early-1', a, b));
    await runner.apply(linked('link-00000000-early-1', a, b));
    expect(await links.membersOf(a)).toEqual([a]);
  });

  it('puts every event with exactly one child, for any history of merges, births and splits', async () => {
    const op = fc.oneof(
      fc.record({ op: fc.constant('link' as const), x: fc.nat(4), y: fc.nat(4), unborn: fc.boolean() }),
      fc.record({ op: fc.constant('split' as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 12 }),
        fc.array(fc.nat(4), { minLength: 1, maxLength: 8 }),
        async (ops, under) => {
          const children = Array.from({ length: 5 }, () => randomUUID());
          const events = new Map<string, string>();
          for (const i of under) events.set(await recordFor(children[i]!), children[i]!);
          let model: LinkState = NO_LINKS;
          const made: {
            linkId: string;
            childId: string;
            linkedId: string;
            kind: 'merge' | 'unborn-to-born';
          }[] = [];
          for (const step of ops) {
            let change: LinkChange | undefined;
            if (step.op === 'link' && step.x !== step.y) {
              const link = {
                linkId: `link-${randomUUID()}`,
                kind: step.unborn ? ('unborn-to-born' as const) : ('merge' as const),
                childId: children[step.x]!,
                linkedId: children[step.y]!,
              };
              made.push(link);
              await runner.apply(linked(link.linkId, link.childId, link.linkedId, step.unborn));
              change = { type: 'linked', link };
            } else if (step.op === 'split' && made.length > 0) {
              const link = made[step.pick % made.length]!;
              await runner.apply(split(link.linkId, link.childId, link.linkedId, link.kind));
              change = { type: 'unlinked', linkId: link.linkId };
            }
            if (change) model = evolveLinks(model, change);
          }
          // The children a reader can tell apart, each read through its canonical id, as the API does.
          const canonicals = new Set(await Promise.all(children.map((c) => links.canonicalOf(c))));
          const holders = new Map<string, string[]>();
          for (const canonical of canonicals) {
            for (const id of await chronology(canonical)) {
              if (events.has(id)) holders.set(id, [...(holders.get(id) ?? []), canonical]);
            }
          }
          for (const [id, recordedUnder] of events) {
            const members = componentOf(model.values(), recordedUnder);
            expect(holders.get(id)).toEqual([canonicalOf(members, model.values())]);
          }
          for (const child of children) {
            expect(await links.membersOf(child)).toEqual(componentOf(model.values(), child));
            // The read path's one round trip answers as its two lookups do.
            const canonical = await links.canonicalOf(child);
            expect(await links.canonicalWithMembers(child)).toEqual({
              childId: canonical,
              members: await links.membersOf(canonical),
            });
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
