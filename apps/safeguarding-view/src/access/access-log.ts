import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@jigsaw/envelope';
import { PostgresEventStore } from '@jigsaw/event-store';
import { accessStreamOf } from './record-accessed.event.js';

/**
 * Appends each read's access event to the event store before the answer leaves: if it cannot be
 * recorded, the read fails, so nothing is ever shown that the log does not account for.
 */
@Injectable()
export class AccessLog {
  constructor(private readonly store: PostgresEventStore) {}

  async record(event: RecordedEvent): Promise<void> {
    // Reads of one child never conflict with each other, so no expected version.
    await this.store.append(accessStreamOf(event.childid), [event], { expectedVersion: 'any' });
  }
}
