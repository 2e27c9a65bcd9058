import { Inject, Injectable } from '@nestjs/common';
import { ROOT_CONTEXT, type Link } from '@opentelemetry/api';
import type { RecordedEvent } from '@jigsaw/envelope';
import { EVENT_STORE, type ConfiguredEventStore } from '@jigsaw/platform';
import { inSpan } from '@jigsaw/telemetry';
import { accessStreamOf } from './record-accessed.event.js';

interface Pending {
  event: RecordedEvent;
  resolve: () => void;
  reject: (error: unknown) => void;
  /** The read's `access record` span, which the group commit links to. */
  link: Link;
}

const MOST_PER_COMMIT = 500;
/**
 * How long the first read of a group waits for others to join its commit, when none is in flight. A commit
 * of one record costs PostgreSQL about twice the CPU of each record added to it (the statement and the
 * commit itself are the rest), so under load a short wait pays; reads that arrive while a commit is in
 * flight wait for it anyway.
 */
const GROUP_WAIT_MS = 2;

/**
 * Appends each read's access event to the event store before the answer leaves: if it cannot be
 * recorded, the read fails, so nothing is ever shown that the log does not account for.
 *
 * Reads share commits (group commit): the first read waits at most `GROUP_WAIT_MS` for others, and reads
 * that arrive while a commit is in flight go into the next one together, so under load the log costs one
 * durable commit, of one statement, per batch of reads rather than one per read.
 */
@Injectable()
export class AccessLog {
  private readonly pending: Pending[] = [];
  private flushing = false;

  constructor(@Inject(EVENT_STORE) private readonly store: ConfiguredEventStore) {}

  record(event: RecordedEvent): Promise<void> {
    // In the read's trace until its record is durable; the shared commit is a trace of its own, linked.
    return inSpan('access record', { attributes: { 'jigsaw.event.type': event.type } }, (span) => {
      return new Promise<void>((resolve, reject) => {
        this.pending.push({ event, resolve, reject, link: { context: span.spanContext() } });
        if (this.flushing) return;
        this.flushing = true;
        setTimeout(() => void this.flush(), GROUP_WAIT_MS);
      });
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MOST_PER_COMMIT);
      try {
        // Reads of one child never conflict with each other, so no expected version.
        await inSpan('access log commit', { parent: ROOT_CONTEXT, links: batch.map((p) => p.link) }, () =>
          this.store.appendToStreams(
            batch.map(({ event }) => ({ streamId: accessStreamOf(event.childid), events: [event] })),
          ),
        );
        for (const { resolve } of batch) resolve();
      } catch (error) {
        for (const { reject } of batch) reject(error);
      }
    }
    this.flushing = false;
  }
}
