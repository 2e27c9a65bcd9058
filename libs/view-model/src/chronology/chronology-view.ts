import type { RecordedEvent } from '@jigsaw/envelope';
import {
  eventKey,
  foldSharingLedger,
  isControlEvent,
  redactForViewer,
  type ChildAccess,
  SHARING_DECLINED_ACTION,
  sharingStateIn,
  type SharingLedger,
  type Viewer,
  type ViewableEvent,
} from '@jigsaw/sharing';
import type { ShownRecord } from '../access/record-accessed.event.js';
import { summaryOf } from './entry-summary.js';

/** A chronology row as stored: the whole event, cut per viewer at read time. */
export interface ChronologyRow {
  occurredAt: Date;
  recordedAt: Date;
  event: RecordedEvent;
}

/** One entry as this viewer may see it: the sharing policy's cut, placed in time, in a line. */
export type ChronologyEntry = ViewableEvent & { occurredAt: string; recordedAt: string; summary: string };

/** A row the viewer may see, with the policy's cut of it and the access record of showing it. */
export interface VisibleRecord {
  row: ChronologyRow;
  cut: ViewableEvent;
  shown: ShownRecord;
}

/**
 * Corrections, retractions, restrictions and markers are about other records: they show through those
 * records' `standing`, `markers` and `data`, not as entries. Decisions not to share stand on their own.
 */
export function isEntry(type: string): boolean {
  return !isControlEvent(type) || type.endsWith(`.${SHARING_DECLINED_ACTION}`);
}

/**
 * The sharing ledger over rows folded in the order the hub recorded them, because a control event
 * applies only to a record already seen. For the state of a set of records to be right, the rows must
 * hold those records and every control event of the child: records outside the set do not matter.
 */
export function ledgerOf(rows: readonly ChronologyRow[]): SharingLedger {
  const byRecording = [...rows].sort(
    (a, b) =>
      a.recordedAt.getTime() - b.recordedAt.getTime() ||
      eventKey(a.event.source, a.event.id).localeCompare(eventKey(b.event.source, b.event.id)),
  );
  return foldSharingLedger(byRecording.map((row) => row.event));
}

/** The entries among `rows` this viewer may see, in the rows' order, cut by the one sharing policy. */
export function visibleRecords(
  viewer: Viewer,
  rows: readonly ChronologyRow[],
  ledger: SharingLedger,
  now: Date,
  access: ChildAccess,
): VisibleRecord[] {
  const visible: VisibleRecord[] = [];
  for (const row of rows) {
    const { event } = row;
    if (!isEntry(event.type)) continue;
    const key = eventKey(event.source, event.id);
    const state = sharingStateIn(ledger, key);
    // Never seen by the ledger means nothing can be assumed about its sharing: show nothing.
    if (!state) continue;
    const cut = redactForViewer(viewer, event, state, now, access);
    if (!cut) continue;
    visible.push({
      row,
      cut,
      shown: {
        event: key,
        level: cut.level,
        reason: cut.reason as ShownRecord['reason'],
        lawfulBasis: event.sharing.basis.lawfulBasis,
        regime: event.sharing.basis.regime,
      },
    });
  }
  return visible;
}

export function toEntry({ row, cut }: VisibleRecord): ChronologyEntry {
  // A skeleton keeps the envelope's time: occurredAt comes from data, which auditors do not see.
  const at = cut.level === 'skeleton' ? row.event.time : row.occurredAt.toISOString();
  return {
    ...cut,
    occurredAt: at,
    recordedAt: row.recordedAt.toISOString(),
    summary: summaryOf(cut.type, cut.data),
  };
}

/**
 * What one viewer sees of a child's chronology, and the access record of exactly that. Rows come in
 * the order to show them; `controls` are the child's control events when `rows` is only a page of
 * the history (they may already be among `rows`: the ledger counts each event once).
 */
export function chronologyFor(
  viewer: Viewer,
  rows: readonly ChronologyRow[],
  now: Date,
  access: ChildAccess,
  controls: readonly ChronologyRow[] = [],
): { entries: ChronologyEntry[]; shown: ShownRecord[] } {
  const visible = visibleRecords(viewer, rows, ledgerOf([...rows, ...controls]), now, access);
  return { entries: visible.map(toEntry), shown: visible.map((v) => v.shown) };
}
