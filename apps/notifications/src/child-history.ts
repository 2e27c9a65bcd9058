import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@jigsaw/envelope';
import { ChildHistory, membersOnMany, type Queryable } from '@jigsaw/view-model';

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
