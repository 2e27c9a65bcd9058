import { tabularAdapterController, type TabularAdapter } from '@jigsaw/ingest';
import {
  CONCERN_EXPORT_FIELDS,
  CONCERN_EXPORT_SENDER_FIELDS,
  concernExportRow,
} from './concern-export.adapter.js';

const adapter: TabularAdapter = {
  agency: 'education',
  fields: CONCERN_EXPORT_FIELDS,
  senderFields: CONCERN_EXPORT_SENDER_FIELDS,
  toRow: concernExportRow,
};

/** A school's safeguarding concern export, as text/csv or a JSON array. */
export const ConcernExportController = tabularAdapterController(
  'ConcernExportController',
  'v1/adapters/concern-export',
  'Record a school’s safeguarding concern export, one event per row',
  adapter,
);
