import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, eventually, type TestDatabase } from '@jigsaw/testing';
import { LeaderLoop } from './leader-loop.js';

describe('the leadership of a publisher of the store (LeaderLoop), on the real database', () => {
  let db: TestDatabase;
  const loops: LeaderLoop[] = [];

  beforeAll(async () => {
    db = await createTestDatabase([]);
  });
  afterEach(async () => {
    await Promise.all(loops.splice(0).map((loop) => loop.stop(2_000)));
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** Whether another session can take the lock now (and gives it back at once). */
  const lockIsFree = async (lockName: string): Promise<boolean> => {
    const other = await db.pool.connect();
    try {
      const { rows } = await other.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [
        lockName,
      ]);
      await other.query('SELECT pg_advisory_unlock_all()');
      return rows[0]!.ok;
    } finally {
      other.release();
    }
  };

  it('lets one of several loops of a name lead at a time, and a standby lead once it stops', async () => {
    const lockName = `leader-${randomUUID()}`;
    const leading = new Set<number>();
    let overlaps = 0;
    const started = [0, 1, 2].map((i) => {
      const loop = new LeaderLoop(
        db.pool,
        { lockName, standbyIntervalMs: 20, errorPauseMs: 20 },
        async () => {
          if (leading.size > 0) overlaps++;
          leading.add(i);
          while (!loop.stopped) await loop.idle(1_000);
          leading.delete(i);
        },
      );
      loops.push(loop);
      loop.start();
      return loop;
    });
    const [first] = await eventually(() => (leading.size > 0 ? [...leading] : undefined), {
      what: 'a leader',
    });
    expect(await lockIsFree(lockName)).toBe(false);
    await started[first!]!.stop();
    const [second] = await eventually(() => (leading.size > 0 ? [...leading] : undefined), {
      what: 'a standby leading',
    });
    expect(second).not.toBe(first);
    expect(overlaps).toBe(0);
  });

  it('lets the lock go before it pauses after its work fails, and reports the failure', async () => {
    const lockName = `failing-${randomUUID()}`;
    const failures: number[] = [];
    const loop = new LeaderLoop(
      db.pool,
      { lockName, standbyIntervalMs: 20, errorPauseMs: 5_000, onError: () => void failures.push(Date.now()) },
      () => Promise.reject(new Error('the work failed')),
    );
    loops.push(loop);
    loop.start();
    await eventually(() => (failures.length > 0 ? true : undefined), { what: 'a failure' });
    // Within its 5 s pause the lock is another's to take.
    expect(await lockIsFree(lockName)).toBe(true);
    expect(failures).toHaveLength(1);
  });

  it('ends a wait when woken, and a wait begun after a wake at once', async () => {
    const loop = new LeaderLoop(
      db.pool,
      { lockName: `idle-${randomUUID()}`, standbyIntervalMs: 20, errorPauseMs: 20 },
      () => Promise.resolve(),
    );
    const waited = async (): Promise<number> => {
      const from = Date.now();
      await loop.idle(10_000);
      return Date.now() - from;
    };
    const waiting = waited();
    loop.wake();
    expect(await waiting).toBeLessThan(1_000);
    loop.wake();
    expect(await waited()).toBeLessThan(1_000);
  });

  it('stops within its timeout even when the work in flight does not end', async () => {
    const lockName = `stuck-${randomUUID()}`;
    let release: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const loop = new LeaderLoop(db.pool, { lockName, standbyIntervalMs: 20, errorPauseMs: 20 }, () => stuck);
    loop.start();
    await eventually(async () => ((await lockIsFree(lockName)) ? undefined : true), { what: 'leading' });
    const from = Date.now();
    await loop.stop(200);
    expect(Date.now() - from).toBeLessThan(1_000);
    expect(loop.stopped).toBe(true);
    // The work ends at last: the lock goes with its session.
    release();
    await eventually(async () => ((await lockIsFree(lockName)) ? true : undefined), {
      what: 'the lock let go',
    });
  });
});
