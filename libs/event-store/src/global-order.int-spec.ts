import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { aRecordedEvent, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import type { GlobalPosition } from './event-store.js';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from './postgres-event-store.js';

describe('PostgreSQL global order across transaction ids of different lengths', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase([EVENT_STORE_MIGRATIONS]);
  });
  afterAll(async () => db.drop());

  it('reads 999 before 1000 and pages through without repeating or skipping an event', async () => {
    // Every server's transaction ids pass 999, 9999, 99999...; rows written as if by such transactions
    // (all older than any in flight, so readable) stand in for a server that has just crossed one.
    const xids = ['997', '998', '999', '1000', '1001', '9999', '10000', '10001'];
    // They must be older than the snapshot's horizon: a freshly made server has not assigned that many yet.
    await burnTransactionIdsPast(db, 10_100n);
    const events = xids.map(() => aRecordedEvent());
    for (const [i, xid] of xids.entries()) {
      await db.pool.query(
        `INSERT INTO event_store.events (transaction_id, stream_id, stream_position, source, id, type, payload, content_hash)
         VALUES ($1::xid8, $2, 1, $3, $4, $5, $6, 'h')`,
        [xid, `s-${i}`, events[i]!.source, events[i]!.id, events[i]!.type, JSON.stringify(events[i])],
      );
    }
    const store = new PostgresEventStore(db.pool);
    const read: string[] = [];
    let after: GlobalPosition | undefined;
    for (let page = 0; page < 20; page++) {
      const batch = await store.readAll({ ...(after ? { after } : {}), limit: 3 });
      if (batch.length === 0) break;
      read.push(...batch.map((e) => e.globalPosition.transactionId));
      after = batch[batch.length - 1]!.globalPosition;
    }
    expect(read).toEqual(xids);
  });
});

async function burnTransactionIdsPast(db: TestDatabase, target: bigint): Promise<void> {
  const current = async (): Promise<bigint> =>
    BigInt((await db.pool.query<{ x: string }>('SELECT pg_current_xact_id()::text AS x')).rows[0]!.x);
  for (let xid = await current(); xid < target; xid = await current()) {
    // Each autocommitted statement that asks for its id is a transaction of its own.
    await Promise.all(Array.from({ length: 50 }, () => db.pool.query('SELECT pg_current_xact_id()')));
  }
}
