export { admission, AdmissionConfig } from './admission.js';
export { allowOrigins, corsFor, IsOriginList } from './cors.middleware.js';
export { bootstrapService, BODY_LIMIT, configureHttp } from './bootstrap.js';
export { httpTelemetry, metricsRoute, routeOf, UNMATCHED_ROUTE } from './http-telemetry.js';
export { HealthController, Readiness, READINESS_CHECKS, type ReadinessCheck } from './health.controller.js';
export { problemOf, ProblemDetailsFilter, type ProblemDetails } from './problem-details.filter.js';
export {
  createOpenApiDocument,
  DOCS_JSON_PATH,
  DOCS_PATH,
  operationsOf,
  PROBLEM_SCHEMA,
  setupOpenApi,
} from './openapi.js';
export { ApiProblems, ApiPurposeQuery } from './openapi-problems.js';
export { inputHygiene, jsonDepth, MAX_JSON_DEPTH, textProblem, verifyRawBody } from './input-hygiene.js';
export { rateLimit, RateLimitConfig, TokenBuckets } from './rate-limit.js';
export { securityHeaders, type SecurityHeaderOptions } from './security-headers.js';
export {
  createValidationPipe,
  fieldProblems,
  mergeProblems,
  validateDto,
  validationFailed,
} from './validation.js';
export { handleShutdownSignals, refuseWhenClosing, ShutdownConfig, shuttingDown } from './shutdown.js';
