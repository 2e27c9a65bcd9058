import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { JigsawError, type FieldProblem } from '@jigsaw/errors';
import type { AgencyCallerIdentity } from './caller.js';
import { RecordEvent } from './record-event.command.js';

export interface BatchRow {
  /** 1-based row (CSV line after the header, or array index + 1) as the sender counts it. */
  row: number;
  /** The envelope the adapter built, or the problems that stopped it building one. */
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
 * Records a batch row by row. Each row is one event and one transaction: a row is wholly recorded or not
 * at all, a bad row never blocks the good ones, and re-sending the whole batch is safe (ids are idempotent).
 */
@Injectable()
export class BatchIngest {
  constructor(private readonly commands: CommandBus) {}

  async record(rows: readonly BatchRow[], now: Date, caller?: AgencyCallerIdentity): Promise<BatchReport> {
    const outcomes: RowOutcome[] = [];
    for (const row of rows) {
      if (row.problems && row.problems.length > 0) {
        outcomes.push({ row: row.row, status: 'rejected', code: 'VALIDATION_FAILED', errors: row.problems });
        continue;
      }
      try {
        const result = await this.commands.execute(new RecordEvent(row.envelope, now, caller));
        outcomes.push({ row: row.row, status: result.status, id: result.id });
      } catch (error) {
        if (!(error instanceof JigsawError)) throw error;
        outcomes.push({ row: row.row, status: 'rejected', code: error.code, errors: [...error.problems] });
      }
    }
    return {
      accepted: outcomes.filter((o) => o.status === 'accepted').length,
      duplicates: outcomes.filter((o) => o.status === 'duplicate').length,
      rejected: outcomes.filter((o) => o.status === 'rejected').length,
      rows: outcomes,
    };
  }
}
