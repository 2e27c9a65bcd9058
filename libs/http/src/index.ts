export { bootstrapService, BODY_LIMIT, configureHttp } from './bootstrap.js';
export { HealthController, Readiness, READINESS_CHECKS, type ReadinessCheck } from './health.controller.js';
export { ProblemDetailsFilter, type ProblemDetails } from './problem-details.filter.js';
export { inputHygiene, jsonDepth, MAX_JSON_DEPTH, textProblem, verifyRawBody } from './input-hygiene.js';
export { rateLimit, RateLimitConfig, TokenBuckets } from './rate-limit.js';
export { securityHeaders } from './security-headers.js';
export {
  createValidationPipe,
  fieldProblems,
  mergeProblems,
  validateDto,
  validationFailed,
} from './validation.js';
