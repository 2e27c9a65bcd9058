import { ErrorCode, JigsawError } from '@jigsaw/errors';
import type { Decider } from '@jigsaw/event-store';
import type { LinkKind } from './child-links.js';
import type { EvidenceKind } from './identity-resolution.js';
import {
  CHILD_RENUMBERED,
  CHILDREN_MERGED,
  CHILDREN_SPLIT,
  identityEvent,
  matchIdOf,
  pairStreamChild,
  POSSIBLE_MATCH_CONFIRMED,
  POSSIBLE_MATCH_RAISED,
  POSSIBLE_MATCH_REJECTED,
  UNBORN_LINKED,
  type ChildrenMergedData,
  type Decision,
  type IdentityEvent,
} from './identity.events.js';

export type MatchStatus = 'raised' | 'confirmed' | 'rejected';

export interface MatchState {
  matchId: string;
  childId: string;
  candidateId: string;
  evidence: EvidenceKind;
  status: MatchStatus;
  linkId?: string;
}

export interface LinkRecord {
  linkId: string;
  kind: LinkKind;
  childId: string;
  linkedId: string;
  active: boolean;
}

/** One identity stream: the possible matches and links of the pairs whose smaller id it belongs to. */
export interface IdentityStreamState {
  matches: ReadonlyMap<string, MatchState>;
  links: ReadonlyMap<string, LinkRecord>;
}

export const EMPTY_STREAM: IdentityStreamState = { matches: new Map(), links: new Map() };

export function evolve(state: IdentityStreamState, event: IdentityEvent): IdentityStreamState {
  const matches = new Map(state.matches);
  const links = new Map(state.links);
  switch (event.type) {
    case POSSIBLE_MATCH_RAISED: {
      const { matchId, childId, candidateId, evidence } = event.data;
      if (!matches.has(matchId))
        matches.set(matchId, { matchId, childId, candidateId, evidence, status: 'raised' });
      break;
    }
    case POSSIBLE_MATCH_CONFIRMED:
    case POSSIBLE_MATCH_REJECTED: {
      const match = matches.get(event.data.matchId);
      const confirmed = event.type === POSSIBLE_MATCH_CONFIRMED;
      if (match) {
        matches.set(match.matchId, {
          ...match,
          status: confirmed ? 'confirmed' : 'rejected',
          ...(confirmed ? { linkId: event.data.linkId } : {}),
        });
      }
      break;
    }
    case CHILDREN_MERGED:
    case UNBORN_LINKED: {
      const { linkId, childId, linkedId } = event.data;
      const kind: LinkKind = event.type === CHILDREN_MERGED ? 'merge' : 'unborn-to-born';
      if (!links.has(linkId)) links.set(linkId, { linkId, kind, childId, linkedId, active: true });
      break;
    }
    case CHILDREN_SPLIT: {
      const link = links.get(event.data.linkId);
      if (link) links.set(link.linkId, { ...link, active: false });
      break;
    }
    case CHILD_RENUMBERED:
      break;
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
  return { matches, links };
}

/** What a command decided: the events to append (none when it was done before) and the outcome. */
export interface Decided<T> {
  events: IdentityEvent[];
  result: T;
}

/** A command on one identity stream: one of the decisions below, bound to its input and the time. */
export type IdentityCommand<T> = (state: IdentityStreamState) => Decided<T>;

/** The identity stream's decider, for `handleCommand`: its commands are the decisions of this file. */
export function identityDecider<T>(): Decider<IdentityStreamState, IdentityCommand<T>, IdentityEvent, T> {
  return { initialState: EMPTY_STREAM, evolve, decide: (state, command) => command(state) };
}

const samePair = (link: LinkRecord, a: string, b: string): boolean =>
  (link.childId === a && link.linkedId === b) || (link.childId === b && link.linkedId === a);

function activeLinkBetween(state: IdentityStreamState, a: string, b: string): LinkRecord | undefined {
  return [...state.links.values()].find((l) => l.active && samePair(l, a, b));
}

function matchOf(state: IdentityStreamState, matchId: string): MatchState {
  const match = state.matches.get(matchId);
  if (!match) throw new JigsawError(ErrorCode.NotFound, 'no such possible match');
  return match;
}

/** Raises a possible match between two hub children, once per pair: a second sighting changes nothing. */
export function raisePossibleMatch(
  state: IdentityStreamState,
  input: { childId: string; candidateId: string; evidence: EvidenceKind },
  now: Date,
): Decided<{ matchId: string; raised: boolean }> {
  const matchId = matchIdOf(input.childId, input.candidateId);
  if (state.matches.has(matchId) || activeLinkBetween(state, input.childId, input.candidateId)) {
    return { events: [], result: { matchId, raised: false } };
  }
  const stream = pairStreamChild(input.childId, input.candidateId);
  return {
    events: [
      identityEvent(
        POSSIBLE_MATCH_RAISED,
        matchId,
        stream,
        { matchId, ...input, raisedAt: now.toISOString() },
        now,
      ),
    ],
    result: { matchId, raised: true },
  };
}

function mergedEvent(stream: string, data: Omit<ChildrenMergedData, 'linkedAt'>, now: Date): IdentityEvent {
  return identityEvent(CHILDREN_MERGED, data.linkId, stream, { ...data, linkedAt: now.toISOString() }, now);
}

/**
 * Confirms a possible match: the new sighting joins the child already known. Confirming again answers
 * with the same link; a match already rejected must be raised by new evidence, not flipped.
 */
export function confirmPossibleMatch(
  state: IdentityStreamState,
  input: { matchId: string; linkId: string; decision: Decision },
  now: Date,
): Decided<{ linkId: string; changed: boolean }> {
  const match = matchOf(state, input.matchId);
  if (match.status === 'confirmed') return { events: [], result: { linkId: match.linkId!, changed: false } };
  if (match.status === 'rejected') {
    throw new JigsawError(ErrorCode.IdentityConflict, 'this possible match was rejected already');
  }
  const stream = pairStreamChild(match.childId, match.candidateId);
  const { matchId, childId, candidateId } = match;
  const existing = activeLinkBetween(state, childId, candidateId);
  const linkId = existing?.linkId ?? input.linkId;
  const at = now.toISOString();
  return {
    events: [
      identityEvent(
        POSSIBLE_MATCH_CONFIRMED,
        `${matchId}-confirmed`,
        stream,
        { matchId, childId, candidateId, linkId, ...input.decision, decidedAt: at },
        now,
      ),
      ...(existing
        ? []
        : [
            mergedEvent(
              stream,
              { linkId, childId: candidateId, linkedId: childId, matchId, ...input.decision },
              now,
            ),
          ]),
    ],
    result: { linkId, changed: true },
  };
}

export function rejectPossibleMatch(
  state: IdentityStreamState,
  input: { matchId: string; decision: Decision },
  now: Date,
): Decided<{ changed: boolean }> {
  const match = matchOf(state, input.matchId);
  if (match.status === 'rejected') return { events: [], result: { changed: false } };
  if (match.status === 'confirmed') {
    throw new JigsawError(
      ErrorCode.IdentityConflict,
      'this possible match was confirmed already: split its link to undo it',
    );
  }
  const { matchId, childId, candidateId } = match;
  return {
    events: [
      identityEvent(
        POSSIBLE_MATCH_REJECTED,
        `${matchId}-rejected`,
        pairStreamChild(childId, candidateId),
        { matchId, childId, candidateId, ...input.decision, decidedAt: now.toISOString() },
        now,
      ),
    ],
    result: { changed: true },
  };
}

/**
 * Joins two hub children (`linkedId` into `childId`). A pair joined already answers with its link; a
 * possible match pending between them is confirmed by the same decision.
 */
export function mergeChildren(
  state: IdentityStreamState,
  input: { childId: string; linkedId: string; linkId: string; decision: Decision },
  now: Date,
): Decided<{ linkId: string; changed: boolean }> {
  const { childId, linkedId } = input;
  if (childId === linkedId) {
    throw new JigsawError(ErrorCode.ValidationFailed, 'a child cannot be merged with itself', [
      { field: 'mergedChildId', reason: 'must be another hub child than childId' },
    ]);
  }
  const existing = activeLinkBetween(state, childId, linkedId);
  if (existing) return { events: [], result: { linkId: existing.linkId, changed: false } };
  const pending = state.matches.get(matchIdOf(childId, linkedId));
  const stream = pairStreamChild(childId, linkedId);
  const at = now.toISOString();
  const confirm =
    pending?.status === 'raised'
      ? [
          identityEvent(
            POSSIBLE_MATCH_CONFIRMED,
            `${pending.matchId}-confirmed`,
            stream,
            {
              matchId: pending.matchId,
              childId: pending.childId,
              candidateId: pending.candidateId,
              linkId: input.linkId,
              ...input.decision,
              decidedAt: at,
            },
            now,
          ),
        ]
      : [];
  return {
    events: [
      ...confirm,
      mergedEvent(
        stream,
        {
          linkId: input.linkId,
          childId,
          linkedId,
          ...(confirm.length > 0 ? { matchId: pending!.matchId } : {}),
          ...input.decision,
        },
        now,
      ),
    ],
    result: { linkId: input.linkId, changed: true },
  };
}

/** Links an unborn child's record to the baby; linking the same pair again answers with its link. */
export function linkUnbornToBorn(
  state: IdentityStreamState,
  input: { childId: string; unbornId: string; linkId: string; birthEvent?: string; decision: Decision },
  now: Date,
): Decided<{ linkId: string; changed: boolean }> {
  const { childId, unbornId, linkId, birthEvent, decision } = input;
  const existing = activeLinkBetween(state, childId, unbornId);
  if (existing) return { events: [], result: { linkId: existing.linkId, changed: false } };
  if (state.links.has(linkId)) return { events: [], result: { linkId, changed: false } };
  return {
    events: [
      identityEvent(
        UNBORN_LINKED,
        linkId,
        pairStreamChild(childId, unbornId),
        {
          linkId,
          childId,
          linkedId: unbornId,
          ...(birthEvent ? { birthEvent } : {}),
          ...decision,
          linkedAt: now.toISOString(),
        },
        now,
      ),
    ],
    result: { linkId, changed: true },
  };
}

/** Undoes one link; splitting a link already split changes nothing. */
export function splitLink(
  state: IdentityStreamState,
  input: { linkId: string; decision: Decision },
  now: Date,
): Decided<{ childId: string; linkedId: string; changed: boolean }> {
  const link = state.links.get(input.linkId);
  if (!link) throw new JigsawError(ErrorCode.NotFound, 'no such link');
  const { childId, linkedId, kind } = link;
  if (!link.active) return { events: [], result: { childId, linkedId, changed: false } };
  return {
    events: [
      identityEvent(
        CHILDREN_SPLIT,
        `${link.linkId}-split`,
        pairStreamChild(childId, linkedId),
        { linkId: link.linkId, kind, childId, linkedId, ...input.decision, splitAt: now.toISOString() },
        now,
      ),
    ],
    result: { childId, linkedId, changed: true },
  };
}

export function renumbered(childId: string, id: string, decision: Decision, now: Date): IdentityEvent {
  return identityEvent(
    CHILD_RENUMBERED,
    id,
    childId,
    { childId, identifier: 'nhs-number', ...decision, renumberedAt: now.toISOString() },
    now,
  );
}
