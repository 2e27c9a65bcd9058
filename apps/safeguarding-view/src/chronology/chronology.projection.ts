import type { PoolClient } from '@jigsaw/database';
import { agencyOfSource, type RecordedEvent } from '@jigsaw/envelope';
import { eventKeyOf, type Projection } from '@jigsaw/projection';

/** When the recorded thing happened: the data's own time where it has one, else the envelope's. */
export function occurredAtOf(event: RecordedEvent): string {
  const data = event.data as { occurredAt?: unknown };
  return typeof data.occurredAt === 'string' ? data.occurredAt : event.time;
}

export const chronologyProjection: Projection = {
  name: 'chronology',
  async apply(tx: PoolClient, event: RecordedEvent): Promise<void> {
    await this.applyMany!(tx, [event]);
  },
  async applyMany(tx: PoolClient, events: readonly RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    await tx.query(
      `INSERT INTO chronology (event_key, child_id, agency, source, type, occurred_at, recorded_at, event)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
                            $7::timestamptz[], $8::jsonb[])
       ON CONFLICT (event_key) DO NOTHING`,
      [
        events.map(eventKeyOf),
        events.map((e) => e.childid),
        events.map((e) => agencyOfSource(e.source) ?? 'unknown'),
        events.map((e) => e.source),
        events.map((e) => e.type),
        events.map(occurredAtOf),
        events.map((e) => e.recordedtime),
        events.map((e) => JSON.stringify(e)),
      ],
    );
  },
};
