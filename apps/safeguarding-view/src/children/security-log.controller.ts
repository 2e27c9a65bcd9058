import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentViewer } from '@jigsaw/auth';
import type { Pool } from '@jigsaw/database';
import { PG_POOL } from '@jigsaw/platform';
import type { Viewer } from '@jigsaw/sharing';
import { VIEW_SCHEMA, type RecordAccessedData } from '@jigsaw/view-model';
import { ApiProblems, ApiPurposeQuery } from '@jigsaw/http';
import { READER_SCHEMA } from '../openapi/schemas.js';
import { mustBeDataProtectionOfficer } from './data-protection-officer.js';

/** One read or claim that named a child the hub does not know: never the identifier that was tried. */
export interface SecurityLogEntry {
  id: string;
  at: string;
  viewer: RecordAccessedData['viewer'];
  purpose: string;
  view: string;
  lookup: string;
}

const ENTRY_SCHEMA = {
  type: 'object',
  required: ['id', 'at', 'viewer', 'purpose', 'view', 'lookup'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    at: { type: 'string', format: 'date-time' },
    viewer: READER_SCHEMA,
    purpose: { type: 'string' },
    view: { type: 'string', description: 'What was asked: e.g. `child-view`, `chronology`, `access-claim`.' },
    lookup: {
      type: 'string',
      enum: ['nhs-number', 'upn', 'hub-child-id'],
      description: 'Which kind of identifier was tried; its value is never kept.',
    },
  },
};

/** The most recent entries a request returns. */
const MOST = 500;

/**
 * The organisation's security log: its practitioners' reads and self-claims that named a child the hub
 * does not know (a refused read of a known child goes on that child's access log instead). For the
 * organisation's data protection officer, to see trawling.
 */
@ApiTags('children')
@ApiBearerAuth()
@Controller('v1/security-log')
export class SecurityLogController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get()
  @ApiOperation({
    summary: "Your organisation's reads of children the hub does not know (data protection officers)",
  })
  @ApiPurposeQuery()
  @ApiOkResponse({
    description: `Your organisation's entries, newest first (at most ${MOST}): who, when, for what, through which view, and which kind of identifier, never its value.`,
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['entries'],
          properties: { entries: { type: 'array', items: ENTRY_SCHEMA } },
        },
      },
    },
  })
  @ApiProblems('/v1/security-log', 401, [
    403,
    'The token is not a data protection officer’s, or does not grant the purpose asked for.',
  ])
  async entries(@CurrentViewer() viewer: Viewer): Promise<{ entries: SecurityLogEntry[] }> {
    mustBeDataProtectionOfficer(viewer, 'the security log');
    const { rows } = await this.pool.query<{
      id: string;
      at: Date;
      viewer: SecurityLogEntry['viewer'];
      purpose: string;
      view: string;
      lookup: string;
    }>(
      `SELECT id, at, viewer, purpose, view, lookup FROM "${VIEW_SCHEMA}".security_log
       WHERE organisation = $1 ORDER BY at DESC, id LIMIT ${MOST}`,
      [viewer.organisation],
    );
    return { entries: rows.map((r) => ({ ...r, at: r.at.toISOString() })) };
  }
}
