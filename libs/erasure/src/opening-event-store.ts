import type { RecordedEvent } from '@jigsaw/envelope';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  GlobalPosition,
  StoredEvent,
  SubscribeOptions,
  Subscription,
} from '@jigsaw/event-store';
import type { PersonalDataVault } from './personal-data-vault.js';

/**
 * An event store whose reads come back opened (personal data restored, or marked erased): hand it to a
 * rebuild, an as-at view or an export, and each sees exactly what the keys allow now. Appends pass through.
 */
export class OpeningEventStore implements EventStore {
  constructor(
    private readonly store: EventStore,
    private readonly vault: PersonalDataVault,
  ) {}

  private async open(events: StoredEvent[]): Promise<StoredEvent[]> {
    const opened = await this.vault.openAll(events.map((e) => e.event));
    return events.map((stored, i) => ({ ...stored, event: opened[i]! }));
  }

  append(streamId: string, events: readonly RecordedEvent[], options: AppendOptions): Promise<AppendResult> {
    return this.store.append(streamId, events, options);
  }

  async readStream(streamId: string): Promise<StoredEvent[]> {
    return this.open(await this.store.readStream(streamId));
  }

  async readAll(options?: { after?: GlobalPosition; limit?: number }): Promise<StoredEvent[]> {
    return this.open(await this.store.readAll(options));
  }

  async findEvent(source: string, id: string): Promise<StoredEvent | undefined> {
    const found = await this.store.findEvent(source, id);
    return found ? (await this.open([found]))[0] : undefined;
  }

  subscribe(options: SubscribeOptions): Subscription {
    return this.store.subscribe({
      ...options,
      handler: async (batch) => options.handler(await this.open(batch)),
    });
  }
}
