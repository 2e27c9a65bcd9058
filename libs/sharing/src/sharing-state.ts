import {
  AGENCIES,
  agencyOfSource,
  type Agency,
  type AudienceEntry,
  type Purpose,
  type RecordedEvent,
} from '@jigsaw/envelope';
import { isRecord } from './is-record.js';
import { episodeOf } from './retention.js';

/** Actions an agency takes on one of its own earlier records. */
export const RECORD_CONTROL_ACTIONS = [
  'consent-withdrawn',
  'record-restricted',
  'restriction-lifted',
  'record-retracted',
  'record-corrected',
] as const;
export type RecordControlAction = (typeof RECORD_CONTROL_ACTIONS)[number];

/** Actions on the child rather than one record: shielding applies to everything about them. */
export const MARKER_CONTROL_ACTIONS = ['protective-marker-set', 'protective-marker-lifted'] as const;
export type MarkerControlAction = (typeof MARKER_CONTROL_ACTIONS)[number];

/** Only police set protective markers for now; adding an agency here is the whole change. */
export const MARKER_AGENCIES = ['police'] as const satisfies readonly Agency[];
export type MarkerAgency = (typeof MARKER_AGENCIES)[number];

export const SHARING_DECLINED_ACTION = 'sharing-declined';

export type RecordControlType = `${Agency}.${RecordControlAction}`;
export type MarkerControlType = `${MarkerAgency}.${MarkerControlAction}`;
export type SharingDeclinedType = `${Agency}.${typeof SHARING_DECLINED_ACTION}`;
export type ControlEventType = RecordControlType | MarkerControlType | SharingDeclinedType;

export const CONTROL_EVENT_TYPES: readonly ControlEventType[] = [
  ...AGENCIES.flatMap((agency) => RECORD_CONTROL_ACTIONS.map((action) => `${agency}.${action}` as const)),
  ...MARKER_AGENCIES.flatMap((agency) =>
    MARKER_CONTROL_ACTIONS.map((action) => `${agency}.${action}` as const),
  ),
  ...AGENCIES.map((agency) => `${agency}.${SHARING_DECLINED_ACTION}` as const),
];

const CONTROL_TYPES = new Set<string>(CONTROL_EVENT_TYPES);

/** Control events and decisions not to share: seen only by their owner and by auditors. */
export function isControlEvent(type: string): type is ControlEventType {
  return CONTROL_TYPES.has(type);
}

/** `data` of consent-withdrawn, record-restricted, restriction-lifted and record-retracted. */
export interface RecordControlData {
  /** The `id` of an earlier event from the same `source`. */
  targetEventId: string;
  reason: string;
}

/** `data` of record-corrected: each field of `corrections` replaces the same top-level field of `data`. */
export interface RecordCorrectedData extends RecordControlData {
  corrections: Record<string, unknown>;
}

/** `data` of protective-marker-set and protective-marker-lifted, about the event's child. */
export interface ProtectiveMarkerData {
  /** E.g. `concealed-address`, `adoption`. */
  marker: string;
  reason: string;
}

/** `data` of sharing-declined: the decision not to share, recorded with its reason. */
export interface SharingDeclinedData {
  reason: string;
  purpose?: Purpose;
  withheldFrom?: AudienceEntry[];
}

/** Which control event did something, when, and why. */
export interface ControlNote {
  eventId: string;
  time: string;
  reason: string;
}

/** Where one recorded event's sharing stands now. */
export interface SharingState {
  withdrawn?: ControlNote;
  restricted?: ControlNote;
  retracted?: ControlNote;
  /** Replaced data fields, later corrections winning. */
  corrections: Readonly<Record<string, unknown>>;
  corrected: readonly ControlNote[];
  /** Protective markers in force: the event's own and its child's. */
  markers: readonly string[];
  /** When a retention rule ends sharing (e.g. 12 months after a child protection plan ended). */
  sharingEndsAt?: string;
}

interface LedgerEntry {
  childid: string;
  source: string;
  type: string;
  ownMarkers: readonly string[];
  /** The start date of the retained episode (plan, care episode) this event starts or ends. */
  episodeStart?: string;
  sharingEndsAt?: string;
  withdrawn?: ControlNote;
  restricted?: ControlNote;
  retracted?: ControlNote;
  corrections: Readonly<Record<string, unknown>>;
  corrected: readonly ControlNote[];
}

/** Everything the history says about sharing: each event seen, and each child's markers with who set them. */
export interface SharingLedger {
  readonly events: ReadonlyMap<string, LedgerEntry>;
  /** childid -> marker -> the organisations that set it (each can lift only its own). */
  readonly markers: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;
}

export const EMPTY_SHARING_LEDGER: SharingLedger = { events: new Map(), markers: new Map() };

/** `#` is allowed in neither a source nor an id, so the key is unambiguous. */
export function eventKey(source: string, id: string): string {
  return `${source}#${id}`;
}

type Control =
  | { action: Exclude<RecordControlAction, 'record-corrected'>; targetEventId: string; reason: string }
  | {
      action: 'record-corrected';
      targetEventId: string;
      reason: string;
      corrections: Record<string, unknown>;
    }
  | { action: MarkerControlAction; marker: string; reason: string }
  | { action: typeof SHARING_DECLINED_ACTION };

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** Reads a control event; anything malformed, or typed for another agency than its source, is no control. */
function parseControl(event: RecordedEvent): Control | undefined {
  if (!isControlEvent(event.type)) return undefined;
  const dot = event.type.indexOf('.');
  if (event.type.slice(0, dot) !== agencyOfSource(event.source)) return undefined;
  const action = event.type.slice(dot + 1) as RecordControlAction | MarkerControlAction | 'sharing-declined';
  const data = event.data;
  if (action === SHARING_DECLINED_ACTION) return { action };
  if (!isRecord(data) || !nonEmptyString(data['reason'])) return undefined;
  const reason = data['reason'];
  switch (action) {
    case 'protective-marker-set':
    case 'protective-marker-lifted':
      return nonEmptyString(data['marker']) ? { action, marker: data['marker'], reason } : undefined;
    case 'record-corrected': {
      const { targetEventId, corrections } = data;
      if (!nonEmptyString(targetEventId) || !isRecord(corrections)) return undefined;
      return { action, targetEventId, reason, corrections };
    }
    case 'consent-withdrawn':
    case 'record-restricted':
    case 'restriction-lifted':
    case 'record-retracted':
      return nonEmptyString(data['targetEventId'])
        ? { action, targetEventId: data['targetEventId'], reason }
        : undefined;
    default: {
      const _exhaustive: never = action;
      return _exhaustive;
    }
  }
}

interface Draft {
  events: Map<string, LedgerEntry>;
  markers: Map<string, ReadonlyMap<string, ReadonlySet<string>>>;
}

function applyMarker(draft: Draft, childid: string, marker: string, source: string, set: boolean): void {
  // Copy on write: the inner maps may be shared with earlier ledgers.
  const child = new Map(draft.markers.get(childid));
  const setters = new Set(child.get(marker));
  if (set) setters.add(source);
  else setters.delete(source);
  if (setters.size > 0) child.set(marker, setters);
  else child.delete(marker);
  if (child.size > 0) draft.markers.set(childid, child);
  else draft.markers.delete(childid);
}

/** Applies one event to a draft whose maps are its own; entries and inner maps are replaced, never mutated. */
function applyInPlace(draft: Draft, event: RecordedEvent): void {
  const selfKey = eventKey(event.source, event.id);
  // At-least-once delivery: an event seen before changes nothing.
  if (draft.events.has(selfKey)) return;
  const control = parseControl(event);
  if (control) {
    const note = (reason: string): ControlNote => ({ eventId: event.id, time: event.time, reason });
    switch (control.action) {
      case 'protective-marker-set':
      case 'protective-marker-lifted':
        applyMarker(
          draft,
          event.childid,
          control.marker,
          event.source,
          control.action === 'protective-marker-set',
        );
        break;
      case 'sharing-declined':
        break;
      case 'consent-withdrawn':
      case 'record-restricted':
      case 'restriction-lifted':
      case 'record-retracted':
      case 'record-corrected': {
        // Keyed by this event's own source: an agency can reach only its own records.
        const targetKey = eventKey(event.source, control.targetEventId);
        const target = draft.events.get(targetKey);
        if (!target || isControlEvent(target.type)) break;
        draft.events.set(targetKey, applyToRecord(target, control, note(control.reason)));
        break;
      }
      default: {
        const _exhaustive: never = control;
        return _exhaustive;
      }
    }
  }
  const episode = episodeOf(event);
  if (episode?.sharingEndsAt) endEpisode(draft, event, episode.startDate, episode.sharingEndsAt);
  draft.events.set(selfKey, {
    childid: event.childid,
    source: event.source,
    type: event.type,
    ownMarkers: event.sharing.markers ?? [],
    ...(episode ? { episodeStart: episode.startDate } : {}),
    ...(episode?.sharingEndsAt ? { sharingEndsAt: episode.sharingEndsAt } : {}),
    corrections: {},
    corrected: [],
  });
}

/** An episode ended: its start event, from the same organisation about the same child, stops being shared too. */
function endEpisode(draft: Draft, end: RecordedEvent, startDate: string, sharingEndsAt: string): void {
  const start = episodeOf(end)!.rule.start;
  for (const [key, entry] of draft.events) {
    if (
      entry.type === start &&
      entry.source === end.source &&
      entry.childid === end.childid &&
      entry.episodeStart === startDate
    ) {
      draft.events.set(key, { ...entry, sharingEndsAt });
    }
  }
}

function applyToRecord(
  target: LedgerEntry,
  control: Extract<Control, { targetEventId: string }>,
  note: ControlNote,
): LedgerEntry {
  switch (control.action) {
    case 'consent-withdrawn':
      return { ...target, withdrawn: target.withdrawn ?? note };
    case 'record-restricted':
      return { ...target, restricted: note };
    case 'restriction-lifted': {
      const { restricted: _lifted, ...rest } = target;
      return rest;
    }
    case 'record-retracted':
      return { ...target, retracted: target.retracted ?? note };
    case 'record-corrected':
      return {
        ...target,
        corrections: { ...target.corrections, ...control.corrections },
        corrected: [...target.corrected, note],
      };
    default: {
      const _exhaustive: never = control;
      return _exhaustive;
    }
  }
}

function draftOf(ledger: SharingLedger): Draft {
  return { events: new Map(ledger.events), markers: new Map(ledger.markers) };
}

/** The ledger after one more event. Pure: the given ledger is left as it was. */
export function evolveSharingState(ledger: SharingLedger, event: RecordedEvent): SharingLedger {
  const draft = draftOf(ledger);
  applyInPlace(draft, event);
  return draft;
}

/** The ledger after a whole history, in order; copies the maps once rather than once per event. */
export function foldSharingLedger(
  history: Iterable<RecordedEvent>,
  from: SharingLedger = EMPTY_SHARING_LEDGER,
): SharingLedger {
  const draft = draftOf(from);
  for (const event of history) applyInPlace(draft, event);
  return draft;
}

/** One event's sharing state, or undefined when the ledger has never seen it (so nothing can be assumed). */
export function sharingStateIn(ledger: SharingLedger, key: string): SharingState | undefined {
  const entry = ledger.events.get(key);
  if (!entry) return undefined;
  const childMarkers = ledger.markers.get(entry.childid)?.keys() ?? [];
  const {
    childid: _childid,
    source: _source,
    type: _type,
    ownMarkers,
    episodeStart: _episodeStart,
    ...state
  } = entry;
  return { ...state, markers: [...new Set([...ownMarkers, ...childMarkers])].sort() };
}

export function sharingStateOf(history: Iterable<RecordedEvent>, key: string): SharingState | undefined {
  return sharingStateIn(foldSharingLedger(history), key);
}
