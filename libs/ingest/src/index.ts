export { AgencyIngestModule } from './agency-ingest.module.js';
export {
  BatchIngest,
  type BatchItem,
  type BatchReport,
  type BatchRow,
  type EventOutcome,
  type RowOutcome,
} from './batch.js';
export { MAX_BATCH_EVENTS, readCloudEventRequest, type CloudEventRequest } from './cloud-event-http.js';
export { AgencyCaller, type AgencyCallerIdentity } from './caller.js';
export {
  EMPTY_AGENCY_STATE,
  eventIn,
  foldAgencyState,
  markerSetBy,
  type AgencyState,
} from './agency-state.js';
export { agencyDecider, birthDateProblems, decide, notInFuture, type IngestCommand } from './decide.js';
export type { AgencyCatalogue, EventTypeDefinition, IngestContext } from './event-type.js';
export {
  RecordEvent,
  RecordEventHandler,
  RecordTransaction,
  RecordTransactionHandler,
  TransactionEntryRefusedError,
  type RecordEventResult,
} from './record-event.command.js';
export { ChildStreams, INGEST_RACES, streamIdOf, type ChildStream } from './child-stream.js';
export { RecordBatch, RecordBatchHandler } from './record-batch.command.js';
export { AGENCY_CATALOGUE } from './tokens.js';
export { controlEventTypes } from './control-events.js';
export {
  adapterSource,
  inSenderTerms,
  isSpreadsheetFormula,
  parseExportDate,
  parseExportDateTime,
  readAdapterInput,
  rowEventId,
  RowReader,
  type AdapterField,
  type AdapterFormat,
  type AdapterInput,
  type AdapterRecord,
} from './adapter-input.js';
export {
  recordTabular,
  type TabularAdapter,
  type TabularRequest,
  type TabularRowContext,
} from './tabular-adapter.js';
export { ApiSourceQuery, ApiTabularAdapter, BATCH_REPORT_SCHEMA } from './tabular-adapter.openapi.js';
export { tabularAdapterController } from './tabular-adapter.controller.js';
