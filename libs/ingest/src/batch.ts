import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { JigsawError, type FieldProblem } from '@jigsaw/errors';
import { validationFailed } from '@jigsaw/http';
import type { AgencyCallerIdentity } from './caller.js';
import { RecordEvent } from './record-event.command.js';

/** One event of a batch: a CloudEvent to record, or the problems that stopped a sender's row being one. */
export type BatchItem = { event: unknown } | { problems: readonly FieldProblem[] };

/** What became of one event of a batch; the same answer as POST /v1/events gives for it alone. */
export type EventOutcome =
  { status: 'accepted' | 'duplicate'; id: string } | { status: 'refused'; error: JigsawError };

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
 * `ingestBatch`. Each event is one RecordEvent and one transaction: it is wholly recorded or not at all,
 * a bad one never blocks the others, and re-sending the whole batch is safe (ids are idempotent).
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
    for (const item of items) outcomes.push(await this.ingestOne(item, now, caller));
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
