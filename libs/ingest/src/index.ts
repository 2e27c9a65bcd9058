export { AgencyIngestModule } from './agency-ingest.module.js';
export { decide, notInFuture } from './decide.js';
export { EnvelopeDto } from './envelope.dto.js';
export type { AgencyCatalogue, EventTypeDefinition, IngestContext } from './event-type.js';
export {
  RecordEvent,
  RecordEventHandler,
  streamIdOf,
  type RecordEventResult,
} from './record-event.command.js';
export { AGENCY_CATALOGUE } from './tokens.js';
