import { AGENCIES } from '@jigsaw/envelope';
import type { EventStore, StoredEvent } from '@jigsaw/event-store';
import { accessStreamOf, accessClaimsStreamOf, reviewsStreamOf } from '@jigsaw/view-model';

/** The store's global order: by writing transaction, then position. */
export function byGlobalOrder(a: StoredEvent, b: StoredEvent): number {
  const tx = BigInt(a.globalPosition.transactionId) - BigInt(b.globalPosition.transactionId);
  if (tx !== 0n) return tx < 0n ? -1 : 1;
  const at = BigInt(a.globalPosition.position) - BigInt(b.globalPosition.position);
  return at === 0n ? 0 : at < 0n ? -1 : 1;
}

/** Streams are `<agency>-<hubChildId>`; the hub's identity events are on `identity-<hubChildId>`. */
export function recordStreamsOf(members: readonly string[]): string[] {
  return members.flatMap((member) => [
    ...AGENCIES.map((agency) => `${agency}-${member}`),
    `identity-${member}`,
  ]);
}

/** A child's history as the store holds it, read through the store's own interface. */
export class ChildHistory {
  constructor(private readonly store: EventStore) {}

  /** Everything recorded about the child (the agencies' records and identity events), in global order. */
  records(members: readonly string[]): Promise<StoredEvent[]> {
    return this.read(recordStreamsOf(members));
  }

  /** Every recorded read of the child's records, in global order. */
  accesses(members: readonly string[]): Promise<StoredEvent[]> {
    return this.read(members.map(accessStreamOf));
  }

  /** Every self-claimed access to the child (`hub.access-claimed`), in global order. */
  claims(members: readonly string[]): Promise<StoredEvent[]> {
    return this.read(members.map(accessClaimsStreamOf));
  }

  /** Every review opened or closed for the child (`hub.review-opened`, `hub.review-closed`). */
  reviews(members: readonly string[]): Promise<StoredEvent[]> {
    return this.read(members.map(reviewsStreamOf));
  }

  private async read(streams: readonly string[]): Promise<StoredEvent[]> {
    const read = await Promise.all(streams.map((stream) => this.store.readStream(stream)));
    return read.flat().sort(byGlobalOrder);
  }
}
