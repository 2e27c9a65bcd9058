import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { KeyedLocks } from './keyed-locks.js';

const ticks = (n: number): Promise<void> =>
  n === 0 ? Promise.resolve() : new Promise((r) => setImmediate(() => void ticks(n - 1).then(r)));

describe('KeyedLocks', () => {
  it('never runs two sets that share a key at once, runs every set, and lets sets that share none overlap', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            keys: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), {
              minLength: 1,
              maxLength: 3,
            }),
            start: fc.nat({ max: 4 }),
            length: fc.nat({ max: 4 }),
            fails: fc.boolean(),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        async (sets) => {
          const locks = new KeyedLocks();
          const running = new Map<number, readonly string[]>();
          const started: number[] = [];
          const finished: number[] = [];
          let overlapped = false;
          await Promise.allSettled(
            sets.map(async ({ keys, start, length, fails }, i) => {
              await ticks(start);
              await locks.hold(keys, async () => {
                for (const [j, other] of running) {
                  // Nothing extra allowed: a set sharing a key with one running never starts.
                  expect(other.some((k) => (keys as readonly string[]).includes(k))).toBe(false);
                  if (j !== i) overlapped = true;
                }
                running.set(i, keys);
                started.push(i);
                await ticks(length);
                running.delete(i);
                finished.push(i);
                if (fails) throw new Error('work failed');
              });
            }),
          );
          // Nothing allowed missing: every set ran, failures let their keys go, and nothing is left waiting.
          expect([...finished].sort((x, y) => x - y)).toEqual(sets.map((_, i) => i));
          expect(locks.waiting).toBe(0);
          // Sets that never share a key are not made to wait for one another.
          if (
            sets.length >= 2 &&
            sets.every(({ keys }, i) => sets.slice(i + 1).every((o) => !o.keys.some((k) => keys.includes(k))))
          ) {
            if (sets.every((s) => s.start === 0) && sets.some((s) => s.length > 0))
              expect(overlapped).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('grants sets sharing a key in the order they asked, even past a later set whose keys are free', async () => {
    const locks = new KeyedLocks();
    const order: string[] = [];
    let release!: () => void;
    const first = locks.hold(['a'], () => new Promise<void>((r) => (release = r)));
    // Asks for a and b: waits for a.
    const second = locks.hold(['a', 'b'], () => Promise.resolve(void order.push('a+b')));
    // Asks for b only, after: b is free, but wanted by a set that asked first, so it waits its turn.
    const third = locks.hold(['b'], () => Promise.resolve(void order.push('b')));
    // Shares nothing with anyone: runs at once.
    await locks.hold(['z'], () => Promise.resolve(void order.push('z')));
    expect(order).toEqual(['z']);
    expect(locks.waiting).toBe(2);
    release();
    await Promise.all([first, second, third]);
    expect(order).toEqual(['z', 'a+b', 'b']);
  });
});
