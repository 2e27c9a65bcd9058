import {
  agencyOfSource,
  hubSource,
  type AudienceEntry,
  type Agency,
  type LawfulBasis,
  type Purpose,
  type RecordedEvent,
  type Regime,
  type Role,
} from '@jigsaw/envelope';
import { AUDIT_ROLES, type VisibilityLevel } from '@jigsaw/sharing';
import { accessRecord, RECORD_ACCESSED, type ChildLookup, type RecordAccessedData } from '@jigsaw/view-model';
import type { AuditCaller } from '../auth/audit-caller.js';

export const AUDIT_SOURCE = hubSource('audit');

export type AuditView = 'as-known-at' | 'access-log' | 'subject-access-export' | 'notification-history';

/** One record shown to the auditor; `audit` is the rule: an auditing role read it through this service. */
export interface AuditShownRecord {
  event: string;
  level: VisibilityLevel;
  reason: 'owner' | 'shared' | 'audit-skeleton' | 'audit';
  lawfulBasis: LawfulBasis;
  regime: Regime;
}

/** `data` of hub.record-accessed as the audit service writes it (schemas/hub/record-accessed/v1.json). */
export interface AuditAccessedData extends Omit<RecordAccessedData, 'view' | 'shown'> {
  view: RecordAccessedData['view'] | AuditView;
  shown: AuditShownRecord[];
  asKnownAt?: {
    at: string;
    viewer: { organisation: string; agency: Agency; role: Role; purpose: Purpose };
  };
  /** A partnership-wide read: the organisations whose data protection officers it is reported to. */
  reportedTo?: string[];
}

/**
 * The access record of one audit read, in the same access stream and shape as the view's reads, so the
 * access log shows who audited the child too. Shared with the reader's own agency's auditing roles.
 */
export function auditAccessed(
  read: {
    id: string;
    now: Date;
    caller: AuditCaller;
    view: AuditView;
    childId: string;
    lookup: ChildLookup;
    asKnownAt?: AuditAccessedData['asKnownAt'];
    reportedTo?: readonly string[];
    refused?: RecordAccessedData['refused'];
  },
  shown: AuditShownRecord[],
): RecordedEvent<typeof RECORD_ACCESSED, AuditAccessedData> {
  const { id, now, caller, view, childId, lookup, asKnownAt, reportedTo, refused } = read;
  const at = now.toISOString();
  const event = accessRecord<AuditAccessedData>(
    { id, at, source: AUDIT_SOURCE, childId, agency: caller.agency, roles: AUDIT_ROLES },
    {
      view,
      childId,
      lookup,
      viewer: {
        sub: caller.sub,
        organisation: caller.organisation,
        agency: caller.agency,
        role: caller.role,
      },
      purpose: 'audit',
      accessedAt: at,
      shown,
      ...(asKnownAt ? { asKnownAt } : {}),
      ...(reportedTo ? { reportedTo: [...reportedTo] } : {}),
      ...(refused ? { refused } : {}),
    },
  );
  if (!reportedTo) return event;
  // Reported: the data protection officers of those organisations' agencies may review it too.
  const told = reportedTo
    .map(agencyOfSource)
    .filter((agency): agency is Agency => agency !== undefined && agency !== caller.agency);
  const audience: AudienceEntry[] = [
    ...event.sharing.audience,
    ...[...new Set(told)].map((agency): AudienceEntry => ({ agency, roles: ['data-protection-officer'] })),
  ];
  return { ...event, sharing: { ...event.sharing, audience } };
}
