import { createHash } from 'node:crypto';
import {
  dataschemaFor,
  hubSource,
  type Agency,
  type Purpose,
  type RecordedEvent,
  type SharingDecision,
} from '@jigsaw/envelope';
import { HUB_CHILD_ID_SYSTEM } from '@jigsaw/erasure';

import {
  CHILD_RENUMBERED,
  CHILDREN_MERGED,
  CHILDREN_SPLIT,
  POSSIBLE_MATCH_CONFIRMED,
  POSSIBLE_MATCH_RAISED,
  POSSIBLE_MATCH_REJECTED,
  UNBORN_LINKED,
} from '@jigsaw/contracts';
import type { LinkKind } from './child-links.js';
import type { EvidenceKind } from './identity-resolution.js';

export {
  CHILD_RENUMBERED,
  CHILDREN_MERGED,
  CHILDREN_SPLIT,
  POSSIBLE_MATCH_CONFIRMED,
  POSSIBLE_MATCH_RAISED,
  POSSIBLE_MATCH_REJECTED,
  UNBORN_LINKED,
};

export const IDENTITY_SOURCE = hubSource('identity');

/** Who decided: a signed-in practitioner, or an agency's system for a birth it linked. */
export interface DecidedBy {
  sub: string;
  organisation: string;
  agency: Agency;
  role: string;
}

/** What every decision carries besides its own facts: who, for what purpose, why, when. */
export interface Decision {
  decidedBy: DecidedBy;
  purpose?: Purpose;
  reason: string;
}

export interface PossibleMatchRaisedData {
  matchId: string;
  childId: string;
  candidateId: string;
  evidence: EvidenceKind;
  raisedAt: string;
}

export interface PossibleMatchConfirmedData extends Decision {
  matchId: string;
  childId: string;
  candidateId: string;
  linkId: string;
  decidedAt: string;
}

export interface PossibleMatchRejectedData extends Decision {
  matchId: string;
  childId: string;
  candidateId: string;
  decidedAt: string;
}

export interface ChildrenMergedData extends Decision {
  linkId: string;
  childId: string;
  linkedId: string;
  matchId?: string;
  linkedAt: string;
}

export interface UnbornLinkedData extends Decision {
  linkId: string;
  /** The baby. */
  childId: string;
  /** The unborn child's record. */
  linkedId: string;
  birthEvent?: string;
  linkedAt: string;
}

export interface ChildrenSplitData extends Decision {
  linkId: string;
  kind: LinkKind;
  childId: string;
  linkedId: string;
  splitAt: string;
}

export interface ChildRenumberedData extends Decision {
  childId: string;
  identifier: 'nhs-number';
  renumberedAt: string;
}

export type IdentityEvent =
  | RecordedEvent<typeof POSSIBLE_MATCH_RAISED, PossibleMatchRaisedData>
  | RecordedEvent<typeof POSSIBLE_MATCH_CONFIRMED, PossibleMatchConfirmedData>
  | RecordedEvent<typeof POSSIBLE_MATCH_REJECTED, PossibleMatchRejectedData>
  | RecordedEvent<typeof CHILDREN_MERGED, ChildrenMergedData>
  | RecordedEvent<typeof UNBORN_LINKED, UnbornLinkedData>
  | RecordedEvent<typeof CHILDREN_SPLIT, ChildrenSplitData>
  | RecordedEvent<typeof CHILD_RENUMBERED, ChildRenumberedData>;

export type IdentityEventType = IdentityEvent['type'];

const IDENTITY_TYPES: ReadonlySet<string> = new Set<IdentityEventType>([
  POSSIBLE_MATCH_RAISED,
  POSSIBLE_MATCH_CONFIRMED,
  POSSIBLE_MATCH_REJECTED,
  CHILDREN_MERGED,
  UNBORN_LINKED,
  CHILDREN_SPLIT,
  CHILD_RENUMBERED,
]);

export function isIdentityEvent(event: RecordedEvent): event is IdentityEvent {
  return event.source === IDENTITY_SOURCE && IDENTITY_TYPES.has(event.type);
}

/**
 * Everything about two hub children (their possible match, links between them and their splits) is on
 * one stream, the smaller id's, so a pair's events are ordered and two decisions about it conflict.
 */
export function pairStreamChild(a: string, b: string): string {
  return a < b ? a : b;
}

export function identityStreamOf(childId: string): string {
  return `identity-${childId}`;
}

/** One possible match per pair of hub children, ever: raising it twice is the same event. */
export function matchIdOf(a: string, b: string): string {
  const [low, high] = a < b ? [a, b] : [b, a];
  return `pm-${createHash('sha256').update(`possible-match|${low}|${high}`).digest('hex').slice(0, 32)}`;
}

/** Identity records are the hub's own: seen only by auditors and data protection officers, for audit. */
const IDENTITY_SHARING: SharingDecision = {
  basis: { lawfulBasis: 'public-task', regime: 'uk-gdpr', specialCategory: false },
  consent: {
    status: 'not-applicable',
    reason: "Knowing which records are one child's is the hub's own record-keeping, under its public task",
  },
  purposes: ['safeguarding', 'audit'],
  audience: (['council', 'police', 'health', 'education'] as const).map((agency) => ({
    agency,
    roles: ['auditor', 'data-protection-officer'],
  })),
  sensitivity: 'restricted',
  decidedBy: { role: 'hub', organisation: IDENTITY_SOURCE },
};

/**
 * An identity event as the store keeps it. Its subject and `childid` are the stream's hub child id, so
 * the Kafka key is that pseudonymous id; no identifier an agency holds is ever in it.
 */
export function identityEvent<T extends IdentityEventType>(
  type: T,
  id: string,
  streamChild: string,
  data: Extract<IdentityEvent, { type: T }>['data'],
  now: Date,
): Extract<IdentityEvent, { type: T }> {
  const at = now.toISOString();
  return {
    specversion: '1.0',
    id,
    source: IDENTITY_SOURCE,
    type,
    time: at,
    dataschema: dataschemaFor(type, 1),
    datacontenttype: 'application/json',
    subject: { localIds: [{ system: HUB_CHILD_ID_SYSTEM, value: streamChild }] },
    sharing: IDENTITY_SHARING,
    data,
    childid: streamChild,
    recordedtime: at,
  } as Extract<IdentityEvent, { type: T }>;
}
