export {
  CHILD_ERASED,
  childErased,
  childErasedEventId,
  ERASURE_SOURCE,
  erasureStreamOf,
  erasureTopic,
  isChildErased,
  type ChildErasedData,
  type ErasureActor,
} from './child-erased.event.js';
export { ChildKeys, type ChildKey } from './child-keys.js';
export { openMessages } from './open-messages.js';
export { consumeRecords, recordTopics } from './record-consumer.js';
export { OpeningEventStore } from './opening-event-store.js';
export { masterKeyFrom, PersonalDataUnreadableError, type MasterKey } from './personal-data-crypto.js';
export { KEPT_FIELDS, PERSONAL_DATA_FIELDS, personalPathsOf } from './personal-data-fields.js';
export {
  ERASED_MARKER,
  erasePersonalData,
  HUB_CHILD_ID_SYSTEM,
  hubSubject,
  isErased,
  isSealed,
  SEALED_MARKER,
  type ErasedPersonalData,
  type PersonalDataAttribute,
  type ProtectedEvent,
  type SealedPersonalData,
} from './personal-data.js';
export {
  eraseChild,
  PersonalDataVault,
  type ChildErasure,
  type PersonalDataVaultOptions,
} from './personal-data-vault.js';
export { recordedExamples } from './testing/schema-examples.js';
