import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { PROBLEM_SCHEMA } from '@jigsaw/http';
import type { AdapterField } from './adapter-input.js';

const FIELD_PROBLEMS_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    required: ['field', 'reason'],
    properties: { field: { type: 'string' }, reason: { type: 'string' } },
  },
};

/** The report `recordTabular` answers with (batch.ts BatchReport). */
export const BATCH_REPORT_SCHEMA = {
  type: 'object',
  required: ['accepted', 'duplicates', 'rejected', 'rows'],
  properties: {
    accepted: { type: 'integer' },
    duplicates: { type: 'integer' },
    rejected: { type: 'integer' },
    rows: {
      type: 'array',
      items: {
        type: 'object',
        required: ['row', 'status'],
        properties: {
          row: { type: 'integer', description: '1-based, as the sender counts rows.' },
          status: { type: 'string', enum: ['accepted', 'duplicate', 'rejected'] },
          id: { type: 'string' },
          code: { type: 'string' },
          errors: FIELD_PROBLEMS_SCHEMA,
        },
      },
    },
  },
};

/** `?source=`: the sending organisation, for a caller whose token does not name it. */
export const ApiSourceQuery = () =>
  ApiQuery({
    name: 'source',
    required: false,
    description: 'The sending organisation, when the token is not an agency system’s (which names it).',
  });

/**
 * The OpenAPI description of a tabular adapter route: its rows as a JSON array or as CSV with the
 * adapter's columns, the per-row report, and the refusal of a batch that cannot be read.
 */
export const ApiTabularAdapter = (summary: string, fields: readonly AdapterField[]) =>
  applyDecorators(
    ApiOperation({ summary }),
    ApiSourceQuery(),
    ApiConsumes('application/json', 'text/csv'),
    ApiBody({
      description:
        'A JSON array of rows, or CSV whose header names the columns: ' +
        fields.map((f) => `\`${f.column}\`${f.required ? ' (required)' : ''}`).join(', ') +
        '. In JSON, each row names the same fields by key.',
      schema: {
        type: 'array',
        items: {
          type: 'object',
          required: fields.filter((f) => f.required).map((f) => f.key),
          properties: Object.fromEntries(
            fields.map((f) => [f.key, { description: `CSV column \`${f.column}\`` }]),
          ),
        },
      },
    }),
    ApiOkResponse({
      description: 'The batch was read: a report per row, accepted, duplicate or rejected with each field.',
      content: { 'application/json': { schema: BATCH_REPORT_SCHEMA } },
    }),
    ApiResponse({
      status: 400,
      description: 'The batch cannot be read (not CSV or JSON, a missing column); nothing is recorded.',
      content: { 'application/problem+json': { schema: PROBLEM_SCHEMA } },
    }),
  );
