export { AgencySystemGuard, type AgencySystemIdentity } from './agency-system.guard.js';
export { authenticate, authenticateRequest, isPublic } from './authenticate.js';
export { CurrentViewer, DefaultPurpose, PractitionerGuard } from './practitioner.guard.js';
export { PrincipalGuard } from './principal.guard.js';
export {
  principalFromClaims,
  type AgencySystemPrincipal,
  type PractitionerPrincipal,
  type Principal,
} from './principal.js';
export { IS_PUBLIC, Public } from './public.decorator.js';
export {
  AuthenticationError,
  bearerTokenOf,
  IssuerUnavailableError,
  MISSING_TOKEN_CHALLENGE,
  TokenVerifier,
  type TokenSettings,
} from './token-verifier.js';
export { claimValues, principalFromIssuerClaims, scopedSubject } from './claim-mapping.js';
export { IssuerSettingsError, mayAssert, parseOidcIssuers, type IssuerSettings } from './oidc-issuers.js';
