import { targetOf } from '@jigsaw/contracts';
import { agencyOfSource, type RecordedEvent } from '@jigsaw/envelope';
import {
  eventKey,
  isControlEvent,
  relatedOrganisations,
  type Relationships,
  type Review,
} from '@jigsaw/sharing';
import type { AuditCaller } from './audit-caller.js';

/**
 * How far an auditing caller reaches into one child's case (the README's "Who may see which child"):
 * - `partnership`: a partnership data protection officer, across every organisation; each read is reported
 *   to the data protection officer of every organisation holding a relationship with the child;
 * - `review`: a review panel, for the child of a review opened for its organisation and still open;
 * - `organisation`: a data protection officer whose organisation has or had a relationship with the child:
 *   their organisation's records and what others shared with it;
 * - `own-records`: an auditor whose organisation recorded something about the child: those records and
 *   the reads of them.
 * Undefined: the child is not this caller's case, and the answer is the unknown child's.
 */
export type AuditScope =
  | { kind: 'partnership'; reportTo: string[] }
  | { kind: 'review' }
  | { kind: 'organisation'; organisation: string }
  | { kind: 'own-records'; organisation: string };

export function auditScopeOf(
  caller: AuditCaller,
  facts: { relationships: Relationships; reviews: readonly Review[] },
  now: Date,
): AuditScope | undefined {
  const at = now.getTime();
  const spans = facts.relationships.get(caller.organisation) ?? [];
  switch (caller.role) {
    case 'partnership-dpo':
      return { kind: 'partnership', reportTo: relatedOrganisations(facts.relationships, now) };
    case 'review-panel': {
      const open = facts.reviews.some(
        (review) =>
          review.panelOrganisation === caller.organisation &&
          Date.parse(review.openedAt) <= at &&
          at < Date.parse(review.until) &&
          (review.closedAt === undefined || at < Date.parse(review.closedAt)),
      );
      return open ? { kind: 'review' } : undefined;
    }
    case 'data-protection-officer': {
      // Has or had: a relationship that ended long ago still makes the child this officer's case.
      const had = spans.some((span) => Date.parse(span.from) <= at);
      return had ? { kind: 'organisation', organisation: caller.organisation } : undefined;
    }
    case 'auditor': {
      const owns = spans.some((span) => span.basis === 'owner' && Date.parse(span.from) <= at);
      return owns ? { kind: 'own-records', organisation: caller.organisation } : undefined;
    }
  }
}

/** The target of a control event (withdrawal, retraction...), as a record key. */
function aboutOf(event: RecordedEvent): string | undefined {
  const target = targetOf(event);
  return target === undefined ? undefined : eventKey(event.source, target);
}

/**
 * The records a scope covers: everything for a partnership officer or a review panel; the organisation's
 * own records and those shared with its agency for a data protection officer; the organisation's own for
 * an auditor. A control event goes with the record it is about.
 */
export function recordsInScope<T extends { event: RecordedEvent }>(
  scope: AuditScope,
  records: readonly T[],
): T[] {
  if (scope.kind === 'partnership' || scope.kind === 'review') return [...records];
  const { organisation } = scope;
  const agency = agencyOfSource(organisation);
  const covered = (event: RecordedEvent): boolean =>
    event.source === organisation ||
    (scope.kind === 'organisation' &&
      agencyOfSource(event.source) !== undefined &&
      event.sharing.audience.some((entry) => entry.agency === agency));
  const keys = new Set(
    records
      .filter(({ event }) => !isControlEvent(event.type) && covered(event))
      .map(({ event }) => eventKey(event.source, event.id)),
  );
  return records.filter(({ event }) => {
    if (!isControlEvent(event.type)) return keys.has(eventKey(event.source, event.id));
    const about = aboutOf(event);
    return about !== undefined && keys.has(about);
  });
}

/**
 * The reads a scope covers: all of them, except for an auditor, who sees the reads of their own
 * organisation's records (each cut to those records) and their own organisation's reads.
 */
export function readsInScope<
  T extends { viewer: { organisation: string }; shown: readonly { event: string }[] },
>(scope: AuditScope, reads: readonly T[]): T[] {
  if (scope.kind !== 'own-records') return [...reads];
  const own = `${scope.organisation}#`;
  return reads.flatMap((read) => {
    if (read.viewer.organisation === scope.organisation) return [read];
    const shown = read.shown.filter((s) => s.event.startsWith(own));
    return shown.length > 0 ? [{ ...read, shown }] : [];
  });
}

/**
 * The viewers an as-known-at read may reconstruct: any, for a partnership officer or a review panel; only
 * the caller's own organisation otherwise, since that is what it saw.
 */
export function mayReplayAs(scope: AuditScope, organisation: string): boolean {
  if (scope.kind === 'partnership' || scope.kind === 'review') return true;
  return organisation === scope.organisation;
}
