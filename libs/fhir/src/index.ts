export {
  FHIR_JSON,
  issuesOf,
  operationOutcome,
  OperationOutcomeFilter,
  outcomeOfProblem,
  type OperationOutcome,
  type OperationOutcomeIssue,
} from './operation-outcome.js';
export { ApiOperationOutcomes, OPERATION_OUTCOME_SCHEMA } from './openapi.js';
