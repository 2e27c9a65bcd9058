export { canonicalJson, contentHash } from './canonical-json.js';
export {
  BATCH_MEDIA_TYPE,
  CLOUD_EVENT_SCHEMA,
  cloudEventField,
  DATA_MEDIA_TYPE,
  ENVELOPE_VERSION,
  envelopeField,
  fromCloudEvent,
  STRUCTURED_MEDIA_TYPE,
  toCloudEvent,
  type CloudEventData,
  type JigsawCloudEvent,
} from './cloud-event.js';
export {
  agencyOfSource,
  dataschemaFor,
  hubSource,
  isHubSource,
  type ChildSubject,
  type JigsawEnvelope,
  type RecordedEvent,
} from './envelope.js';
export { isValidNhsNumber, nhsNumberCheckDigit, nhsNumberProblem } from './nhs-number.js';
export { SchemaRegistry } from './schema-registry.js';
export * from './sharing.js';
export {
  isTemporaryUpn,
  isUnknownUpnCode,
  isValidUpn,
  UNKNOWN_UPN_CODES,
  upnCheckLetter,
  upnProblem,
  type UnknownUpnCode,
} from './upn.js';
export { envelopeVersionOf, readStoredEvent, upcast } from './upcast.js';
