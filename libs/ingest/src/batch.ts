import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { JigsawError, type FieldProblem } from '@jigsaw/errors';
import { validationFailed } from '@jigsaw/http';
import type { AgencyCallerIdentity } from './caller.js';
import { MAX_BATCH_EVENTS } from './cloud-event-http.js';
import { RecordBatch, type BatchItem, type EventOutcome } from './record-batch.command.js';
import { RecordEvent } from './record-event.command.js';

export type { BatchItem, EventOutcome } from './record-batch.command.js';

export interface BatchRow {
  /** 1-based row (CSV line after the header, or array index + 1) as the sender counts it. */
  row: number;
  /** The CloudEvent the adapter built, or the problems that stopped it building one. */
  envelope?: unknown;
  problems?: FieldProblem[];
}

export type RowOutcome =
  | { row: number; status: 'accepted' | 'duplicate'; id: string }
  | { row: number; status: 'rejected'; code: string; errors: FieldProblem[] };

export interface BatchReport {
  accepted: number;
  duplicates: number;
  rejected: number;
  rows: RowOutcome[];
}

/**
 * Records many events: batched CloudEvents over HTTP and every tabular adapter's rows come through
 * `ingestBatch`. Up to MAX_BATCH_EVENTS at a time go through one set-based pipeline (RecordBatch): one
 * transaction of a few statements for them all. Each event is still recorded wholly or not at all, a bad
 * one never blocks the others, and re-sending the whole batch is safe (ids are idempotent). An event the
 * set leaves undecided (a concurrent writer on its child) is recorded on its own, as POST /v1/events would.
 */
@Injectable()
export class BatchIngest {
  constructor(private readonly commands: CommandBus) {}

  /** Each item's outcome, in order. Only an unexpected failure (the store down) fails the whole call. */
  async ingestBatch(
    items: readonly BatchItem[],
    now: Date,
    caller?: AgencyCallerIdentity,
  ): Promise<EventOutcome[]> {
    const outcomes: EventOutcome[] = [];
    for (let from = 0; from < items.length; from += MAX_BATCH_EVENTS) {
      const chunk = items.slice(from, from + MAX_BATCH_EVENTS);
      const decided = await this.commands.execute(new RecordBatch(chunk, now, caller));
      for (const [i, item] of chunk.entries()) {
        outcomes.push(decided[i] ?? (await this.ingestOne(item, now, caller)));
      }
    }
    return outcomes;
  }

  private async ingestOne(item: BatchItem, now: Date, caller?: AgencyCallerIdentity): Promise<EventOutcome> {
    if ('problems' in item) return { status: 'refused', error: validationFailed(item.problems) };
    try {
      const { status, id } = await this.commands.execute(new RecordEvent(item.event, now, caller));
      return { status, id };
    } catch (error) {
      if (!(error instanceof JigsawError)) throw error;
      return { status: 'refused', error };
    }
  }

  /** A sender's rows, reported by row. */
  async record(rows: readonly BatchRow[], now: Date, caller?: AgencyCallerIdentity): Promise<BatchReport> {
    const items = rows.map((row): BatchItem =>
      row.problems && row.problems.length > 0 ? { problems: row.problems } : { event: row.envelope },
    );
    const outcomes = (await this.ingestBatch(items, now, caller)).map((outcome, i): RowOutcome => {
      const { row } = rows[i]!;
      return outcome.status === 'refused'
        ? { row, status: 'rejected', code: outcome.error.code, errors: [...outcome.error.problems] }
        : { row, status: outcome.status, id: outcome.id };
    });
    return {
      accepted: outcomes.filter((o) => o.status === 'accepted').length,
      duplicates: outcomes.filter((o) => o.status === 'duplicate').length,
      rejected: outcomes.filter((o) => o.status === 'rejected').length,
      rows: outcomes,
    };
  }
}
