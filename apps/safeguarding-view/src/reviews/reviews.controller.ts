import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { IsDateString, IsOptional, IsString, Matches } from 'class-validator';
import { CurrentViewer } from '@jigsaw/auth';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { IdentityRegistry } from '@jigsaw/identity';
import { handleCommand } from '@jigsaw/event-store';
import { EVENT_STORE, type ConfiguredEventStore } from '@jigsaw/platform';
import type { Viewer } from '@jigsaw/sharing';
import { ChildAccessGate, unknownChild } from '../children/child-access.gate.js';
import { ApiProblems, ApiPurposeQuery } from '@jigsaw/http';
import { childIdentifierOf, reviewsStreamOf } from '@jigsaw/view-model';
import { reviewsDecider } from './reviews.decider.js';

const ORGANISATION = /^urn:jigsaw:org:(council|police|health|education):[a-z0-9][a-z0-9-]*$/;
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$/;
const DATE = { strict: true } as const;

/** A review of one named child (rapid review, child safeguarding practice review), for one panel. */
export class OpenReviewDto {
  @IsOptional() @IsString() nhsNumber?: string;
  @IsOptional() @IsString() upn?: string;
  @Matches(REFERENCE, { message: 'reference must be 1 to 64 letters, digits or / _ . -' })
  reference!: string;
  @Matches(ORGANISATION, {
    message: 'panelOrganisation must be an organisation, urn:jigsaw:org:<agency>:<code>',
  })
  panelOrganisation!: string;
  @IsDateString(DATE, { message: 'periodFrom must be a real date (YYYY-MM-DD)' }) periodFrom!: string;
  @IsDateString(DATE, { message: 'periodTo must be a real date (YYYY-MM-DD)' }) periodTo!: string;
  @IsDateString(DATE, { message: 'until must be a date-time or date' }) until!: string;
}

const date = { type: 'string', format: 'date' };
const dateTime = { type: 'string', format: 'date-time' };
const childId = { type: 'string', format: 'uuid', description: 'The hub id of the child.' };
const reference = {
  type: 'string',
  pattern: REFERENCE.source,
  description: "The partnership's reference for the review.",
  example: 'CSPR-2026-014',
};
const OPEN_SCHEMA = {
  type: 'object',
  required: ['reference', 'panelOrganisation', 'periodFrom', 'periodTo', 'until'],
  description: 'The child by exactly one of `nhsNumber` and `upn`.',
  properties: {
    nhsNumber: { type: 'string', example: '9434765919' },
    upn: { type: 'string' },
    reference,
    panelOrganisation: {
      type: 'string',
      pattern: ORGANISATION.source,
      description: "The review panel's organisation, which may then audit the child.",
      example: 'urn:jigsaw:org:council:leeds-partnership',
    },
    periodFrom: { ...date, description: 'The first day of the period under review.' },
    periodTo: { ...date, description: 'The last day of the period under review; not before periodFrom.' },
    until: { ...dateTime, description: "When the panel's access ends, if not closed before; in the future." },
  },
};
const answer = (properties: Record<string, object>) => ({
  'application/json': {
    schema: { type: 'object', required: Object.keys(properties), properties },
  },
});

function requireLead(viewer: Viewer): void {
  if (viewer.role !== 'partnership-lead') {
    throw new JigsawError(ErrorCode.Forbidden, "only the partnership's lead opens and closes reviews", [
      { field: 'role', reason: 'must be partnership-lead' },
    ]);
  }
}

/**
 * Reviews commissioned by the local safeguarding partnership for a named child. Opening one lets the
 * panel's organisation audit that child (as known at, access log, export) until the review closes or
 * its `until` passes; nothing else.
 */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller('v1/reviews')
export class ReviewsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: ConfiguredEventStore,
    private readonly identity: IdentityRegistry,
    private readonly gate: ChildAccessGate,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Open a review of a named child for a review panel (partnership leads)',
    description:
      "Records hub.review-opened. The panel's organisation may then read the child's history as known at " +
      'any time, its access log and its subject access export, until the review closes or `until` passes.',
  })
  @ApiPurposeQuery()
  @ApiBody({ schema: OPEN_SCHEMA })
  @ApiCreatedResponse({
    description: "Opened: the panel's organisation may audit the child until `until`.",
    content: answer({ childId, reference, until: dateTime }),
  })
  @ApiProblems(
    '/v1/reviews',
    400,
    401,
    [403, 'The sign-in is not a partnership lead, or does not grant the purpose asked for.'],
    [404, 'No child with that identifier is known to the hub, or no organisation works with them.'],
    [409, 'A review with that reference is already recorded for the child.'],
  )
  async open(
    @Body() body: OpenReviewDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<{ childId: string; reference: string; until: string }> {
    requireLead(viewer);
    const now = new Date();
    const problem = this.problemWith(body, now);
    if (problem) throw new JigsawError(ErrorCode.ValidationFailed, 'the review cannot open', [problem]);
    const { kind, value } = childIdentifierOf(body.nhsNumber, body.upn);
    const found = await this.identity.lookupStatus(kind, value);
    if (!found || found.retired) throw unknownChild();
    const childId = await this.gate.canonicalOf(found.childId);
    const { rows } = await this.gate.relationshipsOf(await this.gate.membersOf(childId));
    if (rows.length === 0) throw unknownChild();
    const until = new Date(body.until).toISOString();
    await handleCommand(this.store, reviewsStreamOf(childId), reviewsDecider, {
      type: 'open',
      id: `review-${randomUUID()}`,
      now,
      viewer,
      childId,
      reference: body.reference,
      panelOrganisation: body.panelOrganisation,
      period: { from: body.periodFrom, to: body.periodTo },
      until,
    });
    return { childId, reference: body.reference, until };
  }

  @Post(':childId/:reference/close')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Close a review (partnership leads)',
    description: "Records hub.review-closed: the panel's access to the child ends now.",
  })
  @ApiPurposeQuery()
  @ApiParam({ name: 'childId', schema: childId })
  @ApiParam({ name: 'reference', schema: reference })
  @ApiOkResponse({
    description: "Closed: the panel's access to the child has ended.",
    content: answer({ childId, reference, closedAt: dateTime }),
  })
  @ApiProblems(
    '/v1/reviews/3b7a1a9e-2f4c-4d0b-8f6e-5a9c1d2e3f40/CSPR-2026-014/close',
    400,
    401,
    [403, 'The sign-in is not a partnership lead, or does not grant the purpose asked for.'],
    [404, 'No review with that reference was opened for the child.'],
    [409, 'The review is already closed.'],
  )
  async close(
    @Param('childId') childId: string,
    @Param('reference') reference: string,
    @CurrentViewer() viewer: Viewer,
  ): Promise<{ childId: string; reference: string; closedAt: string }> {
    requireLead(viewer);
    if (!/^[0-9a-f-]{36}$/.test(childId)) throw unknownChild();
    const now = new Date();
    await handleCommand(this.store, reviewsStreamOf(childId), reviewsDecider, {
      type: 'close',
      id: `review-closed-${randomUUID()}`,
      now,
      viewer,
      childId,
      reference,
    });
    return { childId, reference, closedAt: now.toISOString() };
  }

  private problemWith(body: OpenReviewDto, now: Date): { field: string; reason: string } | undefined {
    if (body.periodTo < body.periodFrom)
      return { field: 'periodTo', reason: 'must not be before periodFrom' };
    if (!(Date.parse(body.until) > now.getTime())) return { field: 'until', reason: 'must be in the future' };
    return undefined;
  }
}
