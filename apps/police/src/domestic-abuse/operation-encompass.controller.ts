import { tabularAdapterController, type TabularAdapter } from '@jigsaw/ingest';
import {
  OPERATION_ENCOMPASS_FIELDS,
  OPERATION_ENCOMPASS_SENDER_FIELDS,
  operationEncompassRow,
} from './operation-encompass.adapter.js';

const adapter: TabularAdapter = {
  agency: 'police',
  fields: OPERATION_ENCOMPASS_FIELDS,
  senderFields: OPERATION_ENCOMPASS_SENDER_FIELDS,
  toRow: operationEncompassRow,
};

/** A force's morning batch of Operation Encompass notifications, as text/csv or a JSON array. */
export const OperationEncompassController = tabularAdapterController(
  'OperationEncompassController',
  'v1/adapters/operation-encompass',
  'Record a force’s Operation Encompass notifications, one event per row',
  adapter,
);
