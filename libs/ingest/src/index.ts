export { AgencyIngestModule } from './agency-ingest.module.js';
export { BatchIngest, type BatchReport, type BatchRow, type RowOutcome } from './batch.js';
export { AgencyCaller, type AgencyCallerIdentity } from './caller.js';
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
