import { Body, Controller, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { ServiceConfig } from '@jigsaw/config';
import type { FieldProblem } from '@jigsaw/errors';
import { PROBLEM_SCHEMA, validationFailed } from '@jigsaw/http';
import { AgencyCaller, ApiSourceQuery, BATCH_REPORT_SCHEMA, type AgencyCallerIdentity } from '@jigsaw/ingest';
import { ApiBody, ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { SERVICE_CONFIG } from '@jigsaw/platform';
import { readCinRecord } from './cin-census.record.js';
import { RecordCinRecord, type CinEventOutcome } from './record-cin-record.command.js';

export type CinRecordReport =
  | { row: number; status: 'accepted' | 'duplicate'; events: CinEventOutcome[] }
  | { row: number; status: 'rejected'; code: string; errors: FieldProblem[] };

export interface CinCensusReport {
  /** Records, each wholly recorded or not at all. */
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Events newly recorded across the batch. */
  eventsRecorded: number;
  rows: CinRecordReport[];
}

const EVENT_OUTCOME_SCHEMA = {
  type: 'object',
  required: ['type', 'id', 'status'],
  properties: {
    type: { type: 'string' },
    id: { type: 'string' },
    status: { type: 'string', enum: ['accepted', 'duplicate'] },
  },
};
const { properties: batch } = BATCH_REPORT_SCHEMA;
/** The tabular adapters' report, each record with the events it became. */
const REPORT_SCHEMA = {
  ...BATCH_REPORT_SCHEMA,
  required: [...BATCH_REPORT_SCHEMA.required, 'eventsRecorded'],
  properties: {
    ...batch,
    eventsRecorded: { type: 'integer' },
    rows: {
      ...batch.rows,
      items: {
        ...batch.rows.items,
        properties: {
          ...batch.rows.items.properties,
          events: { type: 'array', items: EVENT_OUTCOME_SCHEMA },
        },
      },
    },
  },
};

@Controller('v1/adapters/cin-census')
export class CinCensusController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /**
   * A JSON array of Children in Need census records. 200 with a report per record (row = array index + 1)
   * once the batch was read; a bad record never blocks the others, and re-sending the batch is safe.
   */
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a Children in Need census return, each record as the events it shows' })
  @ApiSourceQuery()
  @ApiBody({
    description: 'A JSON array of CIN census records (the Department for Education’s CIN census fields).',
    schema: { type: 'array', items: { type: 'object' } },
  })
  @ApiOkResponse({
    description: 'The return was read: a report per record, accepted, duplicate or rejected with each field.',
    content: { 'application/json': { schema: REPORT_SCHEMA } },
  })
  @ApiResponse({
    status: 400,
    description: 'Not a JSON array, or no source: nothing is recorded.',
    content: { 'application/problem+json': { schema: PROBLEM_SCHEMA } },
  })
  async receive(
    @Body() body: unknown,
    @Query('source') sourceParam: string | undefined,
    @AgencyCaller() caller: AgencyCallerIdentity | undefined,
  ): Promise<CinCensusReport> {
    // An authenticated system publishes as itself; the query parameter serves only unauthenticated setups.
    const source = caller?.organisation ?? sourceParam;
    if (!Array.isArray(body))
      throw validationFailed([{ field: '(body)', reason: 'must be a JSON array of CIN census records' }]);
    if (!source)
      throw validationFailed([
        { field: 'source', reason: 'is required: the council organisation sending the return' },
      ]);
    const now = new Date();
    const rows: CinRecordReport[] = [];
    for (const [index, item] of body.entries()) {
      const row = index + 1;
      const reading = readCinRecord(item, { source, secret: this.config.IDENTIFIER_HMAC_SECRET });
      if ('problems' in reading) {
        rows.push({ row, status: 'rejected', code: 'VALIDATION_FAILED', errors: reading.problems });
        continue;
      }
      rows.push({ row, ...(await this.commands.execute(new RecordCinRecord(reading.events, now, caller))) });
    }
    return {
      accepted: rows.filter((r) => r.status === 'accepted').length,
      duplicates: rows.filter((r) => r.status === 'duplicate').length,
      rejected: rows.filter((r) => r.status === 'rejected').length,
      eventsRecorded: rows.reduce(
        (n, r) => n + (r.status === 'rejected' ? 0 : r.events.filter((e) => e.status === 'accepted').length),
        0,
      ),
      rows,
    };
  }
}
