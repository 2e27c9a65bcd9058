import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength, Validate } from 'class-validator';
import { CurrentViewer } from '@jigsaw/auth';
import type { Pool } from '@jigsaw/database';
import { PURPOSES, SchemaRegistry, type Purpose } from '@jigsaw/envelope';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { IdentityRegistry, NoIdentifiers } from '@jigsaw/identity';
import { EVENT_STORE, PG_POOL, type ConfiguredEventStore } from '@jigsaw/platform';
import { ProjectionRunner } from '@jigsaw/projection';
import { relatedOrganisations, type Viewer } from '@jigsaw/sharing';
import { ApiProblems, ApiPurposeQuery } from '@jigsaw/http';
import { READER_SCHEMA } from '../openapi/schemas.js';
import {
  VIEW_SCHEMA,
  accessClaimed,
  accessClaimsStreamOf,
  SELF_CLAIMED_ACCESS_HOURS,
  type AccessClaimedData,
  accessClaimsProjection,
  childIdentifierOf,
  partnershipReadsReportedTo,
  type PartnershipReadView,
} from '@jigsaw/view-model';
import { ChildAccessGate } from './child-access.gate.js';
import { mustBeDataProtectionOfficer } from './data-protection-officer.js';

const CLAIM_MS = SELF_CLAIMED_ACCESS_HOURS * 3_600_000;

/** A claim: the child by exactly one identifier, the purpose, and why, in words kept with the claim. */
export class AccessClaimDto {
  @IsOptional() @IsString() nhsNumber?: string;
  @IsOptional() @IsString() upn?: string;
  @IsIn(PURPOSES) purpose!: Purpose;
  @IsString() @MinLength(10) @MaxLength(2000) @Validate(NoIdentifiers) reason!: string;
}

export interface AccessClaimView {
  claimId: string;
  childId: string;
  claimant: AccessClaimedData['claimant'];
  purpose: string;
  reason: string;
  claimedAt: string;
  until: string;
}

const CLAIM_SCHEMA = {
  type: 'object',
  required: ['purpose', 'reason'],
  description: 'The child by exactly one of `nhsNumber` and `upn`.',
  properties: {
    nhsNumber: { type: 'string', example: '9434765919' },
    upn: { type: 'string' },
    purpose: { type: 'string', enum: [...PURPOSES], description: 'The purpose named in the query.' },
    reason: {
      type: 'string',
      minLength: 10,
      maxLength: 2000,
      description: 'Why; no NHS number or UPN in it.',
    },
  },
};
const CLAIM_VIEW_SCHEMA = {
  type: 'object',
  required: ['claimId', 'childId', 'claimant', 'purpose', 'reason', 'claimedAt', 'until'],
  properties: {
    claimId: { type: 'string' },
    childId: { type: 'string', format: 'uuid' },
    claimant: READER_SCHEMA,
    purpose: { type: 'string' },
    reason: { type: 'string' },
    claimedAt: { type: 'string', format: 'date-time' },
    until: { type: 'string', format: 'date-time' },
  },
};

const PARTNERSHIP_READ_SCHEMA = {
  type: 'object',
  required: ['readId', 'childId', 'reader', 'view', 'readAt'],
  properties: {
    readId: { type: 'string', description: "The `id` of the read in the child's access log." },
    childId: { type: 'string', format: 'uuid' },
    reader: READER_SCHEMA,
    view: { type: 'string', enum: ['as-known-at', 'access-log', 'subject-access-export'] },
    readAt: { type: 'string', format: 'date-time' },
  },
};

/**
 * Self-claimed access (break-glass), as on the NHS Spine: a practitioner with no relationship with a child
 * claims one, with a reason. The claim opens the child to them alone for `SELF_CLAIMED_ACCESS_HOURS`, is
 * recorded as `hub.access-claimed`, and is reported to the data protection officer of every organisation
 * holding a relationship with the child.
 */
@ApiTags('children')
@ApiBearerAuth()
@Controller('v1/children/access-claims')
export class AccessClaimsController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: ConfiguredEventStore,
    private readonly identity: IdentityRegistry,
    private readonly gate: ChildAccessGate,
    schemas: SchemaRegistry,
  ) {
    this.inbox = new ProjectionRunner(this.pool, VIEW_SCHEMA, [accessClaimsProjection], schemas);
  }

  private readonly inbox: ProjectionRunner;

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Claim access to a child you have no relationship with, stating why',
    description:
      'The claim is recorded and reported to the data protection officers of the organisations that work ' +
      'with the child. It lasts 24 hours and opens the child to you alone. The answer is the same whether ' +
      'or not the hub knows the child.',
  })
  @ApiPurposeQuery()
  @ApiBody({ schema: CLAIM_SCHEMA })
  @ApiCreatedResponse({
    description:
      'Claimed: the child, if the hub knows them, is open to you until `until`. The same answer for a child ' +
      'the hub does not know.',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['until'],
          properties: { until: { type: 'string', format: 'date-time' } },
        },
      },
    },
  })
  @ApiProblems('/v1/children/access-claims', 400)
  async claim(@Body() body: AccessClaimDto, @CurrentViewer() viewer: Viewer): Promise<{ until: string }> {
    if (body.purpose !== viewer.purpose) {
      throw new JigsawError(ErrorCode.ValidationFailed, 'the claim must be for the purpose of this sign-in', [
        { field: 'purpose', reason: 'must be the purpose named in the query' },
      ]);
    }
    const { kind, value } = childIdentifierOf(body.nhsNumber, body.upn);
    const now = new Date();
    const until = new Date(now.getTime() + CLAIM_MS).toISOString();
    // A child the hub does not know (or a retired number) answers exactly as a known one: the claim
    // endpoint must not tell them apart. The attempt goes to the organisation's security log instead.
    const found = await this.identity.lookupStatus(kind, value);
    const childId = found && !found.retired ? await this.gate.canonicalOf(found.childId) : undefined;
    const members = childId ? await this.gate.membersOf(childId) : [];
    const { relationships, rows } = await this.gate.relationshipsOf(members);
    if (!childId || rows.length === 0) {
      await this.gate.securityLog(viewer, 'access-claim', kind, now);
      return { until };
    }
    const reportedTo = relatedOrganisations(relationships, now).filter((o) => o !== viewer.organisation);
    const event = accessClaimed(
      {
        id: `claim-${randomUUID()}`,
        now,
        viewer,
        childId,
        reason: body.reason,
        hours: SELF_CLAIMED_ACCESS_HOURS,
      },
      reportedTo,
    );
    await this.store.append(accessClaimsStreamOf(childId), [event], { expectedVersion: 'any' });
    // The data protection officers' inbox is a read model of the claim, as a rebuild makes it again.
    await this.inbox.apply(event);
    return { until: event.data.until };
  }

  /**
   * For a data protection officer: the self-claims made on children their organisation works with, and the
   * partnership-wide audit reads of those children.
   */
  @Get()
  @ApiOperation({
    summary:
      "Self-claims on, and partnership-wide reads of, your organisation's children (data protection officers)",
  })
  @ApiPurposeQuery()
  @ApiOkResponse({
    description:
      "The self-claims, and the partnership data protection officers' access logs, exports and as-known-at " +
      'reads, reported to your organisation, each newest first.',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['claims', 'partnershipReads'],
          properties: {
            claims: { type: 'array', items: CLAIM_VIEW_SCHEMA },
            partnershipReads: { type: 'array', items: PARTNERSHIP_READ_SCHEMA },
          },
        },
      },
    },
  })
  async reported(
    @CurrentViewer() viewer: Viewer,
  ): Promise<{ claims: AccessClaimView[]; partnershipReads: PartnershipReadView[] }> {
    mustBeDataProtectionOfficer(viewer, 'self-claims');
    const { rows } = await this.pool.query<{
      claim_id: string;
      child_id: string;
      claimant: AccessClaimView['claimant'];
      purpose: string;
      reason: string;
      claimed_at: Date;
      until: Date;
    }>(
      `SELECT claim_id, child_id, claimant, purpose, reason, claimed_at, until FROM "${VIEW_SCHEMA}".access_claims
       WHERE reported_to = $1 ORDER BY claimed_at DESC, claim_id LIMIT 500`,
      [viewer.organisation],
    );
    const partnershipReads = await partnershipReadsReportedTo(this.pool, viewer.organisation);
    return {
      claims: rows.map((r) => ({
        claimId: r.claim_id,
        childId: r.child_id,
        claimant: r.claimant,
        purpose: r.purpose,
        reason: r.reason,
        claimedAt: r.claimed_at.toISOString(),
        until: r.until.toISOString(),
      })),
      partnershipReads,
    };
  }
}
