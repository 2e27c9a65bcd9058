import type { PoolClient } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';

/**
 * A read model's update for one event. It runs inside the runner's transaction, with the read model's
 * schema first on the search path: write unqualified table names, so a rebuild can target another schema.
 */
export interface Projection {
  name: string;
  apply(tx: PoolClient, event: RecordedEvent): Promise<void>;
  /** The same for many events at once, set-based, for replay; must equal `apply` on each in turn. */
  applyMany?(tx: PoolClient, events: readonly RecordedEvent[]): Promise<void>;
  /**
   * Its rows for a child depend on that child's events alone (`childid`), in their order: events of
   * different children commute, so a replay may apply them in concurrent transactions, split by child.
   */
  perChild?: boolean;
}

export function eventKeyOf(event: Pick<RecordedEvent, 'source' | 'id'>): string {
  return `${event.source}|${event.id}`;
}
