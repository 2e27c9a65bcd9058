import { Catch } from '@nestjs/common';
import type { Response } from 'express';
import type { FieldProblem } from '@jigsaw/errors';
import { ProblemDetailsFilter, type ProblemDetails } from '@jigsaw/http';

export const FHIR_JSON = 'application/fhir+json';

/** FHIR R4 OperationOutcome (hl7.org/fhir/R4/operationoutcome.html), as much of it as the hub writes. */
export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
}

export interface OperationOutcomeIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  /** From the IssueType value set (hl7.org/fhir/R4/valueset-issue-type.html). */
  code: string;
  details?: { text: string };
  diagnostics?: string;
  /** FHIRPath of the element at fault (`Bundle.entry[1].resource.period.start`), or `http.<parameter>`. */
  expression?: string[];
}

const CODE_OF_STATUS: Readonly<Record<number, string>> = {
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  410: 'deleted',
  413: 'too-costly',
  415: 'not-supported',
  429: 'throttled',
  // A service or an identity provider it depends on is down for now: the same request may succeed later.
  503: 'transient',
};

/** Where a problem's field lies: in the Bundle (FHIRPath from `Bundle`), or an HTTP parameter. */
function expressionOf(field: string): string {
  if (field === '(body)') return 'Bundle';
  if (field === 'resourceType' || field === 'type' || field === 'entry' || field.startsWith('entry['))
    return `Bundle.${field}`;
  return `http.${field}`;
}

/** One issue per field problem: `required` when the element is missing, `invalid` otherwise. */
export function issuesOf(problems: readonly FieldProblem[], status = 400): OperationOutcomeIssue[] {
  return problems.map((p) => ({
    severity: 'error',
    code: CODE_OF_STATUS[status] ?? (p.reason.startsWith('is required') ? 'required' : 'invalid'),
    details: { text: p.reason },
    diagnostics: `${p.field} ${p.reason}`,
    expression: [expressionOf(p.field)],
  }));
}

export function operationOutcome(issue: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue };
}

/** A refusal as FHIR clients read one: an OperationOutcome, with an issue per field when there are any. */
export function outcomeOfProblem(problem: ProblemDetails): OperationOutcome {
  if (problem.errors && problem.errors.length > 0)
    return operationOutcome(issuesOf(problem.errors, problem.status));
  return operationOutcome([
    {
      severity: problem.status >= 500 ? 'fatal' : 'error',
      code: CODE_OF_STATUS[problem.status] ?? (problem.status >= 500 ? 'exception' : 'processing'),
      details: { text: problem.detail },
      diagnostics: problem.detail,
    },
  ]);
}

/** Every refusal on the FHIR routes leaves as an OperationOutcome, `application/fhir+json`. */
@Catch()
export class OperationOutcomeFilter extends ProblemDetailsFilter {
  protected override send(response: Response, problem: ProblemDetails): void {
    response
      .status(problem.status)
      .type(FHIR_JSON)
      .send(JSON.stringify(outcomeOfProblem(problem)));
  }
}
