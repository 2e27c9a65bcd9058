import { isTyped, type DataOf } from '@jigsaw/contracts';
import type { StoredEvent } from '@jigsaw/event-store';
import { eventKey } from '@jigsaw/sharing';
import { RECORD_ACCESSED, type RecordAccessedData } from '@jigsaw/view-model';
import type { AuditAccessedData } from '../access/audit-accessed.event.js';

/** One read of the child's records: who, when, through which service and view, for what, and what was shown. */
export interface AccessLogEntry {
  /** The access event's key, `<source>#<id>`. */
  event: string;
  /** When the read happened. */
  at: string;
  recordedAt: string;
  /** The hub component that served the read: `safeguarding-view` or `audit`. */
  service: string;
  view: string;
  purpose: string;
  lookup?: string;
  viewer: RecordAccessedData['viewer'];
  shown: AuditAccessedData['shown'];
  asKnownAt?: DataOf<typeof RECORD_ACCESSED>['asKnownAt'];
  /** A refused read: why nothing was shown. */
  refused?: RecordAccessedData['refused'];
}

const HUB_COMPONENT = /^urn:jigsaw:org:hub:([a-z0-9][a-z0-9-]*)$/;

/** The access log of a child from its access streams, oldest first. */
export function accessLogOf(accesses: readonly StoredEvent[]): AccessLogEntry[] {
  return accesses.flatMap(({ event, recordedAt }) => {
    if (!isTyped(event, RECORD_ACCESSED)) return [];
    const { data } = event;
    return [
      {
        event: eventKey(event.source, event.id),
        at: data.accessedAt,
        recordedAt: recordedAt.toISOString(),
        service: HUB_COMPONENT.exec(event.source)?.[1] ?? event.source,
        view: data.view,
        purpose: data.purpose,
        ...(data.lookup ? { lookup: data.lookup } : {}),
        viewer: data.viewer,
        shown: data.shown,
        ...(data.asKnownAt ? { asKnownAt: data.asKnownAt } : {}),
        ...(data.refused ? { refused: data.refused } : {}),
      },
    ];
  });
}
