import type { RecordedEvent } from '@jigsaw/envelope';
import type { Redaction } from '../field-allow-list.js';
import type { ChildAccess } from '../legitimate-relationship.js';
import { redactForViewer } from '../redaction.js';
import { decideVisibility } from '../sharing-policy.js';
import type { SharingState } from '../sharing-state.js';
import type { Viewer } from '../viewer.js';

/** The access of a viewer whose organisation works with the child (a panel: through an open review). */
export function relatedAccess(viewer: Viewer): ChildAccess {
  return viewer.role === 'review-panel' ? 'review' : 'legitimate-relationship';
}

/** The policy for a viewer who reaches the child: the record-level rules, the relationship given. */
export const decideRelated = (viewer: Viewer, event: RecordedEvent, state: SharingState, now: Date) =>
  decideVisibility(viewer, event, state, now, relatedAccess(viewer));

export const redactRelated = (
  viewer: Viewer,
  event: RecordedEvent,
  state: SharingState,
  now: Date,
  redactionOf?: (type: string) => Redaction | undefined,
) => redactForViewer(viewer, event, state, now, relatedAccess(viewer), redactionOf);
