import { randomUUID } from 'node:crypto';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentViewer } from '@jigsaw/auth';
import type { Pool } from '@jigsaw/database';
import { PG_POOL, SERVICE_CONFIG } from '@jigsaw/platform';
import type { ServiceConfig } from '@jigsaw/config';
import type { Viewer } from '@jigsaw/sharing';
import { AccessLog, recordAccessed, VIEW_SCHEMA, type ChronologyEntry } from '@jigsaw/view-model';
import { ChildAccessGate } from '../children/child-access.gate.js';
import { CHRONOLOGY_EXAMPLES } from '../openapi/examples.js';
import { ApiProblems } from '@jigsaw/http';
import { CHRONOLOGY_PAGE_SCHEMA } from '../openapi/schemas.js';
import { ChronologyCursors } from './chronology-cursor.js';
import { readChronologyPage } from './chronology-page.js';
import { ChronologyQueryDto, MAX_LIMIT, pageRequestOf } from './chronology-query.js';
import { lookupOf } from './chronology.reads.js';

export interface ChronologyResponse {
  childId: string;
  purpose: string;
  entries: ChronologyEntry[];
  nextCursor?: string;
}

/** Every route here sits behind PractitionerGuard (APP_GUARD), which also checks `?purpose=`. */
@ApiTags('children')
@ApiBearerAuth()
@Controller('v1/children')
export class ChronologyController {
  private readonly cursors: ChronologyCursors;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly gate: ChildAccessGate,
    private readonly accessLog: AccessLog,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.cursors = new ChronologyCursors(config.IDENTIFIER_HMAC_SECRET);
  }

  /** The child's multi-agency chronology as this viewer may see it for this purpose; the read is logged first. */
  @Get(':ref/chronology')
  @ApiOperation({
    summary: "The child's multi-agency chronology, a page at a time",
    description:
      'Entries in the order they happened, each saying which agency, when, and a one-line summary, cut to ' +
      `what you may see for this purpose. Pages of \`limit\` entries (at most ${MAX_LIMIT}); pass the answer's ` +
      '`nextCursor` as `cursor` for the next. Filters by agency, event type and dates. Each page read is ' +
      'recorded in the access log, with exactly the entries it showed, before the answer leaves.',
  })
  @ApiParam({
    name: 'ref',
    description: 'The child: an NHS number or a hub child id.',
    example: '9434765919',
  })
  @ApiOkResponse({
    description: 'One page of entries.',
    content: { 'application/json': { schema: CHRONOLOGY_PAGE_SCHEMA, examples: CHRONOLOGY_EXAMPLES } },
  })
  @ApiProblems('/v1/children/9434765919/chronology', 400, 401, 403, 404)
  async chronology(
    @Param('ref') ref: string,
    @Query() query: ChronologyQueryDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ChronologyResponse> {
    const { limit, ...filters } = pageRequestOf(query);
    const now = new Date();
    // Every hub child id linked into this child: merged records read as one child's.
    const { childId, members, access, rows } = await this.gate.reachRef(ref, viewer, 'chronology', now);
    const binding = { childId, viewer, filters };
    const request = {
      limit,
      ...filters,
      ...(query.cursor === undefined ? {} : { after: this.cursors.open(query.cursor, binding) }),
    };
    const page = await readChronologyPage(
      this.pool,
      VIEW_SCHEMA,
      members,
      viewer,
      request,
      now,
      access,
      rows,
    );
    await this.accessLog.record(
      recordAccessed(
        { id: `access-${randomUUID()}`, now, viewer, view: 'chronology', childId, lookup: lookupOf(ref) },
        page.shown,
      ),
    );
    return {
      childId,
      purpose: viewer.purpose,
      entries: page.entries,
      ...(page.next ? { nextCursor: this.cursors.seal(page.next, binding) } : {}),
    };
  }
}
