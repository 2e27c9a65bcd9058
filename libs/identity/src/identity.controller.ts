import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Injectable,
  Param,
  Post,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { CurrentViewer } from '@jigsaw/auth';
import type { Pool } from '@jigsaw/database';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { PG_POOL } from '@jigsaw/platform';
import type { Viewer } from '@jigsaw/sharing';
import { ApiProblems, ApiPurposeQuery } from '@jigsaw/http';
import { IdentityCommands } from './identity-commands.js';
import { IdentityRegistry } from './identity-registry.js';
import { IDENTITY_OPTIONS, type IdentityModuleOptions } from './identity.options.js';
import { MergeDto, ReasonDto, RenumberDto, UnbornLinkDto } from './identity.dto.js';
import type { Decision } from './identity.events.js';

/**
 * Who may decide that records are one child, or not: the council's social workers, their managers and
 * MASH officers, who hold the child's case. Everyone else may read what they decided, never decide.
 */
export const IDENTITY_DECIDER_ROLES: readonly string[] = ['social-worker', 'team-manager', 'mash-officer'];

/** Runs after the practitioner guard and before the body is read: a refusal says nothing about input. */
@Injectable()
export class IdentityDeciderGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const viewer = context.switchToHttp().getRequest<{ user?: Viewer }>().user;
    if (!viewer) throw new JigsawError(ErrorCode.Unauthenticated, 'a practitioner sign-in is required');
    if (viewer.agency !== 'council' || !IDENTITY_DECIDER_ROLES.includes(viewer.role)) {
      throw new JigsawError(ErrorCode.Forbidden, 'only the council may decide which records are one child', [
        { field: 'role', reason: `must be a council ${IDENTITY_DECIDER_ROLES.join(', ')}` },
      ]);
    }
    return true;
  }
}

function decision(viewer: Viewer, reason: string): Decision {
  return {
    decidedBy: {
      sub: viewer.userId,
      organisation: viewer.organisation,
      agency: viewer.agency,
      role: viewer.role,
    },
    purpose: viewer.purpose,
    reason,
  };
}

const MATCH_ID = /^pm-[0-9a-f]{32}$/;
const LINK_ID = /^link-[0-9a-f-]{8,64}$/;

function checked(value: string, pattern: RegExp, field: string, what: string): string {
  if (!pattern.test(value)) {
    throw new JigsawError(ErrorCode.ValidationFailed, `not a ${what}`, [
      { field, reason: `must be a ${what}` },
    ]);
  }
  return value;
}

interface PossibleMatchView {
  matchId: string;
  childId: string;
  candidateId: string;
  evidence: string;
  raisedAt: string;
}

const str = { type: 'string' };
const uuid = { type: 'string', format: 'uuid' };
const object = (properties: Record<string, object>) => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
});
const REASON = {
  reason: { ...str, description: 'Why, in words kept with the decision; no NHS number or UPN.' },
};
const nhsNumber = { ...str, example: '9434765919' };

/** The route's body and its 200 answer, as a council decider sends and reads them. */
const documented = (summary: string, body: Record<string, object>, answer: Record<string, object>) =>
  applyDecorators(
    ApiOperation({ summary }),
    ApiPurposeQuery(),
    ApiBody({ schema: object(body) }),
    ApiOkResponse({
      description: '`changed` is false when the same decision was made before: nothing new is recorded.',
      content: { 'application/json': { schema: object(answer) } },
    }),
    ApiProblems('/v1/identity', 400, 404),
  );

/** Possible matches and links between hub children. Nothing here names a child by an identifier. */
@Controller('v1/identity')
@UseGuards(IdentityDeciderGuard)
export class IdentityController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly commands: IdentityCommands,
    private readonly registry: IdentityRegistry,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityModuleOptions,
  ) {}

  /** Pending possible matches, oldest first: hub ids and the kind of evidence only. */
  @Get('possible-matches')
  @ApiOperation({ summary: 'Pending possible matches between hub children, oldest first' })
  @ApiPurposeQuery()
  @ApiOkResponse({
    description: 'Hub child ids and the kind of evidence only.',
    content: {
      'application/json': {
        schema: object({
          matches: {
            type: 'array',
            items: object({
              matchId: str,
              childId: uuid,
              candidateId: uuid,
              evidence: str,
              raisedAt: { type: 'string', format: 'date-time' },
            }),
          },
        }),
      },
    },
  })
  async possibleMatches(): Promise<{ matches: PossibleMatchView[] }> {
    const { rows } = await this.pool.query<{
      match_id: string;
      child_id: string;
      candidate_id: string;
      evidence: string;
      raised_at: Date;
    }>(
      `SELECT match_id, child_id, candidate_id, evidence, raised_at FROM "${this.options.readSchema}".possible_matches
       WHERE status = 'raised' ORDER BY raised_at, match_id LIMIT 500`,
    );
    return {
      matches: rows.map((r) => ({
        matchId: r.match_id,
        childId: r.child_id,
        candidateId: r.candidate_id,
        evidence: r.evidence,
        raisedAt: r.raised_at.toISOString(),
      })),
    };
  }

  /** Confirms a possible match: the two records become one child (a merge that a split can undo). */
  @Post('possible-matches/:matchId/confirm')
  @HttpCode(200)
  @documented('Confirm a possible match: the two records become one child', REASON, {
    matchId: str,
    status: { type: 'string', enum: ['confirmed'] },
    linkId: str,
    changed: { type: 'boolean' },
  })
  async confirm(
    @Param('matchId') matchId: string,
    @Body() body: ReasonDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<{ matchId: string; status: 'confirmed'; linkId: string; changed: boolean }> {
    const result = await this.commands.confirm(
      checked(matchId, MATCH_ID, 'matchId', 'possible match id'),
      decision(viewer, body.reason),
    );
    return { matchId, status: 'confirmed', ...result };
  }

  @Post('possible-matches/:matchId/reject')
  @HttpCode(200)
  @documented('Reject a possible match: the two records stay apart', REASON, {
    matchId: str,
    status: { type: 'string', enum: ['rejected'] },
    changed: { type: 'boolean' },
  })
  async reject(
    @Param('matchId') matchId: string,
    @Body() body: ReasonDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<{ matchId: string; status: 'rejected'; changed: boolean }> {
    const result = await this.commands.reject(
      checked(matchId, MATCH_ID, 'matchId', 'possible match id'),
      decision(viewer, body.reason),
    );
    return { matchId, status: 'rejected', ...result };
  }

  /** Two records found to be one child, without a possible match raised first. */
  @Post('merges')
  @HttpCode(200)
  @documented(
    'Merge two hub children known to be one',
    { ...REASON, childId: uuid, mergedChildId: uuid },
    { linkId: str, changed: { type: 'boolean' } },
  )
  async merge(
    @Body() body: MergeDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<{ linkId: string; changed: boolean }> {
    return this.commands.merge(body.childId, body.mergedChildId, decision(viewer, body.reason));
  }

  /** Undoes a link (a wrong merge, a wrong birth link): each record goes back to its own child. */
  @Post('links/:linkId/split')
  @HttpCode(200)
  @documented('Split a merge or confirmed match made in error', REASON, {
    linkId: str,
    childId: uuid,
    linkedId: uuid,
    changed: { type: 'boolean' },
  })
  async split(
    @Param('linkId') linkId: string,
    @Body() body: ReasonDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<{ linkId: string; childId: string; linkedId: string; changed: boolean }> {
    const result = await this.commands.split(
      checked(linkId, LINK_ID, 'linkId', 'link id'),
      decision(viewer, body.reason),
    );
    return { linkId, ...result };
  }

  /** Links an unborn child's record (the pregnancy) to the baby. */
  @Post('unborn-links')
  @HttpCode(200)
  @documented(
    'Link an unborn child’s record to the child once born',
    { ...REASON, childId: uuid, unbornChildId: uuid },
    { linkId: str, changed: { type: 'boolean' } },
  )
  async linkUnborn(
    @Body() body: UnbornLinkDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<{ linkId: string; changed: boolean }> {
    return this.commands.linkUnborn(body.childId, body.unbornChildId, decision(viewer, body.reason));
  }

  /** A new NHS number (adoption): it names the same child, and the old one is retired. */
  @Post('renumberings')
  @HttpCode(200)
  @documented(
    'Record a new NHS number for a child (adoption, gender reassignment)',
    { ...REASON, previousNhsNumber: nhsNumber, nhsNumber },
    { childId: uuid, changed: { type: 'boolean' } },
  )
  async renumber(
    @Body() body: RenumberDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<{ childId: string; changed: boolean }> {
    const found = await this.registry.lookupStatus('nhs-number', body.previousNhsNumber);
    if (!found)
      throw new JigsawError(ErrorCode.ChildNotFound, 'no child with that NHS number is known to the hub');
    const result = await this.commands.renumber(
      found.childId,
      body.previousNhsNumber,
      body.nhsNumber,
      decision(viewer, body.reason),
    );
    return { childId: found.childId, ...result };
  }
}
