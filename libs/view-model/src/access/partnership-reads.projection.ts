import type { Pool, PoolClient } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import type { Projection } from '@jigsaw/projection';
import { isTyped, RECORD_ACCESSED, type EventOf } from '@jigsaw/contracts';
import { VIEW_SCHEMA } from '../view-schema.js';
import type { RecordAccessedData } from './record-accessed.event.js';

type RecordAccessed = EventOf<typeof RECORD_ACCESSED>;

/**
 * A partnership-wide audit read: a `hub.record-accessed` the audit service reported to the organisations
 * holding a relationship with the child (a `partnership-dpo`'s access log, export or as-known-at). A
 * refused read showed nothing and is reported to nobody.
 */
export function isPartnershipRead(
  event: RecordedEvent,
): event is RecordAccessed & { data: { reportedTo: string[] } } {
  if (!isTyped(event, RECORD_ACCESSED)) return false;
  const { reportedTo, refused } = event.data;
  return refused === undefined && Array.isArray(reportedTo) && reportedTo.length > 0;
}

/**
 * The data protection officers' inbox of partnership-wide reads: one row per organisation each read was
 * reported to. A read model like any other: replay and rebuild make it again from the access streams.
 */
export const partnershipReadsProjection: Projection = {
  name: 'partnership-reads',
  async apply(tx: PoolClient, event: RecordedEvent): Promise<void> {
    if (!isPartnershipRead(event)) return;
    const { data } = event;
    for (const organisation of new Set(data.reportedTo)) {
      await tx.query(
        `INSERT INTO partnership_reads (read_id, reported_to, child_id, reader, view, read_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [event.id, organisation, data.childId, JSON.stringify(data.viewer), data.view, data.accessedAt],
      );
    }
  },
};

/** One partnership-wide read as the data protection officer of an organisation it was reported to sees it. */
export interface PartnershipReadView {
  readId: string;
  childId: string;
  reader: RecordAccessedData['viewer'];
  view: string;
  readAt: string;
}

/** The partnership-wide reads reported to `organisation`, newest first. */
export async function partnershipReadsReportedTo(
  pool: Pool,
  organisation: string,
  limit = 500,
): Promise<PartnershipReadView[]> {
  const { rows } = await pool.query<{
    read_id: string;
    child_id: string;
    reader: RecordAccessedData['viewer'];
    view: string;
    read_at: Date;
  }>(
    `SELECT read_id, child_id, reader, view, read_at FROM "${VIEW_SCHEMA}".partnership_reads
     WHERE reported_to = $1 ORDER BY read_at DESC, read_id LIMIT $2`,
    [organisation, limit],
  );
  return rows.map((r) => ({
    readId: r.read_id,
    childId: r.child_id,
    reader: r.reader,
    view: r.view,
    readAt: r.read_at.toISOString(),
  }));
}
