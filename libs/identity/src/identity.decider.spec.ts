import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { deciderSpec } from '@jigsaw/testing';
import {
  confirmPossibleMatch,
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
});
