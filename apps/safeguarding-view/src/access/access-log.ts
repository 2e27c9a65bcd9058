import { Inject, Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@jigsaw/envelope';
import { EVENT_STORE, type ConfiguredEventStore } from '@jigsaw/platform';
import { accessStreamOf } from './record-accessed.event.js';

interface Pending {
  event: RecordedEvent;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const MOST_PER_COMMIT = 500;

/**
 * Appends each read's access event to the event store before the answer leaves: if it cannot be
 * recorded, the read fails, so nothing is ever shown that the log does not account for.
 *
 * Reads that arrive while a commit is in flight wait for the next one and share it (group commit), so
 * under load the log costs one durable commit per batch of reads rather than one per read.
 */
@Injectable()
export class AccessLog {
  private readonly pending: Pending[] = [];
  private flushing = false;

  constructor(@Inject(EVENT_STORE) private readonly store: ConfiguredEventStore) {}

  record(event: RecordedEvent): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ event, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MOST_PER_COMMIT);
      try {
        // Reads of one child never conflict with each other, so no expected version.
        await this.store.appendToStreams(
          batch.map(({ event }) => ({ streamId: accessStreamOf(event.childid), events: [event] })),
        );
        for (const { resolve } of batch) resolve();
      } catch (error) {
        for (const { reject } of batch) reject(error);
      }
    }
    this.flushing = false;
  }
}
