import { Body, Controller, Headers, HttpCode, Inject, Post, Query } from '@nestjs/common';
import type { ServiceConfig } from '@jigsaw/config';
import {
  AgencyCaller,
  ApiTabularAdapter,
  BatchIngest,
  recordTabular,
  type AgencyCallerIdentity,
  type BatchReport,
  type TabularAdapter,
} from '@jigsaw/ingest';
import { SERVICE_CONFIG } from '@jigsaw/platform';
import {
  CONCERN_EXPORT_FIELDS,
  CONCERN_EXPORT_SENDER_FIELDS,
  concernExportRow,
} from './concern-export.adapter.js';

const adapter: TabularAdapter = {
  agency: 'education',
  fields: CONCERN_EXPORT_FIELDS,
  senderFields: CONCERN_EXPORT_SENDER_FIELDS,
  toRow: concernExportRow,
};

@Controller('v1/adapters/concern-export')
export class ConcernExportController {
  constructor(
    private readonly batch: BatchIngest,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /** A school's concern export as text/csv or a JSON array; 200 with a report per row once it is read. */
  @Post()
  @HttpCode(200)
  @ApiTabularAdapter(
    'Record a school’s safeguarding concern export, one event per row',
    CONCERN_EXPORT_FIELDS,
  )
  receive(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Query('source') querySource: string | undefined,
    @AgencyCaller() caller: AgencyCallerIdentity | undefined,
  ): Promise<BatchReport> {
    return recordTabular(this.batch, adapter, {
      body,
      contentType,
      querySource,
      caller,
      idSecret: this.config.IDENTIFIER_HMAC_SECRET,
    });
  }
}
