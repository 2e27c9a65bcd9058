import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { deciderSpec } from '@jigsaw/testing';
import {
  confirmPossibleMatch,
  EMPTY_STREAM,
  evolve,
  identityDecider,
  linkUnbornToBorn,
  mergeChildren,
  raisePossibleMatch,
  rejectPossibleMatch,
  splitLink,
  type IdentityCommand,
} from './identity.decide.js';
import {
  CHILDREN_MERGED,
  CHILDREN_SPLIT,
  matchIdOf,
  POSSIBLE_MATCH_CONFIRMED,
  POSSIBLE_MATCH_RAISED,
  POSSIBLE_MATCH_REJECTED,
  UNBORN_LINKED,
  type IdentityEvent,
} from './identity.events.js';
import { aSocialWorkerDecision } from './testing/decision.factory.js';

const now = new Date('2026-11-23T09:00:00Z');
const decision = aSocialWorkerDecision('Same child: date of birth, address and school match.');
const spec = deciderSpec(identityDecider<unknown>());
const run = (history: readonly IdentityEvent[], command: IdentityCommand<unknown>) =>
  spec.given(history).when(command);
/** The events a run of decisions leaves on the stream, each decided on the state the ones before made. */
const after = (...commands: IdentityCommand<unknown>[]): IdentityEvent[] =>
  commands.reduce<IdentityEvent[]>(
    (history, command) => [...history, ...run(history, command).then(() => undefined)],
    [],
  );
const types = (events: readonly IdentityEvent[]) => events.map((e) => e.type);

const child = randomUUID();
const candidate = randomUUID();
const matchId = matchIdOf(child, candidate);
const raise: IdentityCommand<unknown> = (s) =>
  raisePossibleMatch(s, { childId: child, candidateId: candidate, evidence: 'identifier-conflict' }, now);
const confirm =
  (linkId = 'link-1'): IdentityCommand<unknown> =>
  (s) =>
    confirmPossibleMatch(s, { matchId, linkId, decision }, now);
const reject: IdentityCommand<unknown> = (s) => rejectPossibleMatch(s, { matchId, decision }, now);

describe('identity decisions', () => {
  it('given nothing, when a possible match is raised, then it is raised once per pair', () => {
    run([], raise).then((events) => expect(types(events)).toEqual([POSSIBLE_MATCH_RAISED]));
    run(after(raise), raise).then([]);
  });

  it('given a raised match, when it is confirmed, then the children are merged, and confirming again changes nothing', () => {
    run(after(raise), confirm()).then((events) =>
      expect(types(events)).toEqual([POSSIBLE_MATCH_CONFIRMED, CHILDREN_MERGED]),
    );
    run(after(raise, confirm()), confirm('link-2')).then([]);
  });

  it('given a decided match, when the other decision is asked for, then it is refused as a conflict', () => {
    run(after(raise, reject), confirm()).thenRefused({ code: ErrorCode.IdentityConflict });
    run(after(raise, confirm()), reject).thenRefused({ code: ErrorCode.IdentityConflict });
    run(after(raise), reject).then((events) => expect(types(events)).toEqual([POSSIBLE_MATCH_REJECTED]));
  });

  it('given no such match or link, when it is decided, then it is refused as not found', () => {
    run([], confirm()).thenRefused({ code: ErrorCode.NotFound });
    run([], (s) => splitLink(s, { linkId: 'nope', decision }, now)).thenRefused({ code: ErrorCode.NotFound });
  });

  it('given nothing, when a child is merged with itself, then the field is named', () => {
    run([], (s) =>
      mergeChildren(s, { childId: child, linkedId: child, linkId: 'l', decision }, now),
    ).thenRefused({
      code: ErrorCode.ValidationFailed,
      problems: [{ field: 'mergedChildId', reason: 'must be another hub child than childId' }],
    });
  });

  it('given a pending match, when the pair is merged, then the match is confirmed by the same decision', () => {
    const merge: IdentityCommand<unknown> = (s) =>
      mergeChildren(s, { childId: child, linkedId: candidate, linkId: 'link-m', decision }, now);
    run(after(raise), merge).then((events) =>
      expect(types(events)).toEqual([POSSIBLE_MATCH_CONFIRMED, CHILDREN_MERGED]),
    );
    run(after(raise, merge), merge).then([]);
  });

  it('given a link, when it is split, then it is split once; linking an unborn child is once per pair', () => {
    const split: IdentityCommand<unknown> = (s) => splitLink(s, { linkId: 'link-1', decision }, now);
    run(after(raise, confirm()), split).then((events) => expect(types(events)).toEqual([CHILDREN_SPLIT]));
    run(after(raise, confirm(), split), split).then([]);
    const unborn = randomUUID();
    const link: IdentityCommand<unknown> = (s) =>
      linkUnbornToBorn(s, { childId: child, unbornId: unborn, linkId: 'link-u', decision }, now);
    run([], link).then((events) => expect(types(events)).toEqual([UNBORN_LINKED]));
    run(after(link), link).then([]);
  });

  it('refuses with the hub’s own errors, so each transport maps them once', () => {
    expect(run(after(raise, reject), confirm()).thenRefused(JigsawError)).toBeInstanceOf(JigsawError);
  });

  describe('what each decision answers, beside its events', () => {
    const stateOf = (history: readonly IdentityEvent[]) => history.reduce(evolve, EMPTY_STREAM);
    const other = randomUUID();
    const merge =
      (a: string, b: string, linkId: string): IdentityCommand<unknown> =>
      (s) =>
        mergeChildren(s, { childId: a, linkedId: b, linkId, decision }, now);
    const split =
      (linkId: string): IdentityCommand<unknown> =>
      (s) =>
        splitLink(s, { linkId, decision }, now);

    it('raises a match once, and not at all between children already one', () => {
      const input = { childId: child, candidateId: candidate, evidence: 'identifier-conflict' as const };
      expect(raisePossibleMatch(EMPTY_STREAM, input, now).result).toEqual({ matchId, raised: true });
      expect(raisePossibleMatch(stateOf(after(raise)), input, now)).toEqual({
        events: [],
        result: { matchId, raised: false },
      });
      expect(raisePossibleMatch(stateOf(after(merge(candidate, child, 'l-0'))), input, now)).toEqual({
        events: [],
        result: { matchId, raised: false },
      });
    });

    it('answers a confirmation or rejection made before with what it made, and says why a flip is refused', () => {
      const confirmed = stateOf(after(raise, confirm('link-1')));
      expect(confirmPossibleMatch(confirmed, { matchId, linkId: 'link-2', decision }, now)).toEqual({
        events: [],
        result: { linkId: 'link-1', changed: false },
      });
      expect(() => rejectPossibleMatch(confirmed, { matchId, decision }, now)).toThrow(
        'this possible match was confirmed already: split its link to undo it',
      );
      const rejected = stateOf(after(raise, reject));
      expect(rejectPossibleMatch(rejected, { matchId, decision }, now)).toEqual({
        events: [],
        result: { changed: false },
      });
      expect(() => confirmPossibleMatch(rejected, { matchId, linkId: 'l', decision }, now)).toThrow(
        'this possible match was rejected already',
      );
      expect(() => confirmPossibleMatch(EMPTY_STREAM, { matchId, linkId: 'l', decision }, now)).toThrow(
        'no such possible match',
      );
      const rejecting = rejectPossibleMatch(stateOf(after(raise)), { matchId, decision }, now);
      expect(rejecting.result).toEqual({ changed: true });
      expect(rejecting.events.map((e) => e.id)).toEqual([`${matchId}-rejected`]);
    });

    it('confirms a match between children merged meanwhile without merging them twice', () => {
      const history = after(raise, merge(candidate, child, 'link-m'));
      // The merge confirmed the pending match; a match raised after a split and confirmed joins them anew.
      expect(stateOf(history).matches.get(matchId)).toMatchObject({ status: 'confirmed', linkId: 'link-m' });
      const resplit = after(merge(candidate, child, 'link-a'), split('link-a'), raise);
      const confirming = confirmPossibleMatch(stateOf(resplit), { matchId, linkId: 'link-b', decision }, now);
      expect(types(confirming.events)).toEqual([POSSIBLE_MATCH_CONFIRMED, CHILDREN_MERGED]);
      expect(confirming.events[0]!.id).toBe(`${matchId}-confirmed`);
      expect(confirming.result).toEqual({ linkId: 'link-b', changed: true });
      const linked = after(raise, (s) =>
        linkUnbornToBorn(s, { childId: child, unbornId: candidate, linkId: 'link-u', decision }, now),
      );
      const onLinked = confirmPossibleMatch(stateOf(linked), { matchId, linkId: 'link-c', decision }, now);
      expect(types(onLinked.events)).toEqual([POSSIBLE_MATCH_CONFIRMED]);
      expect(onLinked.result).toEqual({ linkId: 'link-u', changed: true });
    });

    it('finds a pair merged either way round, only while its link stands, and only for that pair', () => {
      const merged = after(merge(child, candidate, 'link-1'));
      expect(
        mergeChildren(stateOf(merged), { childId: candidate, linkedId: child, linkId: 'x', decision }, now),
      ).toEqual({
        events: [],
        result: { linkId: 'link-1', changed: false },
      });
      const again = mergeChildren(
        stateOf([...merged, ...after()]),
        { childId: child, linkedId: other, linkId: 'link-2', decision },
        now,
      );
      expect(types(again.events)).toEqual([CHILDREN_MERGED]);
      expect(again.result).toEqual({ linkId: 'link-2', changed: true });
      const undone = [...merged, ...run(merged, split('link-1')).then(() => undefined)];
      const remerged = mergeChildren(
        stateOf(undone),
        { childId: candidate, linkedId: child, linkId: 'link-3', decision },
        now,
      );
      expect(types(remerged.events)).toEqual([CHILDREN_MERGED]);
      expect(remerged.result).toEqual({ linkId: 'link-3', changed: true });
    });

    it('names the match a merge confirms on the merge, and no match on a merge with none pending', () => {
      const withMatch = mergeChildren(
        stateOf(after(raise)),
        { childId: child, linkedId: candidate, linkId: 'l-1', decision },
        now,
      );
      expect(withMatch.events.map((e) => [e.type, e.id, (e.data as { matchId?: string }).matchId])).toEqual([
        [POSSIBLE_MATCH_CONFIRMED, `${matchId}-confirmed`, matchId],
        [CHILDREN_MERGED, 'l-1', matchId],
      ]);
      const rejected = mergeChildren(
        stateOf(after(raise, reject)),
        { childId: child, linkedId: candidate, linkId: 'l-2', decision },
        now,
      );
      expect(rejected.events.map((e) => [e.type, (e.data as { matchId?: string }).matchId])).toEqual([
        [CHILDREN_MERGED, undefined],
      ]);
    });

    it('keeps an unborn link’s kind and birth, and answers a link id used before with it unchanged', () => {
      const unborn = randomUUID();
      const link = linkUnbornToBorn(
        EMPTY_STREAM,
        { childId: child, unbornId: unborn, linkId: 'u-1', birthEvent: 'birth-9', decision },
        now,
      );
      expect(link.events[0]!.data).toMatchObject({
        linkId: 'u-1',
        childId: child,
        linkedId: unborn,
        birthEvent: 'birth-9',
      });
      const state = stateOf(link.events);
      expect(state.links.get('u-1')).toMatchObject({ kind: 'unborn-to-born', active: true });
      expect(stateOf(after(merge(child, other, 'm-1'))).links.get('m-1')).toMatchObject({ kind: 'merge' });
      expect(
        linkUnbornToBorn(state, { childId: other, unbornId: randomUUID(), linkId: 'u-1', decision }, now),
      ).toEqual({
        events: [],
        result: { linkId: 'u-1', changed: false },
      });
      // The first record of a link or a match stands: the same ids again change nothing.
      const twice = [...link.events, ...link.events] as IdentityEvent[];
      expect(stateOf(twice).links.size).toBe(1);
      const raisedTwice = after(raise);
      const reRaised = stateOf([
        ...raisedTwice,
        {
          ...raisedTwice[0]!,
          data: { ...raisedTwice[0]!.data, evidence: 'other' },
        } as unknown as IdentityEvent,
      ]);
      expect(reRaised.matches.get(matchId)).toMatchObject({
        evidence: 'identifier-conflict',
        status: 'raised',
      });
    });

    it('takes a link for another pair, sharing one child with it, for no link of this pair', () => {
      const third = randomUUID();
      const state = stateOf(after(merge(child, other, 'link-x')));
      // Every way one child of the pair can be on a link of another pair.
      for (const [a, b] of [
        [candidate, other],
        [third, child],
        [other, candidate],
        [candidate, child],
      ] as const) {
        const decided = mergeChildren(
          state,
          { childId: a, linkedId: b, linkId: `link-${a}-${b}`, decision },
          now,
        );
        expect({ a, b, types: types(decided.events) }).toEqual({ a, b, types: [CHILDREN_MERGED] });
      }
      // A second record under a link id already held leaves the first as it was.
      const relinked = stateOf([
        ...after(merge(child, other, 'link-y')),
        ...after(merge(candidate, third, 'link-y')),
      ]);
      expect(relinked.links.get('link-y')).toMatchObject({ childId: child, linkedId: other });
    });

    it('says why a merge with itself or a split of no link is refused, and what a split or link changed', () => {
      expect(() =>
        mergeChildren(EMPTY_STREAM, { childId: child, linkedId: child, linkId: 'l', decision }, now),
      ).toThrow('a child cannot be merged with itself');
      expect(() => splitLink(EMPTY_STREAM, { linkId: 'none', decision }, now)).toThrow('no such link');
      const merged = after(merge(child, other, 'link-s'));
      const splitting = splitLink(stateOf(merged), { linkId: 'link-s', decision }, now);
      expect(splitting.result).toEqual({ childId: child, linkedId: other, changed: true });
      expect(splitting.events.map((e) => e.id)).toEqual(['link-s-split']);
      const undone = stateOf([...merged, ...splitting.events]);
      expect(splitLink(undone, { linkId: 'link-s', decision }, now)).toEqual({
        events: [],
        result: { childId: child, linkedId: other, changed: false },
      });
      const unborn = randomUUID();
      const linking = linkUnbornToBorn(
        EMPTY_STREAM,
        { childId: child, unbornId: unborn, linkId: 'u-9', decision },
        now,
      );
      expect(linking.result).toEqual({ linkId: 'u-9', changed: true });
      expect(
        linkUnbornToBorn(
          stateOf(linking.events),
          { childId: unborn, unbornId: child, linkId: 'u-10', decision },
          now,
        ),
      ).toEqual({ events: [], result: { linkId: 'u-9', changed: false } });
    });
  });
});
