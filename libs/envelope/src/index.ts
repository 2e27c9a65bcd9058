export { canonicalJson, contentHash } from './canonical-json.js';
export {
  agencyOfSource,
  dataschemaFor,
  hubSource,
  isHubSource,
  type ChildSubject,
  type JigsawEnvelope,
  type RecordedEvent,
} from './envelope.js';
export { SchemaRegistry } from './schema-registry.js';
export * from './sharing.js';
