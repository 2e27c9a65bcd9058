import {
  CHILD_MISSING_EDUCATION_REPORTED,
  ELECTIVE_HOME_EDUCATION_NOTIFIED,
  PERMANENT_EXCLUSION_RECORDED,
  PUPIL_ON_ROLL,
} from '@jigsaw/contracts';
import { agencyOfSource, type RecordedEvent } from '@jigsaw/envelope';
import { isRecord } from './is-record.js';
import { sharingEndsAfter } from './retention.js';
import { eventKey, foldSharingLedger, isControlEvent, sharingStateIn } from './sharing-state.js';
import type { Viewer } from './viewer.js';

/** How long a relationship outlives what made it (CP-IS keeps an ended plan for as long). */
export const LEGITIMATE_RELATIONSHIP_GRACE_MONTHS = 12;

/** Why an organisation has a relationship with a child; each names a rule of "Who may see which child" in docs/security-and-privacy.md. */
export type RelationshipBasis = 'owner' | 'on-roll' | 'named-school' | 'notified';

/** One span of a relationship: from when the hub recorded its cause, until it ended (absent while it holds). */
export interface RelationshipSpan {
  basis: RelationshipBasis;
  from: string;
  endedAt?: string;
}

/** Organisation -> the spans of its relationships with one child. */
export type Relationships = ReadonlyMap<string, readonly RelationshipSpan[]>;

/** A notification the hub addressed to an organisation about the child, and when. */
export interface Addressed {
  organisation: string;
  at: string;
}

/** A practitioner's self-claimed relationship (break-glass), as recorded by `hub.access-claimed`. */
export interface AccessClaim {
  organisation: string;
  userId: string;
  claimedAt: string;
  until: string;
}

/** A review opened for a panel (`hub.review-opened`), closed by `hub.review-closed` or when `until` passes. */
export interface Review {
  reference: string;
  panelOrganisation: string;
  openedAt: string;
  until: string;
  closedAt?: string;
}

/** How the viewer reaches the child, or that they do not: the policy's first input after the viewer. */
export type ChildAccess = 'legitimate-relationship' | 'self-claimed' | 'review' | 'none';

/** The school's own records that only keep its roll: they last as long as the roll, not for ever. */
export const ROLL_TYPES = [PUPIL_ON_ROLL] as const;
/** The school's records that say the child left its roll, with the date field saying when. */
export const ROLL_ENDS: Readonly<Record<string, string>> = {
  [ELECTIVE_HOME_EDUCATION_NOTIFIED]: 'offRollOn',
  [CHILD_MISSING_EDUCATION_REPORTED]: 'reportedOn',
  [PERMANENT_EXCLUSION_RECORDED]: 'effectiveDate',
};

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

function add(draft: Map<string, RelationshipSpan[]>, organisation: string, span: RelationshipSpan): void {
  draft.set(organisation, [...(draft.get(organisation) ?? []), span]);
}

/**
 * Every organisation's relationship with one child, from the child's records (all its linked hub ids, in
 * recorded order) and the notifications addressed about it. Pure: the same history gives the same answer,
 * so a rebuild or an "as known at" replay of an earlier history gives the relationships of that time.
 * A record retracted, withdrawn or restricted gives no one but its owner a relationship.
 */
export function foldRelationships(
  history: readonly RecordedEvent[],
  options: { schoolByUrn?: (urn: string) => string | undefined; addressed?: readonly Addressed[] } = {},
): Relationships {
  const ledger = foldSharingLedger(history);
  const draft = new Map<string, RelationshipSpan[]>();
  const roll = new Map<string, RelationshipSpan>();
  for (const event of history) {
    if (agencyOfSource(event.source) === undefined || isControlEvent(event.type)) continue;
    const data = isRecord(event.data) ? event.data : {};
    const from = event.recordedtime;
    if ((ROLL_TYPES as readonly string[]).includes(event.type)) {
      const span: RelationshipSpan = { basis: 'on-roll', from };
      roll.set(event.source, span);
      add(draft, event.source, span);
      continue;
    }
    const leftOn = ROLL_ENDS[event.type];
    if (leftOn !== undefined) {
      const open = roll.get(event.source);
      if (open) {
        open.endedAt = str(data[leftOn]) ?? event.time;
        roll.delete(event.source);
      }
      if (event.type !== PERMANENT_EXCLUSION_RECORDED) continue;
    }
    add(draft, event.source, { basis: 'owner', from });
    const state = sharingStateIn(ledger, eventKey(event.source, event.id));
    const standing = state && !state.retracted && !state.withdrawn && !state.restricted;
    const urn = str(data['schoolUrn']);
    const school = urn ? options.schoolByUrn?.(urn) : undefined;
    if (standing && school && school !== event.source) {
      add(draft, school, { basis: 'named-school', from, endedAt: from });
    }
  }
  for (const { organisation, at } of options.addressed ?? []) {
    add(draft, organisation, { basis: 'notified', from: at, endedAt: at });
  }
  return draft;
}

/** Whether the span gives a relationship at `now`: it began, and has not ended more than the grace ago. */
export function spanHolds(span: RelationshipSpan, now: Date, graceMonths: number): boolean {
  const at = now.getTime();
  if (!(Date.parse(span.from) <= at)) return false;
  if (span.endedAt === undefined) return true;
  return at < Date.parse(sharingEndsAfter(span.endedAt.slice(0, 10), graceMonths));
}

/** The organisations holding a relationship with the child at `now`. */
export function relatedOrganisations(
  relationships: Relationships,
  now: Date,
  graceMonths: number = LEGITIMATE_RELATIONSHIP_GRACE_MONTHS,
): string[] {
  return [...relationships]
    .filter(([, spans]) => spans.some((span) => spanHolds(span, now, graceMonths)))
    .map(([organisation]) => organisation)
    .sort();
}

/**
 * How this viewer reaches the child at `now`. A review panel reaches only the child of a review opened
 * for its organisation and still open; everyone else through their organisation's relationship, or
 * their own live self-claim.
 */
export function decideChildAccess(
  viewer: Viewer,
  facts: {
    relationships: Relationships;
    claims?: readonly AccessClaim[];
    reviews?: readonly Review[];
    graceMonths?: number;
  },
  now: Date,
): ChildAccess {
  const at = now.getTime();
  if (viewer.role === 'review-panel') {
    const open = (facts.reviews ?? []).some(
      (review) =>
        review.panelOrganisation === viewer.organisation &&
        Date.parse(review.openedAt) <= at &&
        at < Date.parse(review.until) &&
        (review.closedAt === undefined || at < Date.parse(review.closedAt)),
    );
    return open ? 'review' : 'none';
  }
  const grace = facts.graceMonths ?? LEGITIMATE_RELATIONSHIP_GRACE_MONTHS;
  const spans = facts.relationships.get(viewer.organisation) ?? [];
  if (spans.some((span) => spanHolds(span, now, grace))) return 'legitimate-relationship';
  const claimed = (facts.claims ?? []).some(
    (claim) =>
      claim.organisation === viewer.organisation &&
      claim.userId === viewer.userId &&
      Date.parse(claim.claimedAt) <= at &&
      at < Date.parse(claim.until),
  );
  return claimed ? 'self-claimed' : 'none';
}
