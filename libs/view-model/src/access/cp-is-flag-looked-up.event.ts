import { CP_IS_FLAG_LOOKED_UP, type DataOf } from '@jigsaw/contracts';
import type { RecordedEvent } from '@jigsaw/envelope';
import type { Viewer } from '@jigsaw/sharing';
import type { CareStatus } from '../notifications/care-status.js';
import { londonDateOf } from '../notifications/school-calendar.js';
import { accessStreamEvent, SAFEGUARDING_VIEW_SOURCE } from './record-accessed.event.js';

export { CP_IS_FLAG_LOOKED_UP };

/** `data` of hub.cp-is-flag-looked-up (schemas/hub/cp-is-flag-looked-up/v1.json). */
export type CpIsFlagLookedUpData = DataOf<typeof CP_IS_FLAG_LOOKED_UP>;

/**
 * The view's topic, `<prefix>hub.access`: of the events on the access streams, only the CP-IS flag
 * look-ups go to it, for the notifications service to tell the council; the reads themselves stay in the
 * store for the audit service.
 */
export function accessTopic(prefix: string): string {
  return `${prefix}hub.access`;
}

/**
 * A look-up of the CP-IS flag that found it set, appended with the read's access record (`accessId`) so
 * that the council is told of every recorded look-up and of no other. Carries what the council's
 * notification says: the statuses the flag showed, their contact and records, when and by whom.
 */
export function cpIsFlagLookedUp(lookup: {
  accessId: string;
  now: Date;
  viewer: Viewer;
  childId: string;
  council: string;
  statuses: readonly CareStatus[];
  triggerEventKey: string;
}): RecordedEvent<typeof CP_IS_FLAG_LOOKED_UP, CpIsFlagLookedUpData> {
  const { accessId, now, viewer, childId, council, statuses, triggerEventKey } = lookup;
  const at = now.toISOString();
  const today = londonDateOf(now);
  return accessStreamEvent(
    CP_IS_FLAG_LOOKED_UP,
    {
      id: `cp-is-${accessId}`,
      at,
      source: SAFEGUARDING_VIEW_SOURCE,
      childId,
      agency: viewer.agency,
      roles: ['auditor', 'data-protection-officer'],
    },
    {
      accessId,
      childId,
      lookedUpAt: at,
      lookedUpBy: viewer.organisation,
      council,
      careStatuses: statuses.map((s) => ({
        kind: s.kind,
        startDate: s.startDate,
        ...(s.endDate ? { endDate: s.endDate } : {}),
        inForce: s.endDate === undefined || today <= s.endDate,
        ...(s.contact ? { contact: s.contact } : {}),
      })),
      statusEvents: statuses.flatMap((s) => s.events),
      triggerEventKey,
    },
  );
}
