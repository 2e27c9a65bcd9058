import { applyDecorators } from '@nestjs/common';
import {
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  type SchemaObject,
} from '@nestjs/swagger';
import { PROBLEM_SCHEMA } from '@jigsaw/http';

const str: SchemaObject = { type: 'string' };
const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
const object = (properties: Record<string, SchemaObject>, optional: string[] = []): SchemaObject => ({
  type: 'object',
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
  properties,
});
const VIEWER = object({ sub: str, organisation: str, role: str }, []);

/** One read of the child's records (access-log.ts AccessLogEntry). */
const ACCESS_LOG_ENTRY = object(
  {
    event: { type: 'string', description: 'The access event, `<source>#<id>`.' },
    at: dateTime,
    recordedAt: dateTime,
    service: { type: 'string', description: '`safeguarding-view` or `audit`.' },
    view: str,
    purpose: str,
    lookup: str,
    viewer: { ...VIEWER, additionalProperties: true },
    shown: {
      type: 'array',
      items: { type: 'object', required: ['event'], properties: { event: str, level: str, reason: str } },
    },
    asKnownAt: { type: 'object' },
    refused: { type: 'string', description: 'A refused read: why nothing was shown (`no-relationship`).' },
  },
  ['lookup', 'asKnownAt', 'refused'],
);

const ACCESS_LOG = object({ childId: str, entries: { type: 'array', items: ACCESS_LOG_ENTRY } });

const AS_KNOWN_AT = object({
  childId: str,
  at: dateTime,
  viewer: object({ organisation: str, agency: str, role: str, purpose: str }),
  entries: {
    type: 'array',
    description: "The viewer's chronology as it stood at `at`, cut as the live view cut it then.",
    items: { type: 'object', required: ['id'], properties: { id: str } },
  },
  withheld: {
    type: 'array',
    items: object({ event: str, source: str, type: str, recordedAt: dateTime, reason: str }),
  },
  recordedLater: { type: 'integer', description: 'Records held now that had not been recorded by `at`.' },
});

const HELD_RECORD = object(
  {
    event: str,
    id: str,
    source: str,
    agency: str,
    type: str,
    time: str,
    recordedAt: dateTime,
    subject: { type: 'object' },
    data: {},
    sharing: { type: 'object' },
    standing: { type: 'object' },
    about: str,
    seenBy: { type: 'array', items: { type: 'object' } },
  },
  ['agency', 'standing', 'about'],
);

const SUBJECT_ACCESS_EXPORT = object({
  childId: str,
  members: { type: 'array', items: str },
  generatedAt: dateTime,
  generatedFor: VIEWER,
  summary: object({
    records: { type: 'integer' },
    sources: { type: 'array', items: str },
    reads: { type: 'integer' },
  }),
  identifiers: { type: 'array', items: object({ source: str, subject: { type: 'object' } }) },
  records: { type: 'array', items: HELD_RECORD },
  accessLog: { type: 'array', items: ACCESS_LOG_ENTRY },
});

const OPERATION = object({
  name: str,
  summary: str,
  usage: str,
  options: { type: 'object', additionalProperties: true },
});

const PROBLEMS: Record<number, string> = {
  400: 'A parameter is missing or invalid; `errors` names each one and why.',
  403: 'Your role may not do this, or the child is not within your audit scope.',
  404: 'No child with that reference is known to the hub.',
};

const problems = (...statuses: (keyof typeof PROBLEMS)[]) =>
  statuses.map((status) =>
    ApiResponse({
      status,
      description: PROBLEMS[status]!,
      content: { 'application/problem+json': { schema: PROBLEM_SCHEMA } },
    }),
  );

const json = (description: string, schema: SchemaObject) =>
  ApiOkResponse({ description, content: { 'application/json': { schema } } });

const CHILD = ApiParam({
  name: 'ref',
  description: 'The child: an NHS number or a hub child id.',
  example: '9434765919',
});

export const ApiAccessLog = () =>
  applyDecorators(
    ApiOperation({ summary: 'Every recorded read of the child, oldest first' }),
    CHILD,
    json('Who read what, when, for what, and what they were shown.', ACCESS_LOG),
    ...problems(400, 403, 404),
  );

export const ApiAsKnownAt = () =>
  applyDecorators(
    ApiOperation({ summary: "What a viewer's chronology showed at a past moment" }),
    CHILD,
    ApiQuery({
      name: 'viewer',
      description: 'The viewing organisation.',
      example: 'urn:jigsaw:org:education:hillside-primary',
    }),
    ApiQuery({ name: 'role', example: 'designated-safeguarding-lead' }),
    ApiQuery({ name: 'purpose', example: 'safeguarding' }),
    ApiQuery({ name: 'at', description: 'A date-time with its offset.', example: '2026-11-21T08:00:00Z' }),
    json('The chronology as it stood, and what was withheld and why.', AS_KNOWN_AT),
    ...problems(400, 403, 404),
  );

export const ApiSubjectAccessExport = () =>
  applyDecorators(
    ApiOperation({
      summary: 'Everything held about the child, who it was shared with and why, and every read',
    }),
    CHILD,
    ApiQuery({
      name: 'format',
      required: false,
      enum: ['json', 'html'],
      description: 'Or `Accept: text/html`.',
    }),
    ApiOkResponse({
      description: 'The export as JSON, or as a readable HTML document.',
      content: {
        'application/json': { schema: SUBJECT_ACCESS_EXPORT },
        'text/html': { schema: { type: 'string' } },
      },
    }),
    ...problems(400, 403, 404),
  );

export const ApiOperationsList = () =>
  applyDecorators(
    ApiOperation({ summary: 'The audit operations your role may run' }),
    json('Each operation with its usage and options.', { type: 'array', items: OPERATION }),
  );

export const ApiOperationRun = () =>
  applyDecorators(
    ApiOperation({ summary: 'Run an audit operation' }),
    ApiParam({ name: 'name', description: 'An operation from `GET /v1/operations`.', example: 'verify' }),
    ApiBody({
      required: false,
      description: "The operation's options by name, as `GET /v1/operations` lists them.",
      schema: { type: 'object', additionalProperties: true, example: {} },
    }),
    json("The operation's result, as its usage describes.", {}),
    ...problems(400, 403),
  );
