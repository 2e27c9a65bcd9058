import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type SchemaObject } from '@nestjs/swagger';
import { FHIR_JSON } from './operation-outcome.js';

/** FHIR R4 OperationOutcome, as much of it as the hub writes (operation-outcome.ts). */
export const OPERATION_OUTCOME_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['resourceType', 'issue'],
  properties: {
    resourceType: { type: 'string', enum: ['OperationOutcome'] },
    issue: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['severity', 'code'],
        properties: {
          severity: { type: 'string', enum: ['fatal', 'error', 'warning', 'information'] },
          code: { type: 'string', description: 'From the FHIR IssueType value set.' },
          details: { type: 'object', properties: { text: { type: 'string' } } },
          diagnostics: { type: 'string' },
          expression: {
            type: 'array',
            items: { type: 'string' },
            description: 'FHIRPath of the element at fault, or `http.<parameter>`.',
          },
        },
      },
    },
  },
};

const DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'The request is refused; each issue names the element at fault by FHIRPath.',
  401: 'No bearer token, or one that is expired, forged or for another audience.',
  403: 'The token does not allow this.',
  409: 'An id already used for other content: nothing of a transaction is recorded.',
  415: 'Not FHIR JSON: the issue names the media types taken.',
};

/** The refusals a FHIR route answers, each an OperationOutcome (`application/fhir+json`). */
export const ApiOperationOutcomes = (...statuses: (keyof typeof DESCRIPTIONS)[]) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status]!,
        content: { [FHIR_JSON]: { schema: OPERATION_OUTCOME_SCHEMA } },
      }),
    ),
  );
