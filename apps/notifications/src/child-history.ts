import { Inject, Injectable } from '@nestjs/common';
import { isHubSource, type RecordedEvent } from '@jigsaw/envelope';
import { erasePersonalData, isChildErased, type ProtectedEvent } from '@jigsaw/erasure';
import { eventKeyOf } from '@jigsaw/projection';
import { ChildHistory, membersOnMany, type Queryable } from '@jigsaw/view-model';
import { NOTIFICATIONS_SCHEMA } from './notification-store.js';

/**
 * Each child's history, kept by the notifications' own consumer in its own table (`child_history`): every
 * record of the child, opened as the consumer opened it, and given up to the erased marker on
 * hub.child-erased as the chronology's entries are. The rules read any council's records (which councils
 * may be responsible) and the inbox names the recipient's own latest record, so it keeps every record, not
 * only the types that raise a notification. All per-child reads of notifications go through here; linked
 * children are read from its own `child_members`, which its consumer of hub.events keeps.
 */
@Injectable()
export class ChildHistoryReader {
  private readonly table: string;

  constructor(@Inject(NOTIFICATIONS_SCHEMA) private readonly schema: string) {
    this.table = `"${schema}".child_history`;
  }

  /**
   * Keeps a batch's records, and erases what a hub.child-erased in it reaches, in the transaction that
   * decides from them. Each record once: a redelivery changes nothing.
   */
  async remember(tx: Queryable, events: readonly RecordedEvent[]): Promise<void> {
    for (const erased of events.filter(isChildErased)) {
      await this.erase(tx, erased.data.childId, erased.data.erasedAt);
    }
    const records = events.filter((e) => !isHubSource(e.source));
    if (records.length === 0) return;
    await tx.query(
      `INSERT INTO ${this.table} (event_key, child_id, recorded_at, event)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::timestamptz[], $4::jsonb[])
       ON CONFLICT (event_key) DO NOTHING`,
      [
        records.map(eventKeyOf),
        records.map((e) => e.childid),
        records.map((e) => e.recordedtime),
        records.map((e) => JSON.stringify(e)),
      ],
    );
  }

  /**
   * hub.child-erased: the child's personal fields in every record kept until then give way to the erased
   * marker; records of that time arriving later come opened already, as erased, since their keys are gone.
   */
  private async erase(tx: Queryable, childId: string, erasedAt: string): Promise<void> {
    const { rows } = await tx.query<{ event_key: string; event: ProtectedEvent }>(
      `SELECT event_key, event FROM ${this.table} WHERE child_id = $1 AND recorded_at <= $2 FOR UPDATE`,
      [childId, erasedAt],
    );
    if (rows.length === 0) return;
    await tx.query(
      `UPDATE ${this.table} h SET event = u.event
       FROM unnest($1::text[], $2::jsonb[]) AS u(event_key, event) WHERE h.event_key = u.event_key`,
      [rows.map((r) => r.event_key), rows.map((r) => JSON.stringify(erasePersonalData(r.event)))],
    );
  }

  async read(db: Queryable, childId: string, extra: readonly RecordedEvent[] = []): Promise<ChildHistory> {
    return (await this.readMany(db, [childId], extra)).get(childId)!;
  }

  /** Several children's histories in one query, by child id. */
  async readMany(
    db: Queryable,
    childIds: readonly string[],
    extra: readonly RecordedEvent[] = [],
  ): Promise<Map<string, ChildHistory>> {
    const membersOf = await membersOnMany(db, childIds, this.schema);
    const all = [...new Set([...membersOf.values()].flat())];
    const { rows } = await db.query<{ child_id: string; event: RecordedEvent }>(
      `SELECT child_id, event FROM ${this.table} WHERE child_id = ANY($1::uuid[])`,
      [all],
    );
    const byChild = new Map<string, RecordedEvent[]>();
    // Events of the batch being decided, whether kept yet or not.
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
    const sorted = [...new Set([...(await membersOnMany(tx, childIds, this.schema)).values()].flat())].sort();
    if (sorted.length === 0) return;
    // unnest yields the array's order, and the lock is taken row by row as it goes.
    await tx.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('jigsaw.notifications:' || id, 0))
       FROM unnest($1::text[]) AS t(id)`,
      [sorted],
    );
  }
}
