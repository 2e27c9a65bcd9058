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
    await tx.query(
      `INSERT INTO chronology (event_key, child_id, agency, source, type, occurred_at, recorded_at, event)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_key) DO NOTHING`,
      [
        eventKeyOf(event),
        event.childid,
        agencyOfSource(event.source) ?? 'unknown',
        event.source,
        event.type,
        occurredAtOf(event),
        event.recordedtime,
        JSON.stringify(event),
      ],
    );
  },
};
