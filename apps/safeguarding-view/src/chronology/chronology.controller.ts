import { randomUUID } from 'node:crypto';
import { Controller, Get, Inject, Param } from '@nestjs/common';
import { CurrentViewer } from '@jigsaw/auth';
import type { Pool } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import { PG_POOL } from '@jigsaw/platform';
import type { Viewer } from '@jigsaw/sharing';
import { AccessLog } from '../access/access-log.js';
import { recordAccessed, type ChildLookup } from '../access/record-accessed.event.js';
import { ChildRefResolver } from '../children/child-ref.js';
import { VIEW_SCHEMA } from '../view-schema.js';
import { chronologyFor, type ChronologyEntry } from './chronology-view.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every route here sits behind PractitionerGuard (APP_GUARD), which also checks `?purpose=`. */
@Controller('v1/children')
export class ChronologyController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly children: ChildRefResolver,
    private readonly accessLog: AccessLog,
  ) {}

  /** The child's multi-agency chronology as this viewer may see it for this purpose; the read is logged first. */
  @Get(':ref/chronology')
  async chronology(
    @Param('ref') ref: string,
    @CurrentViewer() viewer: Viewer,
  ): Promise<{ childId: string; purpose: string; entries: ChronologyEntry[] }> {
    const childId = await this.children.resolve(ref);
    const { rows } = await this.pool.query<{ occurred_at: Date; recorded_at: Date; event: RecordedEvent }>(
      `SELECT occurred_at, recorded_at, event FROM "${VIEW_SCHEMA}".chronology
       WHERE child_id = ANY($1::uuid[]) ORDER BY occurred_at, event_key`,
      [await this.children.membersOf(childId)],
    );
    const now = new Date();
    const { entries, shown } = chronologyFor(
      viewer,
      rows.map((row) => ({ occurredAt: row.occurred_at, recordedAt: row.recorded_at, event: row.event })),
      now,
    );
    const lookup: ChildLookup = UUID.test(ref) ? 'hub-child-id' : 'nhs-number';
    await this.accessLog.record(
      recordAccessed(
        { id: `access-${randomUUID()}`, now, viewer, view: 'chronology', childId, lookup },
        shown,
      ),
    );
    return { childId, purpose: viewer.purpose, entries };
  }
}
