import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import { VIEW_SCHEMA, viewMigrations } from '../view-schema.js';
import { membersOn, membersOnMany } from './child-links.js';

/**
 * Applying a batch asks who each of its children is linked with in one query: it must answer, for every
 * child, exactly what asking one child at a time answers, linked, unlinked or unknown.
 */
describe('membersOnMany: the same members as membersOn, for many children at once', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase([viewMigrations(VIEW_SCHEMA)]);
  });
  afterAll(async () => db.drop());

  it('answers each child as membersOn does, over random links and random questions', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Children 0..9, grouped into linked children (each group's first is its canonical id); -1: not linked.
        fc.array(fc.integer({ min: -1, max: 3 }), { minLength: 10, maxLength: 10 }),
        // Which children are asked about, repeats and children nobody linked included.
        fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 14 }),
        async (groupOf, asked) => {
          const ids = Array.from({ length: 12 }, () => randomUUID());
          const groups = new Map<number, string[]>();
          for (const [i, group] of groupOf.entries()) {
            if (group >= 0) groups.set(group, [...(groups.get(group) ?? []), ids[i]!]);
          }
          const rows = [...groups.values()].flatMap((members) => members.map((m) => [m, members[0]!]));
          if (rows.length > 0) {
            await db.pool.query(
              `INSERT INTO "${VIEW_SCHEMA}".child_members (child_id, canonical_id)
               SELECT * FROM unnest($1::uuid[], $2::uuid[])`,
              [rows.map((r) => r[0]), rows.map((r) => r[1])],
            );
          }
          const question = asked.map((i) => ids[i]!);
          const many = await membersOnMany(db.pool, question, VIEW_SCHEMA);
          expect([...many.keys()].sort()).toEqual([...new Set(question)].sort());
          for (const id of question) {
            expect(many.get(id)).toEqual(await membersOn(db.pool, id, VIEW_SCHEMA));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('asks nothing of the database for no children', async () => {
    expect(await membersOnMany({ query: () => Promise.reject(new Error('queried')) }, [])).toEqual(new Map());
  });
});
