import { Controller, Get, Inject, Param } from '@nestjs/common';
import type { Pool } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import { PG_POOL } from '@jigsaw/platform';
import { ChildRefResolver } from '../children/child-ref.js';
import { VIEW_SCHEMA } from '../view-schema.js';

export interface ChronologyEntry {
  id: string;
  agency: string;
  source: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
  summary: string;
}

@Controller('v1/children')
export class ChronologyController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly children: ChildRefResolver,
  ) {}

  @Get(':ref/chronology')
  async chronology(@Param('ref') ref: string): Promise<{ childId: string; entries: ChronologyEntry[] }> {
    const childId = await this.children.resolve(ref);
    const { rows } = await this.pool.query<{
      agency: string;
      occurred_at: Date;
      recorded_at: Date;
      event: RecordedEvent;
    }>(
      `SELECT agency, occurred_at, recorded_at, event FROM "${VIEW_SCHEMA}".chronology
       WHERE child_id = $1 ORDER BY occurred_at, event_key`,
      [childId],
    );
    return {
      childId,
      entries: rows.map((row) => ({
        id: row.event.id,
        agency: row.agency,
        source: row.event.source,
        type: row.event.type,
        occurredAt: row.occurred_at.toISOString(),
        recordedAt: row.recorded_at.toISOString(),
        summary: summaryOf(row.event),
      })),
    };
  }
}

function summaryOf(event: RecordedEvent): string {
  const summary = (event.data as { summary?: unknown }).summary;
  return typeof summary === 'string' ? summary : event.type;
}
