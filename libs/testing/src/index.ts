export { aNhsNumber, aUpn } from './identifiers.factory.js';
export {
  anIncidentNotification,
  aPoliceSharingDecision,
  aRecordedEvent,
  METROPOLITAN_POLICE,
} from './events.factory.js';
export {
  createTestDatabase,
  testBrokers,
  testServerUrl,
  uniqueTopicPrefix,
  type TestDatabase,
} from './test-database.js';
export { createTestLogin, onTestServer, type TestLogin } from './test-login.js';
export {
  agencySystemToken,
  DEVELOPMENT_JWT_AUDIENCE,
  DEVELOPMENT_JWT_ISSUER,
  DEVELOPMENT_JWT_SECRET,
  practitionerToken,
  signTestToken,
  type PractitionerClaims,
  type TokenOptions,
} from './tokens.js';
export { freePort, ServiceProcess, startServices, type ServiceName } from './service-process.js';
export {
  newSigningKey,
  OidcIssuer,
  type IssuerAccount,
  type IssuerClient,
  type IssuerKey,
  type IssuerOptions,
} from './oidc-issuer.js';
export { promtool } from './promtool.js';
export { hapiFhirValidator, type FhirValidator } from './hapi-fhir.js';
export { deciderSpec } from './decider.js';
export { eventually, until, type WaitOptions } from './eventually.js';
export { MoveCountingRegistry, RacingStore, racingWriters } from './racing.js';
export { LossyKafkaSockets } from './lossy-kafka-sockets.js';
