import type { ControlKind, DataOf } from '@jigsaw/contracts';
import type { FieldProblem } from '@jigsaw/errors';
import type { Agency, JigsawEnvelope } from '@jigsaw/envelope';
import { isControlEvent } from '@jigsaw/sharing';
import { eventIn } from './agency-state.js';
import type { EventTypeDefinition, IngestContext } from './event-type.js';

/*
 * What every agency may record about its own earlier records, and its decisions not to share: the control
 * kinds of `@jigsaw/contracts`. The data shapes are the ones libs/sharing reads (sharing-state.ts); each
 * kind has one schema shared by all agencies, `urn:jigsaw:schema:<kind>:v1` under schemas/control/.
 */
type TargetedKind = Exclude<ControlKind, 'sharing-declined'>;

/** Each kind's data is its schema's (schemas/control/<kind>/), the same whichever agency sends it. */
type ControlType<K extends ControlKind> = `${Agency}.${K}`;
/**
 * An agency reaches only its own records about this child, and never a control event (nor a protective
 * marker, which is lifted, not retracted): the ledger the read side folds ignores a control event aimed at
 * one, so the write side refuses it.
 */
function targetProblems(
  kind: TargetedKind,
  envelope: JigsawEnvelope<string, DataOf<ControlType<TargetedKind>>>,
  { state }: IngestContext,
): FieldProblem[] {
  const target = eventIn(state, envelope.source, envelope.data.targetEventId);
  if (!target) {
    return [
      {
        field: 'data.targetEventId',
        reason: "must name an earlier event from the same source in this child's record",
      },
    ];
  }
  if (isControlEvent(target.type)) {
    return [{ field: 'data.targetEventId', reason: 'must name a record, not a control event' }];
  }
  if (kind === 'restriction-lifted' && !target.sharing.restricted) {
    return [{ field: 'data.targetEventId', reason: 'names a record that is not restricted' }];
  }
  return [];
}

function targeted<K extends TargetedKind>(agency: Agency, kind: K): EventTypeDefinition<ControlType<K>> {
  return {
    type: `${agency}.${kind}`,
    version: 1,
    rules: (envelope, context) => targetProblems(kind, envelope, context),
  };
}

/** The control event types of one agency, ready to merge into its catalogue. */
export function controlEventTypes(agency: Agency): EventTypeDefinition[] {
  return [
    targeted(agency, 'consent-withdrawn'),
    targeted(agency, 'record-restricted'),
    targeted(agency, 'restriction-lifted'),
    targeted(agency, 'record-retracted'),
    targeted(agency, 'record-corrected'),
    { type: `${agency}.sharing-declined`, version: 1 },
  ];
}
