import { Body, Controller, Headers, HttpCode, Inject, Post, Query } from '@nestjs/common';
import type { ServiceConfig } from '@jigsaw/config';
import {
  adapterSource,
  AgencyCaller,
  BatchIngest,
  inSenderTerms,
  readAdapterInput,
  type AgencyCallerIdentity,
  type BatchReport,
} from '@jigsaw/ingest';
import { SERVICE_CONFIG } from '@jigsaw/platform';
import {
  CONCERN_EXPORT_FIELDS,
  CONCERN_EXPORT_SENDER_FIELDS,
  concernExportRow,
} from './concern-export.adapter.js';

@Controller('v1/adapters/concern-export')
export class ConcernExportController {
  constructor(
    private readonly batch: BatchIngest,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /** A school's concern export as text/csv or a JSON array; 200 with a report per row once it is read. */
  @Post()
  @HttpCode(200)
  async receive(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Query('source') querySource: string | undefined,
    @AgencyCaller() caller: AgencyCallerIdentity | undefined,
  ): Promise<BatchReport> {
    const now = new Date();
    const source = adapterSource(caller, querySource, 'education');
    const input = readAdapterInput(body, contentType, CONCERN_EXPORT_FIELDS);
    const context = { source, idSecret: this.config.IDENTIFIER_HMAC_SECRET, now };
    const rows = input.records.map((record) => concernExportRow(record, input.nameOf, context));
    const report = await this.batch.record(rows, now, caller);
    return inSenderTerms(report, (field) => {
      const key = CONCERN_EXPORT_SENDER_FIELDS[field];
      return key === undefined ? undefined : input.nameOf(key);
    });
  }
}
