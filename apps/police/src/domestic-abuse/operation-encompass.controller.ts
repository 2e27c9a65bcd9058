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
  OPERATION_ENCOMPASS_FIELDS,
  OPERATION_ENCOMPASS_SENDER_FIELDS,
  operationEncompassRow,
} from './operation-encompass.adapter.js';

const adapter: TabularAdapter = {
  agency: 'police',
  fields: OPERATION_ENCOMPASS_FIELDS,
  senderFields: OPERATION_ENCOMPASS_SENDER_FIELDS,
  toRow: operationEncompassRow,
};

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
  @ApiTabularAdapter(
    'Record a force’s Operation Encompass notifications, one event per row',
    OPERATION_ENCOMPASS_FIELDS,
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
