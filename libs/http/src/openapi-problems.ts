import { applyDecorators } from '@nestjs/common';
import { ApiQuery, ApiResponse } from '@nestjs/swagger';
import { PURPOSES } from '@jigsaw/envelope';
import { PROBLEM_SCHEMA } from './openapi.js';

type ProblemStatus = 400 | 401 | 403 | 404 | 409;

const DESCRIPTIONS: Record<ProblemStatus, string> = {
  400: 'A parameter is missing or invalid; `errors` names each one and why.',
  401: 'No bearer token, or one that is expired, forged or for another audience.',
  403: "The token is not a practitoner's, or does not grant the purpose asked for.",
  404: 'No child with that reference is known to the hub.',
  409: 'The request conflicts with what the hub already recorded; `detail` says how.',
};

const EXAMPLES: Record<ProblemStatus, (path: string) => Record<string, unknown>> = {
  400: (path) => ({
    type: 'urn:jigsaw:problem:validation-failed',
    title: 'Bad Request',
    status: 400,
    detail: 'invalid input: limit',
    instance: path,
    code: 'VALIDATION_FAILED',
    errors: [{ field: 'limit', reason: 'must not be greater than 200' }],
  }),
  401: (path) => ({
    type: 'urn:jigsaw:problem:unauthenticated',
    title: 'Unauthorized',
    status: 401,
    detail: 'the bearer token has expired',
    instance: path,
    code: 'UNAUTHENTICATED',
  }),
  403: (path) => ({
    type: 'urn:jigsaw:problem:forbidden',
    title: 'Forbidden',
    status: 403,
    detail: 'the token does not grant this purpose',
    instance: path,
    code: 'FORBIDDEN',
    errors: [{ field: 'purpose', reason: 'is not among the purposes granted to this sign-in' }],
  }),
  404: (path) => ({
    type: 'urn:jigsaw:problem:child-not-found',
    title: 'Not Found',
    status: 404,
    detail: 'no child with that NHS number is known to the hub',
    instance: path,
    code: 'CHILD_NOT_FOUND',
  }),
  409: (path) => ({
    type: 'urn:jigsaw:problem:duplicate-event-conflict',
    title: 'Conflict',
    status: 409,
    detail: 'a review with that reference is already recorded',
    instance: path,
    code: 'DUPLICATE_EVENT_CONFLICT',
    errors: [{ field: 'reference', reason: 'is already used for this child' }],
  }),
};

/**
 * The problem+json answers a route gives, each with an example; `path` is an example request path. A
 * status given as `[status, description]` says in the route's own words when it answers so.
 */
export function ApiProblems(
  path: string,
  ...statuses: (ProblemStatus | [ProblemStatus, string])[]
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((given) => {
      const [status, description] = Array.isArray(given) ? given : [given, DESCRIPTIONS[given]];
      return ApiResponse({
        status,
        description,
        content: { 'application/problem+json': { schema: PROBLEM_SCHEMA, example: EXAMPLES[status](path) } },
      });
    }),
  );
}

/** `?purpose=`, which every practitioner's request states (PractitionerGuard). */
export const ApiPurposeQuery = () =>
  ApiQuery({
    name: 'purpose',
    required: true,
    enum: PURPOSES,
    description: 'Why you ask: one of the purposes your sign-in grants.',
  });
