import { withTransaction, type Pool, type PoolClient } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import type { EventStore, GlobalPosition, StoredEvent } from '@jigsaw/event-store';
import { eventKeyOf, type Projection } from './projection.js';

export interface RebuildProgress {
  /** Events read from the store. */
  events: number;
  /** Of those, applied to the read models (not selected out, not applied before). */
  applied: number;
  elapsedMs: number;
  perSecond: number;
}

/**
 * Applies a batch of events in one transaction: the applied marks in one statement, then each projection
 * (set-based where it offers `applyMany`). Events already applied are skipped, as in live consumption.
 */
export async function applyBatch(
  pool: Pool,
  schema: string,
  projections: readonly Projection[],
  events: readonly RecordedEvent[],
): Promise<number> {
  return (await applyFresh(pool, schema, projections, events)).length;
}

/** As applyBatch, returning the events applied now (not those applied before). */
export async function applyFresh(
  pool: Pool,
  schema: string,
  projections: readonly Projection[],
  events: readonly RecordedEvent[],
): Promise<RecordedEvent[]> {
  if (events.length === 0) return [];
  return withTransaction(pool, (tx) => applyFreshEvents(tx, schema, projections, events));
}

/**
 * The same inside a transaction the caller holds, e.g. to catch a rebuilt schema up under a lock on the
 * live one. Leaves `schema` first on the transaction's search path.
 */
export async function applyEvents(
  tx: PoolClient,
  schema: string,
  projections: readonly Projection[],
  events: readonly RecordedEvent[],
): Promise<number> {
  return (await applyFreshEvents(tx, schema, projections, events)).length;
}

async function applyFreshEvents(
  tx: PoolClient,
  schema: string,
  projections: readonly Projection[],
  events: readonly RecordedEvent[],
): Promise<RecordedEvent[]> {
  if (events.length === 0) return [];
  await tx.query(`SET LOCAL search_path TO "${schema}", public`);
  const keys = events.map(eventKeyOf);
  const { rows } = await tx.query<{ event_key: string }>(
    `INSERT INTO applied_events (event_key) SELECT unnest($1::text[])
     ON CONFLICT (event_key) DO NOTHING RETURNING event_key`,
    [keys],
  );
  // Each fresh key once: a batch may carry the same event twice (redelivery), and it must apply once.
  const fresh = new Set(rows.map((r) => r.event_key));
  const toApply = events.filter((e) => fresh.delete(eventKeyOf(e)));
  for (const projection of projections) {
    if (projection.applyMany) await projection.applyMany(tx, toApply);
    else for (const event of toApply) await projection.apply(tx, event);
  }
  return toApply;
}

/**
 * Transactions a replay applies each batch in at once by default: two, one a core of the two-core machine.
 * A 1,000,000-event replay of the chronology on a quiet machine: 18,676 events/s in one lane, 21,594 in two
 * (docs/development.md, "Replay in lanes"); on a busy machine two measured no faster, and no slower.
 */
const LANES = 2;

/** The lane a child's events apply in: the same in every batch, so each child's events keep their order. */
export function laneOf(childId: string, lanes: number): number {
  let hash = 0;
  for (let i = 0; i < childId.length; i++) hash = (Math.imul(hash, 31) + childId.charCodeAt(i)) | 0;
  return (hash >>> 0) % lanes;
}

/**
 * Applies a batch as applyBatch does, split by child into `lanes` transactions on their own connections
 * that run at once, when every projection is per child (else in one). Each lane marks its own events
 * applied with them, so each event still applies exactly once: a lane that fails leaves the others'
 * events applied, and a replay again applies only its own.
 */
export async function applyBatchInLanes(
  pool: Pool,
  schema: string,
  projections: readonly Projection[],
  events: readonly RecordedEvent[],
  lanes: number = LANES,
): Promise<number> {
  if (!Number.isInteger(lanes) || lanes < 1) {
    throw new RangeError(`lanes must be a whole number of at least 1, not ${lanes}`);
  }
  if (lanes === 1 || !projections.every((p) => p.perChild)) {
    return applyBatch(pool, schema, projections, events);
  }
  const split: RecordedEvent[][] = Array.from({ length: lanes }, () => []);
  for (const event of events) split[laneOf(event.childid, lanes)]!.push(event);
  // Every lane settles before the batch counts as done or failed: no transaction is left running.
  const settled = await Promise.allSettled(split.map((part) => applyBatch(pool, schema, projections, part)));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value : 0), 0);
}

const HEAD_WAIT_MS = 10_000;

/**
 * Whether the store's readable horizon has passed every transaction begun before this call (or `withinMs`
 * has gone by: a transaction left open elsewhere must not stop a rebuild for good).
 */
async function headAsOfNow(pool: Pool, withinMs: number): Promise<() => Promise<boolean>> {
  const { rows } = await pool.query<{ head: string }>(
    'SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS head',
  );
  const head = rows[0]!.head;
  const giveUpAt = Date.now() + withinMs;
  return async () =>
    Date.now() > giveUpAt ||
    (
      await pool.query<{ reached: boolean }>(
        'SELECT pg_snapshot_xmin(pg_current_snapshot()) >= $1::xid8 AS reached',
        [head],
      )
    ).rows[0]!.reached;
}

/** Replays the whole store, in its global order, into the read models of `schema`. */
export async function rebuild(
  pool: Pool,
  store: EventStore,
  schema: string,
  projections: readonly Projection[],
  options: {
    batchSize?: number;
    /** Transactions each batch applies in at once, split by child, when every projection is per child (1). */
    lanes?: number;
    onProgress?: (progress: RebuildProgress) => void;
    /**
     * Which of each batch read to apply (all by default); progress counts every event read. Asked as the
     * batch is read, while the batch before it applies.
     */
    select?: (events: readonly RecordedEvent[]) => Promise<readonly RecordedEvent[]>;
    /**
     * Asked when a read comes back empty: whether the replay has reached the head it must reach. The
     * store holds back events behind a transaction still in flight, so an empty read can come early. By
     * default, every event of a transaction begun before the rebuild started, waited for at most
     * `headWaitMs` (10 s): a transaction anywhere on the server holds the store's read horizon back.
     */
    reachedHead?: () => Promise<boolean>;
    headWaitMs?: number;
  } = {},
): Promise<RebuildProgress> {
  const started = Date.now();
  const reachedHead = options.reachedHead ?? (await headAsOfNow(pool, options.headWaitMs ?? HEAD_WAIT_MS));
  let after: GlobalPosition | undefined;
  let events = 0;
  let applied = 0;
  const progress = (): RebuildProgress => {
    const elapsedMs = Date.now() - started;
    return {
      events,
      applied,
      elapsedMs,
      perSecond: elapsedMs > 0 ? Math.round((events * 1000) / elapsedMs) : 0,
    };
  };
  const size = options.batchSize ?? 5000;
  const select = options.select;
  // The next batch is read (and selected from) while this one applies: they overlap the read models' writes.
  const read = async (
    from: GlobalPosition | undefined,
  ): Promise<{ batch: StoredEvent[]; chosen: readonly RecordedEvent[] }> => {
    const batch = await store.readAll({ ...(from ? { after: from } : {}), limit: size });
    const found = batch.map((e) => e.event);
    return { batch, chosen: select && found.length > 0 ? await select(found) : found };
  };
  let reading = read(after);
  // Whether the head had been reached before the read now awaited began: only then does empty mean done.
  let headReached = false;
  for (;;) {
    const { batch, chosen } = await reading;
    if (batch.length === 0) {
      if (headReached) break;
      headReached = await reachedHead();
      if (!headReached) await new Promise((resolve) => setTimeout(resolve, 50));
      reading = read(after);
      continue;
    }
    headReached = false;
    after = batch[batch.length - 1]!.globalPosition;
    reading = read(after);
    // Unhandled while the batch applies; awaited (and its failure thrown) at the top of the loop.
    reading.catch(() => undefined);
    applied += await applyBatchInLanes(pool, schema, projections, chosen, options.lanes);
    events += batch.length;
    options.onProgress?.(progress());
  }
  return progress();
}
