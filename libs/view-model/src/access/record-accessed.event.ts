import {
  dataschemaFor,
  hubSource,
  type Agency,
  type LawfulBasis,
  type Purpose,
  type RecordedEvent,
  type Regime,
  type Role,
} from '@jigsaw/envelope';
import type { Viewer, VisibilityLevel, VisibilityReason } from '@jigsaw/sharing';

import { RECORD_ACCESSED } from '@jigsaw/contracts';

export { RECORD_ACCESSED };
export const SAFEGUARDING_VIEW_SOURCE = hubSource('safeguarding-view');
/** The subject of an access event: the hub child id, never an identifier an agency holds. */
export const HUB_CHILD_ID_SYSTEM = 'urn:jigsaw:hub:child-id';

export type AccessView = 'chronology' | 'find-child' | 'child-view' | 'notifications' | 'cp-is-flag';
export type ChildLookup = 'hub-child-id' | 'nhs-number' | 'upn';

/** One record shown, with the rule and the lawful basis the viewer relies on to see it. */
export interface ShownRecord {
  /** `<source>#<id>`. */
  event: string;
  level: VisibilityLevel;
  reason: Extract<VisibilityReason, 'owner' | 'shared' | 'audit-skeleton'>;
  lawfulBasis: LawfulBasis;
  regime: Regime;
}

/** `data` of hub.record-accessed (schemas/hub/record-accessed/v1.json). */
export interface RecordAccessedData {
  view: AccessView;
  childId: string;
  lookup?: ChildLookup;
  viewer: { sub: string; organisation: string; agency: Agency; role: string };
  purpose: Purpose;
  accessedAt: string;
  shown: ShownRecord[];
  /** Set on a read that was refused: why (the viewer had no relationship with the child). */
  refused?: RefusalReason;
}

export type RefusalReason = 'no-relationship';

/** Who read: the practitioner's subject, organisation, agency and role, never their name. */
export function readerOf(viewer: Viewer): RecordAccessedData['viewer'] {
  return { sub: viewer.userId, organisation: viewer.organisation, agency: viewer.agency, role: viewer.role };
}

export function accessStreamOf(childId: string): string {
  return `access-${childId}`;
}

/** Who an access stream's event is about, written by whom, and whose auditing roles may review it. */
export interface AccessStreamRecord {
  id: string;
  at: string;
  source: string;
  childId: string;
  agency: Agency;
  roles: readonly Role[];
}

/**
 * The envelope every access record shares, whichever hub component served the read: the sharing decision
 * that lets the reader's own agency's auditing roles, and nobody else, review it.
 */
export function accessRecord<D>(
  record: AccessStreamRecord,
  data: D,
): RecordedEvent<typeof RECORD_ACCESSED, D> {
  return accessStreamEvent(RECORD_ACCESSED, record, data);
}

/** An event of a child's access stream (`access-<hubChildId>`), with the access record's envelope. */
export function accessStreamEvent<T extends string, D>(
  type: T,
  record: AccessStreamRecord,
  data: D,
): RecordedEvent<T, D> {
  const { id, at, source, childId, agency, roles } = record;
  return {
    specversion: '1.0',
    id,
    source,
    type,
    time: at,
    dataschema: dataschemaFor(type, 1),
    datacontenttype: 'application/json',
    subject: { localIds: [{ system: HUB_CHILD_ID_SYSTEM, value: childId }] },
    sharing: {
      basis: { lawfulBasis: 'legal-obligation', regime: 'uk-gdpr', specialCategory: false },
      consent: {
        status: 'not-applicable',
        reason: "The hub must account for every read of a child's records (UK GDPR Art 5(2); DPA 2018 s62)",
      },
      purposes: ['audit'],
      audience: [{ agency, roles: [...roles] }],
      sensitivity: 'restricted',
      decidedBy: { role: 'hub', organisation: source },
    },
    data,
    childid: childId,
    recordedtime: at,
  };
}

/**
 * The access record of one read. Shared with the viewer's own agency's auditors and data protection
 * officer, for audit only: they review who looked at what, and nobody else needs to.
 */
export function recordAccessed(
  read: {
    id: string;
    now: Date;
    viewer: Viewer;
    view: AccessView;
    childId: string;
    lookup?: ChildLookup;
    refused?: RefusalReason;
  },
  shown: ShownRecord[],
): RecordedEvent<typeof RECORD_ACCESSED, RecordAccessedData> {
  const { id, now, viewer, view, childId, lookup, refused } = read;
  const at = now.toISOString();
  return accessRecord(
    {
      id,
      at,
      source: SAFEGUARDING_VIEW_SOURCE,
      childId,
      agency: viewer.agency,
      roles: ['auditor', 'data-protection-officer'],
    },
    {
      view,
      childId,
      ...(lookup ? { lookup } : {}),
      viewer: readerOf(viewer),
      purpose: viewer.purpose,
      accessedAt: at,
      shown,
      ...(refused ? { refused } : {}),
    },
  );
}
