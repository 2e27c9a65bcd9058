import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import type { AllStreamResolvedEvent } from '@kurrent/kurrentdb-client';
import { readBatches, recordsAfter } from './kurrentdb-subscription.js';

async function collect<T>(batches: AsyncGenerator<T[]>): Promise<T[][]> {
  const all: T[][] = [];
  for await (const batch of batches) all.push(batch);
  return all;
}

describe('reading a subscription in batches', () => {
  it('hands over what is buffered, at most `max` at a time, in order', async () => {
    const stream = Readable.from([1, 2, 3, 4, 5, 6, 7], { highWaterMark: 16 });
    const batches = await collect(readBatches<number>(stream, 3));
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batches.every((b) => b.length >= 1 && b.length <= 3)).toBe(true);
  });

  it('waits for items that arrive later, and ends when the stream ends', async () => {
    const stream = new PassThrough({ objectMode: true });
    const seen: number[][] = [];
    const reading = (async () => {
      for await (const batch of readBatches<number>(stream, 10)) seen.push(batch);
    })();
    stream.write(1);
    stream.write(2);
    await new Promise((r) => setTimeout(r, 20));
    stream.write(3);
    await new Promise((r) => setTimeout(r, 20));
    stream.end();
    await reading;
    expect(seen).toEqual([[1, 2], [3]]);
  });

  it('reads on only when the consumer asks, so a slow consumer holds the source back', async () => {
    let produced = 0;
    const stream = new Readable({
      objectMode: true,
      highWaterMark: 4,
      read() {
        produced++;
        this.push(produced <= 100 ? produced : null);
      },
    });
    const batches = readBatches<number>(stream, 4);
    const first = await batches.next();
    await new Promise((r) => setTimeout(r, 20));
    const firstBatch = first.value as number[];
    expect(firstBatch.length).toBeLessThanOrEqual(4);
    expect(produced).toBeLessThan(12);
    const rest = await collect(batches);
    expect([...firstBatch, ...rest.flat()]).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('throws what the stream fails with, after what it delivered before', async () => {
    const stream = new PassThrough({ objectMode: true });
    const seen: number[] = [];
    const reading = (async () => {
      for await (const batch of readBatches<number>(stream, 10)) seen.push(...batch);
    })();
    stream.write(1);
    await new Promise((r) => setTimeout(r, 10));
    stream.destroy(new Error('connection reset'));
    await expect(reading).rejects.toThrow('connection reset');
    expect(seen).toEqual([1]);
  });

  it('ends when the stream is destroyed without an error (a subscription being stopped)', async () => {
    const stream = new PassThrough({ objectMode: true });
    const reading = collect(readBatches<number>(stream, 10));
    await new Promise((r) => setTimeout(r, 10));
    stream.destroy();
    await expect(reading).resolves.toEqual([]);
  });
});

describe('events after a checkpoint', () => {
  it('keeps the events of a batch that lie after it, dropping link-only entries', () => {
    const at = (commit: bigint) =>
      ({
        event: {
          streamId: 's',
          id: `e${commit}`,
          revision: 0n,
          type: 't',
          isJson: true,
          data: {},
          metadata: {},
          created: new Date(),
          position: { commit, prepare: commit },
        },
      }) as unknown as AllStreamResolvedEvent;
    const batch = [at(5n), at(10n), { commitPosition: 11n } as AllStreamResolvedEvent, at(12n)];
    expect(recordsAfter(batch, { transactionId: '5', position: '5' }).map((e) => e.id)).toEqual([
      'e10',
      'e12',
    ]);
    expect(recordsAfter(batch, undefined).map((e) => e.id)).toEqual(['e5', 'e10', 'e12']);
  });
});
