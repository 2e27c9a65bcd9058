import type { FieldProblem } from '@jigsaw/errors';
import type { Agency, JigsawEnvelope, RecordedEvent } from '@jigsaw/envelope';

export interface IngestContext {
  now: Date;
  childId: string;
  /** The events already in this child's stream at this agency, oldest first. */
  history: readonly RecordedEvent[];
}

/** One event type an agency accepts: its schema version, its DTO and its business rules. */
export interface EventTypeDefinition<TData extends object = object> {
  type: string;
  version: number;
  dataDto: new () => TData;
  /** Rules beyond the schema, e.g. a date in the future or an episode ended that never started. */
  rules?(envelope: JigsawEnvelope<string, TData>, context: IngestContext): FieldProblem[];
}

export interface AgencyCatalogue {
  agency: Agency;
  types: readonly EventTypeDefinition[];
}
