import type { RecordedEvent } from '@jigsaw/envelope';
import {
  eventKey,
  foldSharingLedger,
  isControlEvent,
  redactForViewer,
  SHARING_DECLINED_ACTION,
  sharingStateIn,
  type Viewer,
  type ViewableEvent,
} from '@jigsaw/sharing';
import type { ShownRecord } from '../access/record-accessed.event.js';

/** A chronology row as stored: the whole event, cut per viewer at read time. */
export interface ChronologyRow {
  occurredAt: Date;
  recordedAt: Date;
  event: RecordedEvent;
}

/** One entry as this viewer may see it: the sharing policy's cut, placed in time. */
export type ChronologyEntry = ViewableEvent & { occurredAt: string; recordedAt: string };

/**
 * Corrections, retractions, restrictions and markers are about other records: they show through those
 * records' `standing`, `markers` and `data`, not as entries. Decisions not to share stand on their own.
 */
function isEntry(event: RecordedEvent): boolean {
  return !isControlEvent(event.type) || event.type.endsWith(`.${SHARING_DECLINED_ACTION}`);
}

/**
 * What one viewer sees of a child's chronology, and the access record of exactly that. Rows come in
 * the order to show them; the ledger is folded in the order the hub recorded them, because a control
 * event applies only to a record already seen.
 */
export function chronologyFor(
  viewer: Viewer,
  rows: readonly ChronologyRow[],
  now: Date,
): { entries: ChronologyEntry[]; shown: ShownRecord[] } {
  const byRecording = [...rows].sort(
    (a, b) =>
      a.recordedAt.getTime() - b.recordedAt.getTime() ||
      eventKey(a.event.source, a.event.id).localeCompare(eventKey(b.event.source, b.event.id)),
  );
  const ledger = foldSharingLedger(byRecording.map((row) => row.event));
  const entries: ChronologyEntry[] = [];
  const shown: ShownRecord[] = [];
  for (const { event, occurredAt, recordedAt } of rows) {
    if (!isEntry(event)) continue;
    const key = eventKey(event.source, event.id);
    const state = sharingStateIn(ledger, key);
    // Never seen by the ledger means nothing can be assumed about its sharing: show nothing.
    if (!state) continue;
    const cut = redactForViewer(viewer, event, state, now);
    if (!cut) continue;
    // A skeleton keeps the envelope's time: occurredAt comes from data, which auditors do not see.
    const at = cut.level === 'skeleton' ? event.time : occurredAt.toISOString();
    entries.push({ ...cut, occurredAt: at, recordedAt: recordedAt.toISOString() });
    shown.push({
      event: key,
      level: cut.level,
      reason: cut.reason as ShownRecord['reason'],
      lawfulBasis: event.sharing.basis.lawfulBasis,
      regime: event.sharing.basis.regime,
    });
  }
  return { entries, shown };
}
