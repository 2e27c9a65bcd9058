import { Controller, Get, Header, Inject, Param, Query } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  type SchemaObject,
} from '@nestjs/swagger';
import { PROBLEM_SCHEMA } from '@jigsaw/http';
import type { NotificationHistory } from '@jigsaw/view-model';
import { AUDIT, type Audit } from '../audit.js';
import type { AuditCaller } from '../auth/audit-caller.js';
import { CurrentAuditor } from '../auth/auditor.guard.js';

const str: SchemaObject = { type: 'string' };
const dateTime: SchemaObject = { type: 'string', format: 'date-time' };

const HISTORY: SchemaObject = {
  type: 'object',
  required: [
    'notificationId',
    'asKnownAt',
    'kind',
    'childId',
    'about',
    'told',
    'raisedAt',
    'deliveries',
    'acknowledged',
    'events',
  ],
  properties: {
    notificationId: { type: 'string', format: 'uuid' },
    asKnownAt: dateTime,
    kind: { type: 'string', enum: ['cp-is', 'operation-encompass', 'escalation'] },
    childId: { type: 'string', format: 'uuid', description: 'The hub child id.' },
    about: { type: 'string', description: 'The record it is about, `<source>|<id>`.' },
    told: {
      type: 'object',
      description: 'The organisation told, and why it was the one.',
      required: ['organisation', 'agency', 'route'],
      properties: { organisation: str, agency: str, route: str },
    },
    raisedAt: { ...dateTime, description: 'When the hub told them (the notification reached their inbox).' },
    dueAt: { ...dateTime, description: 'When it escalates if not acknowledged.' },
    deliveries: {
      type: 'array',
      description: 'Each webhook delivery: whether and when their system took it.',
      items: {
        type: 'object',
        required: ['deliveryId', 'kind', 'organisation', 'status', 'attempts'],
        properties: {
          deliveryId: { type: 'string', description: 'The `webhook-id` the receiver saw.' },
          kind: { type: 'string', enum: ['notification', 'recall'] },
          organisation: str,
          status: { type: 'string', enum: ['pending', 'delivered', 'failed', 'cancelled'] },
          attempts: { type: 'integer' },
          deliveredAt: dateTime,
        },
      },
    },
    acknowledged: { type: 'boolean' },
    acknowledgedAt: dateTime,
    acknowledgedBy: {
      type: 'object',
      required: ['sub', 'role', 'organisation'],
      properties: { sub: str, role: str, organisation: str },
    },
    escalatedAt: dateTime,
    escalation: {
      type: 'object',
      required: ['outcome', 'notifications'],
      properties: {
        outcome: { type: 'string', enum: ['escalated', 'not-shared'] },
        notifications: { type: 'array', items: { type: 'string', format: 'uuid' } },
      },
    },
    events: {
      type: 'array',
      description: "The notification's events known at that moment, oldest first.",
      items: { type: 'object', required: ['type', 'time'], properties: { type: str, time: dateTime } },
    },
  },
};

const problem = (status: number, description: string) =>
  ApiResponse({ status, description, content: { 'application/problem+json': { schema: PROBLEM_SCHEMA } } });

@Controller('v1/notifications')
export class NotificationHistoryController {
  constructor(@Inject(AUDIT) private readonly audit: Audit) {}

  @Get(':id/history')
  @ApiOperation({
    summary: 'Who was told, when, and whether they acknowledged, as known at a moment',
    description:
      'One notification (CP-IS, Operation Encompass, escalation) from its own stream: whom it went to and ' +
      'when, each webhook delivery, the acknowledgement and by whom, and its escalation, as recorded by ' +
      '`asKnownAt`. Scoped by the child it is about, as every audit read is, and recorded in the ' +
      "child's access log first.",
  })
  @ApiParam({ name: 'id', description: 'The notification id.', schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({
    name: 'asKnownAt',
    required: false,
    description: 'A date-time with its offset, not in the future; now when absent.',
    example: '2026-11-23T08:05:00Z',
  })
  @ApiOkResponse({
    description: 'The notification as its history stood then.',
    content: { 'application/json': { schema: HISTORY } },
  })
  @Header('Cache-Control', 'no-store')
  @problem(400, 'The id or `asKnownAt` is invalid; `errors` names it and why.')
  @problem(403, 'Your role may not audit.')
  @problem(404, 'No such notification within your audit scope, or it had not been raised by `asKnownAt`.')
  history(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @CurrentAuditor() caller: AuditCaller,
  ): Promise<NotificationHistory> {
    return this.audit.notifications.read(caller, id, query);
  }
}
