import { Body, Controller, Headers, HttpCode, Inject, Post, Query, type Type } from '@nestjs/common';
import type { ServiceConfig } from '@jigsaw/config';
import { SERVICE_CONFIG } from '@jigsaw/platform';
import { BatchIngest, type BatchReport } from './batch.js';
import { AgencyCaller, type AgencyCallerIdentity } from './caller.js';
import { recordTabular, type TabularAdapter } from './tabular-adapter.js';
import { ApiTabularAdapter } from './tabular-adapter.openapi.js';

/**
 * The controller of a tabular adapter at `path`: a sender's rows as text/csv or a JSON array, one event a
 * row, each its own transaction; 200 with a report per row whenever the rows could be read, however many
 * were refused. Every tabular adapter answers alike, so an agency names only its adapter, the route and
 * what the route does; `name` is the controller's, as the OpenAPI document's operation ids show it.
 */
export function tabularAdapterController(
  name: string,
  path: string,
  summary: string,
  adapter: TabularAdapter,
): Type<unknown> {
  @Controller(path)
  class TabularAdapterController {
    constructor(
      readonly batch: BatchIngest,
      @Inject(SERVICE_CONFIG) readonly config: ServiceConfig,
    ) {}

    @Post()
    @HttpCode(200)
    @ApiTabularAdapter(summary, adapter.fields)
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
  Object.defineProperty(TabularAdapterController, 'name', { value: name });
  return TabularAdapterController;
}
