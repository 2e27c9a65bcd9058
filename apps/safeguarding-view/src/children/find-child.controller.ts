import { randomUUID } from 'node:crypto';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentViewer } from '@jigsaw/auth';
import { PURPOSES } from '@jigsaw/envelope';
import { IdentityRegistry } from '@jigsaw/identity';
import type { Viewer } from '@jigsaw/sharing';
import { AccessLog, childIdentifierOf, recordAccessed, type ChildLookup } from '@jigsaw/view-model';
import { ChildAccessGate } from './child-access.gate.js';
import { FIND_CHILD_EXAMPLE } from '../openapi/examples.js';
import { ApiProblems } from '@jigsaw/http';
import { FIND_CHILD_SCHEMA } from '../openapi/schemas.js';

/**
 * Finds a child's hub id by NHS number or UPN. Finding a child is itself a read, so it is logged;
 * a search that finds nobody (or only a retired number) reveals nothing and has no child to log it against.
 */
@ApiTags('children')
@ApiBearerAuth()
@Controller('v1/children')
export class FindChildController {
  constructor(
    private readonly identity: IdentityRegistry,
    private readonly accessLog: AccessLog,
    private readonly gate: ChildAccessGate,
  ) {}

  @Get()
  @ApiOperation({
    summary: "Find a child's hub id by NHS number or UPN",
    description: 'Give exactly one identifier. Finding a child is a read, and is recorded in the access log.',
  })
  @ApiQuery({
    name: 'purpose',
    schema: { type: 'string', enum: [...PURPOSES], example: 'safeguarding' },
    description: 'Why you are reading; your token must grant it.',
  })
  @ApiQuery({ name: 'nhsNumber', required: false, type: String, example: '9434765919' })
  @ApiQuery({ name: 'upn', required: false, type: String, example: 'B801200005001' })
  @ApiOkResponse({ description: 'The hub child id.', schema: FIND_CHILD_SCHEMA, example: FIND_CHILD_EXAMPLE })
  @ApiProblems('/v1/children', 400, 401, 403, 404)
  async find(
    @Query('nhsNumber') nhsNumber: unknown,
    @Query('upn') upn: unknown,
    @CurrentViewer() viewer: Viewer,
  ): Promise<{ childId: string }> {
    const { kind, value } = childIdentifierOf(nhsNumber, upn);
    const lookup: ChildLookup = kind;
    const now = new Date();
    // The child as it is now (records merged into another answer with the child they joined), if the
    // viewer reaches it; an unknown child, a retired number and a child of no relationship answer alike.
    const found = await this.identity.lookupStatus(kind, value);
    const { childId } = await this.gate.reachNamed(found, viewer, 'find-child', lookup, now);
    await this.accessLog.record(
      recordAccessed({ id: `access-${randomUUID()}`, now, viewer, view: 'find-child', childId, lookup }, []),
    );
    return { childId };
  }
}
