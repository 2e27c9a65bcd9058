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
export { freePort, ServiceProcess, type ServiceName } from './service-process.js';
