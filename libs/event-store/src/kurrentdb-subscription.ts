import {
  START,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';
import type { GlobalPosition } from './event-store.js';
import { isAfter, isStart, OUR_STREAMS_REGEX, toPosition, type KurrentRecord } from './kurrentdb-mapping.js';

/** The part of the client a catch-up subscription needs. */
export type AllSubscriber = Pick<KurrentDBClient, 'subscribeToAll'>;

/** Which streams of $all to follow: ours (the default), or those starting with one of `prefixes`. */
export interface StreamSelection {
  prefixes?: readonly string[];
}

/** A catch-up subscription to $all after `after`, filtered on the server to our streams. */
export function subscribeAfter(
  client: AllSubscriber,
  after: GlobalPosition | undefined,
  selection: StreamSelection,
  batchSize: number,
): AllStreamSubscription {
  const filter = selection.prefixes
    ? streamNameFilter({ prefixes: [...selection.prefixes] })
    : streamNameFilter({ regex: OUR_STREAMS_REGEX });
  return client.subscribeToAll(
    { fromPosition: isStart(after) ? START : toPosition(after!), filter },
    { highWaterMark: batchSize },
  );
}

/** The events of a batch the subscription delivered, in order, that lie after `after`. */
export function recordsAfter(
  batch: readonly AllStreamResolvedEvent[],
  after: GlobalPosition | undefined,
): KurrentRecord[] {
  return batch.flatMap((resolved) => {
    const event = resolved.event;
    return event && isAfter(event, after) ? [event] : [];
  });
}

/** What `readBatches` needs of a stream: a Node.js Readable in object mode, or the client's subscription. */
export interface BatchSource {
  read(): unknown;
  readonly readableEnded: boolean;
  readonly destroyed: boolean;
  on(event: 'readable' | 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'readable' | 'end' | 'close', listener: () => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Reads an object stream in batches of what is already buffered (at most `max`), reading on only when
 * the consumer asks for the next batch, so a slow consumer holds the stream back rather than filling
 * memory. Ends when the stream ends or closes; throws what the stream emits as an error.
 */
export async function* readBatches<T>(stream: BatchSource, max: number): AsyncGenerator<T[]> {
  let failure: { error: unknown } | undefined;
  let finished = false;
  let wake: (() => void) | undefined;
  const onError = (error: Error): void => {
    failure ??= { error };
    wake?.();
  };
  const onDone = (): void => {
    finished = true;
    wake?.();
  };
  const onReadable = (): void => wake?.();
  stream.on('error', onError);
  stream.on('end', onDone);
  stream.on('close', onDone);
  stream.on('readable', onReadable);
  try {
    for (;;) {
      const batch: T[] = [];
      while (batch.length < max) {
        const item = stream.read() as T | null;
        if (item === null) break;
        batch.push(item);
      }
      if (batch.length > 0) {
        yield batch;
        continue;
      }
      if (failure) throw failure.error;
      if (finished || stream.readableEnded || stream.destroyed) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    stream.off('error', onError);
    stream.off('end', onDone);
    stream.off('close', onDone);
    stream.off('readable', onReadable);
  }
}

/** Ends a subscription and its stream, so that whoever reads it sees the end. */
export async function closeSubscription(subscription: AllStreamSubscription): Promise<void> {
  await subscription.unsubscribe().catch(() => undefined);
  subscription.destroy();
}
