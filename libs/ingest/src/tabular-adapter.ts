import { envelopeField, type Agency } from '@jigsaw/envelope';
import {
  adapterSource,
  inSenderTerms,
  readAdapterInput,
  type AdapterField,
  type AdapterRecord,
} from './adapter-input.js';
import type { BatchIngest, BatchReport, BatchRow } from './batch.js';
import type { AgencyCallerIdentity } from './caller.js';

export interface TabularRowContext {
  source: string;
  idSecret: string;
  now: Date;
}

/** A sender's table (CSV, or a JSON array of flat records) that becomes one event per row. */
export interface TabularAdapter {
  agency: Agency;
  fields: readonly AdapterField[];
  /**
   * Envelope field (as the hub names it: `subject.upn`, `data.summary`) → the sender's own field key, so
   * rejected rows are explained in the sender's terms.
   */
  senderFields: Readonly<Record<string, string>>;
  /** One row as a CloudEvent (`envelope`), or the problems that stop it being one. */
  toRow(record: AdapterRecord, nameOf: (key: string) => string, context: TabularRowContext): BatchRow;
}

export interface TabularRequest {
  body: unknown;
  contentType: string | undefined;
  querySource: string | undefined;
  caller: AgencyCallerIdentity | undefined;
  idSecret: string;
}

/** Reads the table, records each row as its own transaction, and reports per row in the sender's terms. */
export async function recordTabular(
  batch: BatchIngest,
  adapter: TabularAdapter,
  request: TabularRequest,
): Promise<BatchReport> {
  const now = new Date();
  const source = adapterSource(request.caller, request.querySource, adapter.agency);
  const input = readAdapterInput(request.body, request.contentType, adapter.fields);
  const context = { source, idSecret: request.idSecret, now };
  const rows = input.records.map((record) => adapter.toRow(record, input.nameOf, context));
  const report = await batch.record(rows, now, request.caller);
  return inSenderTerms(report, (field) => {
    const key = adapter.senderFields[envelopeField(field)];
    return key === undefined ? undefined : input.nameOf(key);
  });
}
