import { Injectable } from '@nestjs/common';
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
import { membersOnMany } from '@jigsaw/view-model';
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

/**
 * Reads a child's history from the chronology read model, which holds every shared event whole. All
 * per-child reads of notifications go through here, so that following identity links is one change.
 * Runs with the read models' schema first on the search path.
 */
@Injectable()
export class ChildHistoryReader {
  async read(db: Queryable, childId: string, extra: readonly RecordedEvent[] = []): Promise<ChildHistory> {
    return (await this.readMany(db, [childId], extra)).get(childId)!;
  }

  /** Several children's histories in one query, by child id. */
  async readMany(
    db: Queryable,
    childIds: readonly string[],
    extra: readonly RecordedEvent[] = [],
  ): Promise<Map<string, ChildHistory>> {
    const membersOf = await membersOnMany(db, childIds);
    const all = [...new Set([...membersOf.values()].flat())];
    const { rows } = await db.query<{ child_id: string; event: RecordedEvent }>(
      'SELECT child_id, event FROM chronology WHERE child_id = ANY($1::uuid[])',
      [all],
    );
    const byChild = new Map<string, RecordedEvent[]>();
    // Events of the batch being applied may not be in the chronology yet, whatever the projections' order.
    for (const { child_id, event } of [
      ...rows,
      ...extra.map((event) => ({ child_id: event.childid, event })),
    ]) {
      const list = byChild.get(child_id);
      if (list) list.push(event);
      else byChild.set(child_id, [event]);
    }
    const histories = new Map<string, ChildHistory>();
    for (const [childId, members] of membersOf) {
      histories.set(childId, new ChildHistory(members.flatMap((m) => byChild.get(m) ?? [])));
    }
    return histories;
  }

  /**
   * Serialises notification decisions per child until the transaction ends: a plan and an attendance
   * applied side by side must not each miss the other. Locks in one sorted order, so never deadlocks.
   */
  async lock(tx: Queryable, childIds: readonly string[]): Promise<void> {
    const sorted = [...new Set([...(await membersOnMany(tx, childIds)).values()].flat())].sort();
    if (sorted.length === 0) return;
    // unnest yields the array's order, and the lock is taken row by row as it goes.
    await tx.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('jigsaw.notifications:' || id, 0))
       FROM unnest($1::text[]) AS t(id)`,
      [sorted],
    );
  }
}
