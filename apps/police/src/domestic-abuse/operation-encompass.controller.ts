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
  OPERATION_ENCOMPASS_FIELDS,
  OPERATION_ENCOMPASS_SENDER_FIELDS,
  operationEncompassRow,
} from './operation-encompass.adapter.js';

@Controller('v1/adapters/operation-encompass')
export class OperationEncompassController {
  constructor(
    private readonly batch: BatchIngest,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /**
   * A force's morning batch as text/csv or a JSON array. 200 with a report per row whenever the batch
   * could be read, however many rows were refused; each row is its own transaction.
   */
  @Post()
  @HttpCode(200)
  async receive(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Query('source') querySource: string | undefined,
    @AgencyCaller() caller: AgencyCallerIdentity | undefined,
  ): Promise<BatchReport> {
    const now = new Date();
    const source = adapterSource(caller, querySource, 'police');
    const input = readAdapterInput(body, contentType, OPERATION_ENCOMPASS_FIELDS);
    const context = { source, idSecret: this.config.IDENTIFIER_HMAC_SECRET, now };
    const rows = input.records.map((record) => operationEncompassRow(record, input.nameOf, context));
    const report = await this.batch.record(rows, now, caller);
    return inSenderTerms(report, (field) => {
      const key = OPERATION_ENCOMPASS_SENDER_FIELDS[field];
      return key === undefined ? undefined : input.nameOf(key);
    });
  }
}
