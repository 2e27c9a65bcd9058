export {
  DuplicateEventError,
  StreamsConflictError,
  StreamVersionConflictError,
} from './event-store.errors.js';
export {
  START,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type GlobalPosition,
  type OutboxRoute,
  type StoredEvent,
  type StoredEventKey,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from './event-store.js';
export {
  connectKurrentDb,
  KurrentDbEventStore,
  kurrentDbAnswers,
  type KurrentDbEventStoreOptions,
} from './kurrentdb-event-store.js';
export {
  KURRENTDB_PUBLISHER_MIGRATIONS,
  KurrentDbPublisher,
  type KurrentDbPublisherOptions,
} from './kurrentdb-publisher.js';
export {
  COMMAND_ATTEMPTS,
  isStoreRace,
  RACE_PAUSE_CAP_MS,
  racePauseMs,
  retryOnRace,
  type RacePolicy,
} from './retry-on-race.js';
export {
  handleCommand,
  type CommandOutcome,
  type Decider,
  type Decision,
  type HandleCommandOptions,
} from './handle-command.js';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
export {
  EVENT_STORE_MIGRATIONS,
  PostgresEventStore,
  type PostgresEventStoreOptions,
} from './postgres-event-store.js';
export {
  IntegritySealer,
  sealIntegrity,
  verifyIntegrity,
  type IntegrityProblem,
  type IntegrityProblemKind,
  type IntegrityReport,
  type IntegritySealerOptions,
  type SealResult,
  type SealSummary,
  type VerifyOptions,
} from './integrity.js';
