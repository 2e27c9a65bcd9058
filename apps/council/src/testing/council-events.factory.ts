import { randomUUID } from 'node:crypto';
import { JigsawError, type FieldProblem } from '@jigsaw/errors';
import { dataschemaFor, type JigsawEnvelope, type RecordedEvent } from '@jigsaw/envelope';
import { agencyDecider, type EventTypeDefinition } from '@jigsaw/ingest';
import { deciderSpec } from '@jigsaw/testing';
import { cinSharing } from '../cin-census/cin-census.record.js';

export const LEEDS = 'urn:jigsaw:org:council:leeds';
export const CHILD_ID = '6f1c1a52-8d3e-4a57-9a52-1b0c3f0d2a11';

export function aCouncilEvent(
  type: string,
  data: Record<string, unknown>,
  time = '2026-03-02T09:00:00Z',
): JigsawEnvelope {
  return {
    specversion: '1.0',
    id: `test-${randomUUID()}`,
    source: LEEDS,
    type,
    time,
    dataschema: dataschemaFor(type, 1),
    subject: { localIds: [{ system: `${LEEDS}/LAchildID`, value: 'LC-1' }] },
    sharing: cinSharing(LEEDS),
    data,
  };
}

export function recorded(envelope: JigsawEnvelope): RecordedEvent {
  return { ...envelope, childid: CHILD_ID, recordedtime: '2026-12-01T00:00:00Z' };
}

const spec = deciderSpec(agencyDecider);

/** Given these events, when this one arrives: the events recorded, or the problems named. */
export function given(history: readonly JigsawEnvelope[]) {
  return {
    when(definition: EventTypeDefinition, envelope: JigsawEnvelope, now = new Date('2026-12-01T12:00:00Z')) {
      const then = spec.given(history.map(recorded)).when({ envelope, definition, childId: CHILD_ID, now });
      return {
        recorded: (): readonly RecordedEvent[] => then.then(() => undefined),
        problems: (): FieldProblem[] => [...(then.thenRefused(JigsawError) as JigsawError).problems],
      };
    },
  };
}

/** The council's control event on one of its earlier records: a retraction, correction, withdrawal... */
export function aCouncilControl(
  kind:
    | 'consent-withdrawn'
    | 'record-restricted'
    | 'restriction-lifted'
    | 'record-retracted'
    | 'record-corrected',
  target: JigsawEnvelope,
  corrections?: Record<string, unknown>,
): JigsawEnvelope {
  const control = aCouncilEvent(`council.${kind}`, {
    targetEventId: target.id,
    reason: 'Entered against the wrong child.',
    ...(corrections ? { corrections } : {}),
  });
  return { ...control, dataschema: `urn:jigsaw:schema:${kind}:v1` };
}
