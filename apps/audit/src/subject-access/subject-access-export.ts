import { targetOf } from '@jigsaw/contracts';
import {
  agencyOfSource,
  type ChildSubject,
  type RecordedEvent,
  type SharingDecision,
} from '@jigsaw/envelope';
import type { StoredEvent } from '@jigsaw/event-store';
import {
  eventKey,
  foldSharingLedger,
  isControlEvent,
  sharingExpired,
  sharingStateIn,
  type ControlNote,
} from '@jigsaw/sharing';
import type { AccessLogEntry } from '../access-log/access-log.js';
import type { AuditCaller } from '../auth/audit-caller.js';

/** One read that showed a record: who, when, for what, and how much of it. */
export interface SeenBy {
  /** When the read happened. */
  at: string;
  service: string;
  view: string;
  purpose: string;
  viewer: AccessLogEntry['viewer'];
  level: string;
}

/** Where a record's sharing stands now, and why: each control event with its own reason. */
export interface HeldStanding {
  withdrawn?: ControlNote;
  restricted?: ControlNote;
  retracted?: ControlNote;
  corrected: readonly ControlNote[];
  expired: boolean;
  markers: readonly string[];
}

/** A record held about the child, whole, with the sharing decision recorded with it. */
export interface HeldRecord {
  event: string;
  id: string;
  source: string;
  agency?: string;
  type: string;
  time: string;
  recordedAt: string;
  subject: ChildSubject;
  data: unknown;
  /** Basis, purposes, audience, consent and the reason for sharing without it, and who decided. */
  sharing: SharingDecision;
  /** For records; control events change records rather than stand as one. */
  standing?: HeldStanding;
  /** For a control event about one record: that record's key. */
  about?: string;
  seenBy: SeenBy[];
}

export interface SubjectAccessExport {
  childId: string;
  /** Every hub child id held as this child. */
  members: string[];
  generatedAt: string;
  generatedFor: { sub: string; organisation: string; role: string };
  summary: { records: number; sources: string[]; reads: number };
  /** How each organisation identifies the child, as its latest record says. */
  identifiers: { source: string; subject: ChildSubject }[];
  records: HeldRecord[];
  accessLog: AccessLogEntry[];
}

function aboutOf(event: RecordedEvent): string | undefined {
  const target = targetOf(event);
  return target === undefined ? undefined : eventKey(event.source, target);
}

/** Everything held about a child, what was shared with whom and why, and every read of it. */
export function subjectAccessExport(input: {
  childId: string;
  members: readonly string[];
  now: Date;
  caller: AuditCaller;
  records: readonly StoredEvent[];
  accessLog: readonly AccessLogEntry[];
}): SubjectAccessExport {
  const { childId, members, now, caller, records, accessLog } = input;
  const seenBy = new Map<string, SeenBy[]>();
  for (const read of accessLog) {
    for (const shown of read.shown) {
      const seen = seenBy.get(shown.event) ?? [];
      seen.push({
        at: read.at,
        service: read.service,
        view: read.view,
        purpose: read.purpose,
        viewer: read.viewer,
        level: shown.level,
      });
      seenBy.set(shown.event, seen);
    }
  }

  const ledger = foldSharingLedger(records.map((stored) => stored.event));
  const held = records.map(({ event, recordedAt }): HeldRecord => {
    const key = eventKey(event.source, event.id);
    const control = isControlEvent(event.type);
    const state = control ? undefined : sharingStateIn(ledger, key);
    const about = control ? aboutOf(event) : undefined;
    const agency = agencyOfSource(event.source);
    return {
      event: key,
      id: event.id,
      source: event.source,
      ...(agency ? { agency } : {}),
      type: event.type,
      time: event.time,
      recordedAt: recordedAt.toISOString(),
      subject: structuredClone(event.subject),
      data: structuredClone(event.data),
      sharing: structuredClone(event.sharing),
      ...(state
        ? {
            standing: {
              ...(state.withdrawn ? { withdrawn: state.withdrawn } : {}),
              ...(state.restricted ? { restricted: state.restricted } : {}),
              ...(state.retracted ? { retracted: state.retracted } : {}),
              corrected: state.corrected,
              expired: sharingExpired(event.sharing.until, now),
              markers: state.markers,
            },
          }
        : {}),
      ...(about ? { about } : {}),
      seenBy: seenBy.get(key) ?? [],
    };
  });

  const identifiers = new Map<string, ChildSubject>();
  for (const { event } of records) identifiers.set(event.source, event.subject);
  return {
    childId,
    members: [...members],
    generatedAt: now.toISOString(),
    generatedFor: { sub: caller.sub, organisation: caller.organisation, role: caller.role },
    summary: {
      records: held.length,
      sources: [...identifiers.keys()].sort(),
      reads: accessLog.length,
    },
    identifiers: [...identifiers]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([source, subject]) => ({ source, subject: structuredClone(subject) })),
    records: held,
    accessLog: [...accessLog],
  };
}
