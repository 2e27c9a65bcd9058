import {
  agencyOfSource,
  dataschemaFor,
  type Agency,
  type Purpose,
  type RecordedEvent,
} from '@jigsaw/envelope';
import type { AccessClaim, Viewer } from '@jigsaw/sharing';
import { accessRecord, readerOf, SAFEGUARDING_VIEW_SOURCE } from '../access/record-accessed.event.js';

import { ACCESS_CLAIMED, isTyped } from '@jigsaw/contracts';

export { ACCESS_CLAIMED };

/** How long a self-claimed relationship lasts, unless `SELF_CLAIMED_ACCESS_HOURS` says otherwise. */
export const SELF_CLAIMED_ACCESS_HOURS = 24;

export function accessClaimsStreamOf(childId: string): string {
  return `access-claims-${childId}`;
}

/** `data` of hub.access-claimed (schemas/hub/access-claimed/v1.json). */
export interface AccessClaimedData {
  childId: string;
  claimant: { sub: string; organisation: string; agency: Agency; role: string };
  purpose: Purpose;
  reason: string;
  claimedAt: string;
  until: string;
  /** The organisations holding a relationship with the child when the claim was made: their DPOs are told. */
  reportedTo: string[];
}

/**
 * A practitioner claimed a relationship with a child their organisation has none with (break-glass). Shared
 * for audit with the data protection officers of the claimant's agency and of every agency it is reported to.
 */
export function accessClaimed(
  claim: { id: string; now: Date; viewer: Viewer; childId: string; reason: string; hours: number },
  reportedTo: readonly string[],
): RecordedEvent<typeof ACCESS_CLAIMED, AccessClaimedData> {
  const { id, now, viewer, childId, reason, hours } = claim;
  const at = now.toISOString();
  const event = accessRecord(
    { id, at, source: SAFEGUARDING_VIEW_SOURCE, childId, agency: viewer.agency, roles: [] },
    {
      childId,
      claimant: readerOf(viewer),
      purpose: viewer.purpose,
      reason,
      claimedAt: at,
      until: new Date(now.getTime() + hours * 3_600_000).toISOString(),
      reportedTo: [...reportedTo],
    },
  );
  const agencies = [...new Set([viewer.agency, ...reportedTo.map(agencyOfSource)])].filter(
    (agency): agency is Agency => agency !== undefined,
  );
  return {
    ...event,
    type: ACCESS_CLAIMED,
    dataschema: dataschemaFor(ACCESS_CLAIMED, 1),
    sharing: {
      ...event.sharing,
      audience: agencies.map((agency) => ({ agency, roles: ['auditor', 'data-protection-officer'] })),
    },
  };
}

/** The claim a recorded event makes, for `decideChildAccess`; undefined for any other event. */
export function claimOf(event: RecordedEvent): AccessClaim | undefined {
  if (!isTyped(event, ACCESS_CLAIMED)) return undefined;
  const { data } = event;
  return {
    organisation: data.claimant.organisation,
    userId: data.claimant.sub,
    claimedAt: data.claimedAt,
    until: data.until,
  };
}
