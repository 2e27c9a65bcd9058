import type { PoolClient } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import {
  corrected,
  isTyped,
  type EventOf,
  type LooseData,
  type StoredType,
  type TypedEvent,
} from '@jigsaw/contracts';
import { eventKeyOf } from '@jigsaw/projection';
import {
  eventKey,
  foldSharingLedger,
  sharingStateIn,
  type SharingLedger,
  type SharingState,
} from '@jigsaw/sharing';

/** A standing record of one of the types asked for, and its effective data: testing `type` narrows both. */
export type Standing<T extends StoredType> = {
  [K in T]: { type: K; event: EventOf<K>; data: LooseData<K> };
}[T];

/** Everything the hub holds about one child, in the order it recorded it, with where each record's sharing stands. */
export class ChildHistory {
  readonly events: readonly RecordedEvent[];
  readonly ledger: SharingLedger;
  private readonly byKey: ReadonlyMap<string, RecordedEvent>;

  constructor(events: readonly RecordedEvent[]) {
    // Recorded order, as the chronology folds its ledger: a control event applies only to a record already seen.
    const unique = new Map(events.map((e) => [eventKeyOf(e), e]));
    this.events = [...unique.values()].sort(
      (a, b) =>
        Date.parse(a.recordedtime) - Date.parse(b.recordedtime) || eventKeyOf(a).localeCompare(eventKeyOf(b)),
    );
    this.ledger = foldSharingLedger(this.events);
    this.byKey = unique;
  }

  /** By `eventKeyOf` (`<source>|<id>`), the key read models store. */
  find(key: string): RecordedEvent | undefined {
    return this.byKey.get(key);
  }

  stateOf(event: RecordedEvent): SharingState | undefined {
    return sharingStateIn(this.ledger, eventKey(event.source, event.id));
  }

  /**
   * Whether the record still stands: not retracted as entered in error, consent not withdrawn, not
   * restricted. Notifications never act on a record that does not.
   */
  stands(event: RecordedEvent): boolean {
    const state = this.stateOf(event);
    return state !== undefined && !state.retracted && !state.withdrawn && !state.restricted;
  }

  /**
   * The record's data with its corrections applied, or undefined when it no longer stands. Loose: a
   * correction may have replaced any field with anything.
   */
  standingData<E extends TypedEvent>(event: E): LooseData<E['type']> | undefined {
    const state = this.stateOf(event);
    if (!state || state.retracted || state.withdrawn || state.restricted) return undefined;
    return corrected(event, state.corrections);
  }

  /** Standing records of these types, with their effective data, in recorded order. */
  standing<T extends StoredType>(...types: readonly T[]): Standing<T>[] {
    return this.events.flatMap((event) => {
      if (!isTyped(event, ...types)) return [];
      const data = this.standingData(event);
      return data ? [{ type: event.type, event, data }] : [];
    });
  }

  /** The latest record an organisation itself made about the child: how it knows the child. */
  latestBy(organisation: string): RecordedEvent | undefined {
    return this.events.findLast((e) => e.source === organisation);
  }
}

/** Anything that runs SQL: a pool or a client inside a transaction. */
export interface Queryable {
  query: PoolClient['query'];
}
