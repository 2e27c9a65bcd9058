import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  canonicalOf,
  componentOf,
  evolveLinks,
  NO_LINKS,
  type ChildLink,
  type LinkChange,
  type LinkState,
} from './child-links.js';

const CHILDREN = ['a', 'b', 'c', 'd', 'e', 'f'];

/** A random history: links between random children, and splits of links made earlier. */
const history = fc
  .array(
    fc.oneof(
      fc.record({
        op: fc.constant('link' as const),
        childId: fc.constantFrom(...CHILDREN),
        linkedId: fc.constantFrom(...CHILDREN),
        kind: fc.constantFrom('merge' as const, 'unborn-to-born' as const),
      }),
      fc.record({ op: fc.constant('split' as const), pick: fc.nat() }),
    ),
    { maxLength: 30 },
  )
  .map((ops) => {
    const changes: LinkChange[] = [];
    const made: string[] = [];
    ops.forEach((op, i) => {
      if (op.op === 'link') {
        const link: ChildLink = {
          linkId: `l${i}`,
          kind: op.kind,
          childId: op.childId,
          linkedId: op.linkedId,
        };
        made.push(link.linkId);
        changes.push({ type: 'linked', link });
      } else if (made.length > 0) {
        changes.push({ type: 'unlinked', linkId: made[op.pick % made.length]! });
      }
    });
    return changes;
  });

const fold = (changes: readonly LinkChange[], from: LinkState = NO_LINKS): LinkState =>
  changes.reduce(evolveLinks, from);

/** Each child as a reader sees it: its canonical id and members. */
const readers = (state: LinkState): Map<string, { canonical: string; members: string[] }> =>
  new Map(
    CHILDREN.map((id) => {
      const members = componentOf(state.values(), id);
      return [id, { canonical: canonicalOf(members, state.values()), members }];
    }),
  );

describe('child links', () => {
  it('puts every event with exactly one child, whatever the history of links', () => {
    fc.assert(
      fc.property(history, fc.array(fc.constantFrom(...CHILDREN), { maxLength: 20 }), (changes, events) => {
        const seen = readers(fold(changes));
        // The children readers can tell apart: one per canonical id.
        const children = new Map([...seen.values()].map((r) => [r.canonical, r.members]));
        for (const recordedUnder of events) {
          const holders = [...children].filter(([, members]) => members.includes(recordedUnder));
          expect(holders).toHaveLength(1);
          expect(holders[0]![0]).toBe(seen.get(recordedUnder)!.canonical);
        }
        // Members agree: every member of a child reads the same child.
        for (const [, { canonical, members }] of seen) {
          for (const member of members) expect(seen.get(member)!.canonical).toBe(canonical);
        }
      }),
    );
  });

  it('returns every child to where it was when a merge is split', () => {
    fc.assert(
      fc.property(history, fc.constantFrom(...CHILDREN), fc.constantFrom(...CHILDREN), (changes, x, y) => {
        const before = fold(changes);
        const merge: ChildLink = { linkId: 'the-merge', kind: 'merge', childId: x, linkedId: y };
        const after = fold(
          [
            { type: 'linked', link: merge },
            { type: 'unlinked', linkId: 'the-merge' },
          ],
          before,
        );
        expect(readers(after)).toEqual(readers(before));
      }),
    );
  });

  it('depends only on which links are in force, not the order they came in', () => {
    fc.assert(
      fc.property(history, fc.integer(), (changes, seed) => {
        const state = fold(changes);
        const links = [...state.values()];
        const shuffled = links
          .map((link, i) => ({ link, key: (i * 7919 + seed) % 104729 }))
          .sort((p, q) => p.key - q.key)
          .map(({ link }): LinkChange => ({ type: 'linked', link }));
        expect(readers(fold(shuffled))).toEqual(readers(state));
      }),
    );
  });

  it('applies the same link twice, or an unknown split, as no change', () => {
    const link: ChildLink = { linkId: 'l1', kind: 'merge', childId: 'a', linkedId: 'b' };
    const once = evolveLinks(NO_LINKS, { type: 'linked', link });
    expect(evolveLinks(once, { type: 'linked', link })).toBe(once);
    expect(evolveLinks(once, { type: 'unlinked', linkId: 'nope' })).toBe(once);
    expect(componentOf(once.values(), 'a')).toEqual(['a', 'b']);
    expect(canonicalOf(['a', 'b'], once.values())).toBe('a');
  });

  it('answers the baby, not the unborn record, as the child', () => {
    const link: ChildLink = { linkId: 'l1', kind: 'unborn-to-born', childId: 'z-baby', linkedId: 'a-unborn' };
    const state = evolveLinks(NO_LINKS, { type: 'linked', link });
    expect(canonicalOf(componentOf(state.values(), 'a-unborn'), state.values())).toBe('z-baby');
  });

  it('never links a child to itself', () => {
    const self: ChildLink = { linkId: 'l-self', kind: 'merge', childId: 'a', linkedId: 'a' };
    expect(evolveLinks(NO_LINKS, { type: 'linked', link: self })).toBe(NO_LINKS);
  });

  it('lists the members of a child sorted, whatever order the links name them in', () => {
    const links: ChildLink[] = [
      { linkId: 'l1', kind: 'merge', childId: 'f', linkedId: 'c' },
      { linkId: 'l2', kind: 'merge', childId: 'c', linkedId: 'a' },
      { linkId: 'l3', kind: 'merge', childId: 'e', linkedId: 'b' },
    ];
    expect(componentOf(links, 'f')).toEqual(['a', 'c', 'f']);
    expect(componentOf(links, 'b')).toEqual(['b', 'e']);
    expect(componentOf(links, 'd')).toEqual(['d']);
    expect(canonicalOf(['f', 'c', 'a'], links)).toBe('f');
    expect(canonicalOf(['e', 'b'], [])).toBe('b');
  });
});
