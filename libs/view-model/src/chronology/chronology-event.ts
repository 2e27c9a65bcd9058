import { dataschemaFor, type RecordedEvent } from '@jigsaw/envelope';
import type { ProtectedEvent } from '@jigsaw/erasure';

/**
 * A chronology row's stored event: the envelope without what the row's columns or a constant give back
 * exactly (its source, type and id, the hub child id, when it was recorded, the CloudEvents version, a
 * first-version dataschema). Whatever would not come back the same stays, so every stored event, compact
 * or written whole before, reads as the event it was. An absent `specversion` or `dataschema` would come
 * back present: the envelope's schema requires both, so no event the hub accepted lacks them.
 */
export type CompactEvent = Record<string, unknown>;

/** The columns a stored event is read with. */
export interface ChronologyColumns {
  event_key: string;
  source: string;
  type: string;
  child_id: string;
  recorded_at: Date;
}

/** A row as read with EVENT_COLUMNS. */
export interface StoredChronologyRow extends ChronologyColumns {
  event: CompactEvent;
}

/** The columns to select for fullEvent. */
export const EVENT_COLUMNS = 'event_key, source, type, child_id, recorded_at, event';

const SPECVERSION = '1.0';
/** How PostgreSQL writes a uuid back: what `childid` must be to come back the same from `child_id`. */
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An instant as JavaScript writes it, to the millisecond: what a Date read from `recorded_at` gives back. */
function isCanonicalInstant(value: unknown): boolean {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return false;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && new Date(ms).toISOString() === value;
}

/**
 * What the chronology stores of an event it was given whole. The columns are written from the same event
 * (`event_key` is `source|id`); the migration that compacted rows written before keeps the same rule.
 * Built afresh rather than copied and deleted from: the replay stringifies one for every event.
 */
export function compactEvent(event: ProtectedEvent): CompactEvent {
  const whole = event as unknown as Record<string, unknown>;
  const keyed = typeof whole['source'] === 'string' && typeof whole['id'] === 'string';
  const type = whole['type'];
  const derived = (key: string, value: unknown): boolean => {
    switch (key) {
      case 'specversion':
        return value === SPECVERSION;
      case 'source':
      case 'id':
        return keyed;
      case 'type':
        return typeof type === 'string';
      case 'dataschema':
        return typeof type === 'string' && value === dataschemaFor(type, 1);
      case 'childid':
        return typeof value === 'string' && CANONICAL_UUID.test(value);
      case 'recordedtime':
        return isCanonicalInstant(value);
      default:
        return false;
    }
  };
  const compact: CompactEvent = {};
  for (const key of Object.keys(whole)) if (!derived(key, whole[key])) compact[key] = whole[key];
  return compact;
}

/** The event a chronology row holds, whole, as it was given: the one way every reader reads `event`. */
export function fullEvent<T extends ProtectedEvent = RecordedEvent>(row: StoredChronologyRow): T {
  const { event } = row;
  const full: Record<string, unknown> = {
    specversion: SPECVERSION,
    id: row.event_key.slice(row.source.length + 1),
    source: row.source,
    type: row.type,
    ...('time' in event ? { time: event['time'] } : {}),
    dataschema: dataschemaFor(row.type, 1),
    ...event,
  };
  if (!('childid' in event)) full['childid'] = row.child_id;
  if (!('recordedtime' in event)) full['recordedtime'] = row.recorded_at.toISOString();
  return full as T;
}
