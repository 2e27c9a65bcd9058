import type { DataOf, StoredType } from '@jigsaw/contracts';
import type { FieldProblem } from '@jigsaw/errors';
import type { Agency, JigsawEnvelope } from '@jigsaw/envelope';
import type { AgencyState } from './agency-state.js';

export interface IngestContext {
  now: Date;
  childId: string;
  /** This child's stream at this agency, folded through the sharing ledger (see AgencyState). */
  state: AgencyState;
}

/**
 * One event type an agency accepts: its schema version and its business rules. Its shape is its schema's
 * under schemas/ (checked by libs/envelope's SchemaRegistry before any rule runs), and `data` in the rules
 * is the type libs/contracts generates from that schema.
 */
export interface EventTypeDefinition<TType extends StoredType = StoredType> {
  type: TType;
  version: number;
  /**
   * Rules beyond the schema, e.g. a date in the future or an episode ended that never started: pure, over
   * the child's state at this agency and the time, both in the context.
   */
  rules?(envelope: JigsawEnvelope<TType, DataOf<TType>>, context: IngestContext): FieldProblem[];
}

export interface AgencyCatalogue {
  agency: Agency;
  types: readonly EventTypeDefinition[];
}
