import { describe, expect, it } from '@jest/globals';
import type { ProblemDetails } from '@jigsaw/http';
import { outcomeOfProblem } from './operation-outcome.js';

const problem = (status: number, detail: string, code?: string): ProblemDetails => ({
  type: 'urn:jigsaw:problem:test',
  title: 'Test',
  status,
  detail,
  instance: '/v1/adapters/fhir',
  ...(code ? { code } : {}),
});

describe('a refusal as an OperationOutcome', () => {
  it('calls an identity provider that is down a transient issue, which the client may retry', () => {
    const detail = 'the identity provider http://127.0.0.1:1 does not answer: try again later';
    expect(outcomeOfProblem(problem(503, detail, 'ISSUER_UNAVAILABLE'))).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'fatal', code: 'transient', details: { text: detail }, diagnostics: detail }],
    });
  });

  it('keeps exception for a server error that waiting does not mend, and login for a refused token', () => {
    expect(outcomeOfProblem(problem(500, 'unexpected')).issue[0]!.code).toBe('exception');
    expect(outcomeOfProblem(problem(401, 'the bearer token has expired')).issue).toEqual([
      expect.objectContaining({ severity: 'error', code: 'login' }),
    ]);
  });
});
