import type { FieldProblem } from '@jigsaw/errors';
import type { Agency, JigsawEnvelope } from '@jigsaw/envelope';
import type { AgencyState } from './agency-state.js';

export interface IngestContext {
  now: Date;
  childId: string;
  /** This child's stream at this agency, folded through the sharing ledger (see AgencyState). */
  state: AgencyState;
}

/** One event type an agency accepts: its schema version, its DTO and its business rules. */
export interface EventTypeDefinition<TData extends object = object> {
  type: string;
  version: number;
  dataDto: new () => TData;
  /**
   * Rules beyond the schema, e.g. a date in the future or an episode ended that never started: pure, over
   * the child's state at this agency and the time, both in the context.
   */
  rules?(envelope: JigsawEnvelope<string, TData>, context: IngestContext): FieldProblem[];
}

export interface AgencyCatalogue {
  agency: Agency;
  types: readonly EventTypeDefinition[];
}
