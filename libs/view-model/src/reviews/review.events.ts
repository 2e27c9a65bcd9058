import { agencyOfSource, dataschemaFor, type Agency, type RecordedEvent } from '@jigsaw/envelope';
import type { Review, Viewer } from '@jigsaw/sharing';
import { accessRecord, readerOf, SAFEGUARDING_VIEW_SOURCE } from '../access/record-accessed.event.js';

import { isTyped, REVIEW_CLOSED, REVIEW_OPENED } from '@jigsaw/contracts';

export { REVIEW_CLOSED, REVIEW_OPENED };

export function reviewsStreamOf(childId: string): string {
  return `reviews-${childId}`;
}

type Person = ReturnType<typeof readerOf>;

/** `data` of hub.review-opened (schemas/hub/review-opened/v1.json). */
export interface ReviewOpenedData {
  childId: string;
  /** The partnership's reference for the review, e.g. `CSPR-2026-014`. */
  reference: string;
  panelOrganisation: string;
  /** The time the review looks at. */
  period: { from: string; to: string };
  openedBy: Person;
  openedAt: string;
  /** When the panel's access ends, if the review is not closed before. */
  until: string;
}

/** `data` of hub.review-closed (schemas/hub/review-closed/v1.json). */
export interface ReviewClosedData {
  childId: string;
  reference: string;
  closedBy: Person;
  closedAt: string;
}

function shared<T extends string, D>(
  type: T,
  event: RecordedEvent<string, D>,
  panelOrganisation: string,
  viewer: Viewer,
): RecordedEvent<T, D> {
  const agencies = [...new Set([viewer.agency, agencyOfSource(panelOrganisation)])].filter(
    (agency): agency is Agency => agency !== undefined,
  );
  return {
    ...event,
    type,
    dataschema: dataschemaFor(type, 1),
    sharing: {
      ...event.sharing,
      audience: agencies.map((agency) => ({
        agency,
        roles: ['auditor', 'data-protection-officer', 'review-panel', 'partnership-lead'],
      })),
    },
  };
}

/** A partnership lead opened a review of one child for a panel: the panel may audit that child until it closes. */
export function reviewOpened(review: {
  id: string;
  now: Date;
  viewer: Viewer;
  childId: string;
  reference: string;
  panelOrganisation: string;
  period: { from: string; to: string };
  until: string;
}): RecordedEvent<typeof REVIEW_OPENED, ReviewOpenedData> {
  const { id, now, viewer, childId, reference, panelOrganisation, period, until } = review;
  const at = now.toISOString();
  const base = accessRecord(
    { id, at, source: SAFEGUARDING_VIEW_SOURCE, childId, agency: viewer.agency, roles: [] },
    { childId, reference, panelOrganisation, period, openedBy: readerOf(viewer), openedAt: at, until },
  );
  return shared(REVIEW_OPENED, base, panelOrganisation, viewer);
}

/** The review closed: its panel's access to the child ends now. */
export function reviewClosed(
  review: { id: string; now: Date; viewer: Viewer; childId: string; reference: string },
  panelOrganisation: string,
): RecordedEvent<typeof REVIEW_CLOSED, ReviewClosedData> {
  const { id, now, viewer, childId, reference } = review;
  const at = now.toISOString();
  const base = accessRecord(
    { id, at, source: SAFEGUARDING_VIEW_SOURCE, childId, agency: viewer.agency, roles: [] },
    { childId, reference, closedBy: readerOf(viewer), closedAt: at },
  );
  return shared(REVIEW_CLOSED, base, panelOrganisation, viewer);
}

/** The reviews a child's review streams record, each with its close if it closed: for `decideChildAccess`. */
export function reviewsOf(events: readonly RecordedEvent[]): Review[] {
  const byReference = new Map<string, Review>();
  for (const event of events) {
    if (isTyped(event, REVIEW_OPENED)) {
      const { data } = event;
      byReference.set(data.reference, {
        reference: data.reference,
        panelOrganisation: data.panelOrganisation,
        openedAt: data.openedAt,
        until: data.until,
      });
    } else if (isTyped(event, REVIEW_CLOSED)) {
      const { data } = event;
      const open = byReference.get(data.reference);
      if (open && open.closedAt === undefined) open.closedAt = data.closedAt;
    }
  }
  return [...byReference.values()];
}
