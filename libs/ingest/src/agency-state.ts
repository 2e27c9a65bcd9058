import type { RecordedEvent } from '@jigsaw/envelope';
import {
  EMPTY_SHARING_LEDGER,
  eventKey,
  foldSharingLedger,
  isControlEvent,
  sharingStateIn,
  type SharingLedger,
  type SharingState,
} from '@jigsaw/sharing';

/**
 * What an agency's rules decide on for one child: its stream `<agency>-<hubChildId>` folded through the
 * sharing ledger the read side folds (libs/sharing), so the write side and the read side agree on which
 * records stand.
 *
 * - A retracted record was entered in error: it never happened, so no rule counts it. A retracted plan
 *   start is no open plan (a new start is allowed, its end refused); a retracted end reopens its plan.
 * - A corrected record carries its corrected data: a plan whose start date was corrected is named by the
 *   new date.
 * - A withdrawn or restricted record still happened: withdrawal and restriction stop its sharing, not the
 *   agency's own history, so it still counts for the owner's rules (a plan whose consent was withdrawn is
 *   still open and is ended as usual; its start may not be recorded twice). The read side hides it from
 *   everyone else, and the owner sees it marked.
 * - Control events (withdrawals, restrictions, retractions, corrections, decisions not to share,
 *   protective markers) are not records: the rules read them only through the ledger.
 */
export interface AgencyState {
  /** The child's records as they stand now, oldest first: no control event, none retracted, corrections applied. */
  readonly records: readonly RecordedEvent[];
  /** The sharing ledger of the stream: each event seen, its withdrawals, restrictions, retractions, markers. */
  readonly ledger: SharingLedger;
  /** Every record as stored, oldest first: what `records` is derived from as the ledger moves. */
  readonly stored: readonly RecordedEvent[];
}

export const EMPTY_AGENCY_STATE: AgencyState = { records: [], ledger: EMPTY_SHARING_LEDGER, stored: [] };

function standing(event: RecordedEvent, state: SharingState | undefined): RecordedEvent | undefined {
  if (state?.retracted) return undefined;
  const corrections = state?.corrections ?? {};
  if (Object.keys(corrections).length === 0) return event;
  return { ...event, data: { ...(event.data as object), ...corrections } };
}

/** The state after these events, in stream order: the one fold of ingest, single, transaction and batch alike. */
export function foldAgencyState(
  events: Iterable<RecordedEvent>,
  from: AgencyState = EMPTY_AGENCY_STATE,
): AgencyState {
  const added = [...events];
  if (added.length === 0) return from;
  const ledger = foldSharingLedger(added, from.ledger);
  // An event seen before changes nothing, as in the ledger.
  const seen = new Set<string>();
  const fresh = added.filter((event) => {
    const key = eventKey(event.source, event.id);
    if (isControlEvent(event.type) || from.ledger.events.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const stored = [...from.stored, ...fresh];
  // New records alone change no earlier one: a batch into one stream adds them without a second look.
  if (added.every((event) => !isControlEvent(event.type))) {
    return { records: [...from.records, ...fresh], ledger, stored };
  }
  const records = stored.flatMap((event) => {
    const record = standing(event, sharingStateIn(ledger, eventKey(event.source, event.id)));
    return record ? [record] : [];
  });
  return { records, ledger, stored };
}

/** Where one earlier event of this stream stands, or undefined when the stream holds no such event. */
export function eventIn(
  state: AgencyState,
  source: string,
  id: string,
): { type: string; sharing: SharingState } | undefined {
  const key = eventKey(source, id);
  const entry = state.ledger.events.get(key);
  const sharing = sharingStateIn(state.ledger, key);
  return entry && sharing ? { type: entry.type, sharing } : undefined;
}

/** Whether this organisation's protective marker is on the child now: each sets and lifts only its own. */
export function markerSetBy(state: AgencyState, source: string, marker: string): boolean {
  return [...state.ledger.markers.values()].some((markers) => markers.get(marker)?.has(source) ?? false);
}
