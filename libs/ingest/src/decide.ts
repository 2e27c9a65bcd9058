import type { DataOf, StoredType } from '@jigsaw/contracts';
import type { FieldProblem } from '@jigsaw/errors';
import type { JigsawEnvelope, RecordedEvent } from '@jigsaw/envelope';
import type { Decider } from '@jigsaw/event-store';
import { validationFailed } from '@jigsaw/http';
import { birthDateProblem } from '@jigsaw/identity';
import { EMPTY_AGENCY_STATE, foldAgencyState, type AgencyState } from './agency-state.js';
import type { EventTypeDefinition, IngestContext } from './event-type.js';

/** Clocks differ between systems; a minute ahead of ours is still "now". */
const CLOCK_SKEW_MS = 60_000;

export function notInFuture(field: string, value: string | undefined, now: Date): FieldProblem[] {
  if (value === undefined) return [];
  const time = Date.parse(value);
  return time > now.getTime() + CLOCK_SKEW_MS ? [{ field, reason: 'must not be in the future' }] : [];
}

/** The one birth-date rule (see birthDateProblem), as the problems of a field. */
export function birthDateProblems(field: string, value: string | undefined, now: Date): FieldProblem[] {
  const reason = value === undefined ? undefined : birthDateProblem(value, now);
  return reason ? [{ field, reason }] : [];
}

/** Pure: the events recording this envelope, or a validation error naming every broken rule. */
export function decide(
  envelope: JigsawEnvelope,
  definition: EventTypeDefinition,
  context: IngestContext,
): RecordedEvent[] {
  const problems = [
    ...notInFuture('time', envelope.time, context.now),
    ...birthDateProblems('subject.birthDate', envelope.subject.birthDate, context.now),
    // The envelope passed its type's schema (validateEnvelope), so its data is the type's.
    ...(definition.rules?.(envelope as JigsawEnvelope<StoredType, DataOf<StoredType>>, context) ?? []),
  ];
  if (envelope.sharing.consent.status !== 'given' && !envelope.sharing.consent.reason?.trim()) {
    problems.push({
      field: 'sharing.consent.reason',
      reason: 'is required whenever sharing goes ahead without consent',
    });
  }
  if (problems.length > 0) throw validationFailed(problems);
  return [{ ...envelope, childid: context.childId, recordedtime: context.now.toISOString() }];
}

/** What ingest decides on: one envelope of a type the agency accepts, for the child planned, at a time. */
export interface IngestCommand {
  envelope: JigsawEnvelope;
  definition: EventTypeDefinition;
  childId: string;
  now: Date;
}

/**
 * The agency write side as a decider over one child's stream: the state the rules see, and `decide`.
 * The single event, transaction and batch paths fold with `foldAgencyState` and decide with `decide`, as
 * this does; it is what the rules' unit tests run.
 */
export const agencyDecider: Decider<AgencyState, IngestCommand, RecordedEvent> = {
  initialState: EMPTY_AGENCY_STATE,
  evolve: (state, event) => foldAgencyState([event], state),
  decide: (state, { envelope, definition, childId, now }) =>
    decide(envelope, definition, { now, childId, state }),
};
