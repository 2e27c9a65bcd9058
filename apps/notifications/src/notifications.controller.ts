import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CurrentViewer } from '@jigsaw/auth';
import { DOMESTIC_ABUSE_INCIDENT_NOTIFIED } from '@jigsaw/contracts';
import { PURPOSES } from '@jigsaw/envelope';
import type { Viewer } from '@jigsaw/sharing';
import {
  NOTIFICATION_KINDS,
  NOTIFICATION_STATUSES,
  type NotificationKind,
  type NotificationStatus,
} from '@jigsaw/view-model';
import { PROBLEM_SCHEMA } from '@jigsaw/http';
import { NotificationInbox, type Acknowledgement, type InboxPage } from './notification-inbox.js';

export class InboxQueryDto {
  @ApiProperty({
    enum: PURPOSES,
    example: 'safeguarding',
    description: 'Why you are reading; your token must grant it.',
  })
  @IsIn(PURPOSES)
  purpose!: string;

  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES, example: 'open' })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;

  @ApiPropertyOptional({ enum: NOTIFICATION_KINDS, example: 'operation-encompass' })
  @IsOptional()
  @IsIn(NOTIFICATION_KINDS)
  kind?: NotificationKind;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  cursor?: string;
}

export class AcknowledgeQueryDto {
  @ApiProperty({ enum: PURPOSES, example: 'safeguarding' })
  @IsIn(PURPOSES)
  purpose!: string;
}

const SCHOOL = 'urn:jigsaw:org:education:hillside-primary';

const INBOX_EXAMPLE: InboxPage = {
  notifications: [
    {
      id: '0b7c6a8e-3f3e-4d8e-9a43-52b1f6f0c2d1',
      kind: 'operation-encompass',
      status: 'open',
      childId: '6f1c1a52-8d3e-4a57-9a52-1b0c3f0d2a11',
      createdAt: '2026-11-20T23:05:14.201Z',
      dueAt: '2026-11-23T08:30:00.000Z',
      recipient: {
        organisation: SCHOOL,
        agency: 'education',
        route: 'school-roll',
        school: { urn: '123456', name: 'Hillside Primary School' },
        addressee: {
          name: 'Ms Example',
          role: 'designated-safeguarding-lead',
          phone: '0113 496 0000',
          secureEmail: 'dsl@hillside.example.sch.uk',
        },
      },
      child: {
        hubChildId: '6f1c1a52-8d3e-4a57-9a52-1b0c3f0d2a11',
        asKnownToYou: {
          upn: 'B801200005001',
          name: { given: 'Amara', family: 'Example' },
          birthDate: '2016-04-02',
        },
      },
      event: {
        id: 'oe-CAD-1001-5f2a9c0e1b7d3a44',
        source: 'urn:jigsaw:org:police:met',
        type: DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
        time: '2026-11-20T22:40:00Z',
        childid: '6f1c1a52-8d3e-4a57-9a52-1b0c3f0d2a11',
        agency: 'police',
        level: 'full',
        reason: 'shared',
        sharing: {
          basis: { lawfulBasis: 'legal-obligation', regime: 'dpa-2018-part-3', specialCategory: false },
          purposes: ['safeguarding', 'child-protection'],
        },
        markers: [],
        corrected: false,
        data: {
          occurredAt: '2026-11-20T22:40:00Z',
          childPresent: true,
          childInHousehold: true,
          force: { name: 'Metropolitan Police Service' },
          contact: { name: 'PC Example', role: 'Operation Encompass officer', phone: '020 7230 1212' },
          summary: 'Police attended a domestic abuse incident at home; the child was present.',
        },
      },
    },
  ],
  nextCursor: 'WyIyMDI2LTExLTIwVDIzOjA1OjE0LjIwMVoiLCIwYjdjNmE4ZS0zZjNlLTRkOGUtOWE0My01MmIxZjZmMGMyZDEiXQ',
};

const ACK_EXAMPLE: Acknowledgement = {
  notificationId: '0b7c6a8e-3f3e-4d8e-9a43-52b1f6f0c2d1',
  acknowledgedAt: '2026-11-23T07:52:40.118Z',
  acknowledgedBy: { sub: 'dsl-1', role: 'designated-safeguarding-lead', organisation: SCHOOL },
  repeated: false,
};

const NOTIFICATION_SCHEMA = {
  type: 'object',
  required: ['id', 'kind', 'status', 'childId', 'createdAt', 'recipient', 'child', 'event'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    kind: { type: 'string', enum: [...NOTIFICATION_KINDS] },
    status: { type: 'string', enum: [...NOTIFICATION_STATUSES] },
    childId: { type: 'string', format: 'uuid' },
    createdAt: { type: 'string', format: 'date-time' },
    dueAt: { type: 'string', format: 'date-time' },
    recipient: {
      type: 'object',
      required: ['organisation', 'agency'],
      properties: { organisation: { type: 'string' }, agency: { type: 'string' }, route: { type: 'string' } },
    },
    child: {
      type: 'object',
      required: ['hubChildId'],
      properties: { hubChildId: { type: 'string', format: 'uuid' }, asKnownToYou: { type: 'object' } },
    },
    event: {
      type: 'object',
      description: 'The event the notification is about, cut to what you may see.',
      required: ['id', 'source', 'type', 'agency'],
      properties: {
        id: { type: 'string' },
        source: { type: 'string' },
        type: { type: 'string' },
        agency: { type: 'string' },
        level: { type: 'string' },
        data: { type: 'object' },
      },
    },
  },
};
const INBOX_SCHEMA = {
  type: 'object',
  required: ['notifications'],
  properties: {
    notifications: { type: 'array', items: NOTIFICATION_SCHEMA },
    nextCursor: { type: 'string', description: 'Pass as `cursor` for the next page; absent on the last.' },
  },
};
const ACK_SCHEMA = {
  type: 'object',
  required: ['notificationId', 'acknowledgedAt', 'acknowledgedBy', 'repeated'],
  properties: {
    notificationId: { type: 'string', format: 'uuid' },
    acknowledgedAt: { type: 'string', format: 'date-time' },
    acknowledgedBy: {
      type: 'object',
      required: ['sub', 'role', 'organisation'],
      properties: { sub: { type: 'string' }, role: { type: 'string' }, organisation: { type: 'string' } },
    },
    repeated: { type: 'boolean' },
  },
};

const problem = (status: number, code: string, field: string, reason: string): object => ({
  type: `urn:jigsaw:problem:${code.toLowerCase().replaceAll('_', '-')}`,
  title: status === 404 ? 'Not Found' : 'Bad Request',
  status,
  detail: status === 404 ? 'no such notification for this organisation' : `invalid input: ${field}`,
  instance: '/v1/notifications',
  code,
  errors: [{ field, reason }],
});

/** Every route here sits behind PractitionerGuard (APP_GUARD), which also checks `?purpose=`. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('v1/notifications')
export class NotificationsController {
  constructor(private readonly inbox: NotificationInbox) {}

  @Get()
  @ApiOperation({
    summary: "Your organisation's notifications",
    description:
      "CP-IS, Operation Encompass and escalations addressed to the signed-in practitioner's organisation, " +
      'newest first, each with the event it is about cut to what this practitioner may see; notifications ' +
      'about events they may not see are left out. Every page read is recorded in the access log.',
  })
  @ApiResponse({
    status: 200,
    description: 'A page of notifications.',
    content: { 'application/json': { schema: INBOX_SCHEMA, example: INBOX_EXAMPLE } },
  })
  @ApiResponse({
    status: 400,
    description: 'A filter or cursor that cannot be read.',
    content: {
      'application/problem+json': {
        schema: PROBLEM_SCHEMA,
        example: problem(
          400,
          'VALIDATION_FAILED',
          'status',
          'must be one of the following values: open, overdue, acknowledged',
        ),
      },
    },
  })
  async list(@Query() query: InboxQueryDto, @CurrentViewer() viewer: Viewer): Promise<InboxPage> {
    return this.inbox.page(viewer, {
      limit: query.limit ?? 50,
      ...(query.status ? { status: query.status } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
  }

  @Post(':id/acknowledgement')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Acknowledge a notification',
    description:
      'Records who acknowledged it and when, which stops its escalation. Idempotent: acknowledging again ' +
      'answers with the first acknowledgement and `repeated: true`.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({
    status: 200,
    description: 'Acknowledged (now or before).',
    content: { 'application/json': { schema: ACK_SCHEMA, example: ACK_EXAMPLE } },
  })
  @ApiResponse({
    status: 404,
    description: 'No notification with that id that this practitioner may see.',
    content: {
      'application/problem+json': {
        schema: PROBLEM_SCHEMA,
        example: problem(404, 'NOT_FOUND', 'id', 'names no notification this practitioner may see'),
      },
    },
  })
  async acknowledge(
    @Param('id') id: string,
    @Query() _query: AcknowledgeQueryDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<Acknowledgement> {
    return this.inbox.acknowledge(viewer, id);
  }
}
