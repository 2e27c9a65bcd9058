import { RECORD_ACCESSED } from '@jigsaw/contracts';
import { withTransaction, type Pool, type PoolClient } from '@jigsaw/database';
import {
  START,
  type EventStore,
  type GlobalPosition,
  type StoredEvent,
  type Subscription,
} from '@jigsaw/event-store';
import { applyEvents } from '@jigsaw/projection';
import { VIEW_SCHEMA } from '../view-schema.js';
import { isPartnershipRead, partnershipReadsProjection } from './partnership-reads.projection.js';

const NAME = 'partnership-reads';

/**
 * The view keeps its inbox of partnership-wide reads itself, from the access events in the store: a
 * catch-up subscription to `hub.record-accessed` that applies each batch's partnership reads, their
 * applied-events marks and its place in the store in one transaction. The marks make each read apply
 * once, however many replicas follow the store and wherever each restarts from.
 */
export class PartnershipReadsSubscription {
  /** Reads applied by this subscriber (not those another applied first). */
  applied = 0;
  private subscription: Subscription | undefined;
  /** The place after the last batch handled, when it has not been saved yet. */
  private unsaved: GlobalPosition | undefined;
  private savedAt = 0;

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly schema: string = VIEW_SCHEMA,
    /**
     * How long the place may stay unsaved after batches with no partnership-wide read: most reads are not
     * one, and each replica saving at every batch is a transaction per read. A restart re-reads at most this
     * much, and the marks make the re-read change nothing; a stop saves it.
     */
    private readonly saveEveryMs = 5_000,
  ) {}

  async start(onError?: (error: unknown) => void): Promise<void> {
    if (this.subscription) return;
    this.subscription = this.store.subscribe({
      after: await this.position(),
      types: [RECORD_ACCESSED],
      handler: (batch) => this.apply(batch),
      ...(onError ? { onError } : {}),
    });
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
    const unsaved = this.unsaved;
    if (unsaved) {
      await withTransaction(this.pool, (tx) => this.save(tx, unsaved));
      this.saved();
    }
  }

  /** Where the last batch applied left off, or the start of the store. */
  async position(): Promise<GlobalPosition> {
    const { rows } = await this.pool.query<{ transaction_id: string; position: string }>(
      `SELECT transaction_id, position FROM "${this.schema}".store_subscriptions WHERE name = $1`,
      [NAME],
    );
    const row = rows[0];
    return row ? { transactionId: row.transaction_id, position: row.position } : START;
  }

  private async apply(batch: readonly StoredEvent[]): Promise<void> {
    const last = batch[batch.length - 1];
    if (!last) return;
    const reads = batch.flatMap(({ event }) => (isPartnershipRead(event) ? [event] : []));
    if (reads.length === 0 && Date.now() - this.savedAt < this.saveEveryMs) {
      this.unsaved = last.globalPosition;
      return;
    }
    await withTransaction(this.pool, async (tx) => {
      // Marks first: a swap holds them locked, and so holds this back until its tables are in place.
      this.applied += await applyEvents(tx, this.schema, [partnershipReadsProjection], reads);
      await this.save(tx, last.globalPosition);
    });
    this.saved();
  }

  /** Saves the place, in the transaction of what it was reached by. */
  private async save(tx: PoolClient, place: GlobalPosition): Promise<void> {
    // A replica behind another may move the place back: the marks make the re-read change nothing.
    await tx.query(
      `INSERT INTO "${this.schema}".store_subscriptions (name, transaction_id, position) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE
         SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position, updated_at = now()`,
      [NAME, place.transactionId, place.position],
    );
  }

  /** Once the place's transaction has committed. */
  private saved(): void {
    this.unsaved = undefined;
    this.savedAt = Date.now();
  }
}
