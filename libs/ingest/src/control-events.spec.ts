import { describe, expect, it } from '@jest/globals';
import type { JigsawEnvelope, RecordedEvent } from '@jigsaw/envelope';
import { JigsawError, type FieldProblem } from '@jigsaw/errors';
import {
  anIncidentNotification,
  aPoliceSharingDecision,
  deciderSpec,
  METROPOLITAN_POLICE,
} from '@jigsaw/testing';
import { controlEventTypes } from './control-events.js';
import { agencyDecider } from './decide.js';
import type { EventTypeDefinition } from './event-type.js';

const spec = deciderSpec(agencyDecider);
const NOW = new Date('2026-11-21T09:00:00Z');
const CHILD = '7b0d3f0e-2f6c-4b55-9d0a-6a8c0f1e2d3c';
const KENT = 'urn:jigsaw:org:police:kent';
const types = new Map<string, EventTypeDefinition>(controlEventTypes('police').map((t) => [t.type, t]));

const recorded = (envelope: JigsawEnvelope): RecordedEvent => ({
  ...envelope,
  childid: CHILD,
  recordedtime: '2026-11-20T23:00:00Z',
});

const incident = recorded(anIncidentNotification({ id: 'met-oe-1', occurredAt: '2026-11-20T22:00:00Z' }));

function control(
  kind: string,
  data: object,
  id = `ctl-${kind}`,
  source = METROPOLITAN_POLICE,
): JigsawEnvelope {
  return {
    specversion: '1.0',
    id,
    source,
    type: `police.${kind}`,
    time: '2026-11-21T08:30:00Z',
    dataschema: `urn:jigsaw:schema:${kind}:v1`,
    subject: incident.subject,
    sharing: aPoliceSharingDecision({ audience: [{ agency: 'police' }] }),
    data,
  };
}

/** Given a history, when a control event arrives: the events recorded, or the problems refusing it. */
function when(envelope: JigsawEnvelope, history: readonly RecordedEvent[]): RecordedEvent[] | FieldProblem[] {
  const definition = types.get(envelope.type) as EventTypeDefinition;
  try {
    return [
      ...spec
        .given(history)
        .when({ envelope, definition, childId: CHILD, now: NOW })
        .then(() => undefined),
    ];
  } catch (error) {
    if (error instanceof JigsawError) return [...error.problems];
    throw error;
  }
}

const NOT_FOUND = [
  {
    field: 'data.targetEventId',
    reason: "must name an earlier event from the same source in this child's record",
  },
];

describe('control events', () => {
  it('gives every agency the six control kinds, under its own prefix', () => {
    expect([...types.keys()].sort()).toEqual([
      'police.consent-withdrawn',
      'police.record-corrected',
      'police.record-restricted',
      'police.record-retracted',
      'police.restriction-lifted',
      'police.sharing-declined',
    ]);
    expect(controlEventTypes('education').map((t) => t.type)).toContain('education.record-retracted');
  });

  it.each(['consent-withdrawn', 'record-restricted', 'record-retracted'])(
    'records %s of an earlier event from the same source',
    (kind) => {
      const event = control(kind, { targetEventId: 'met-oe-1', reason: 'Entered in error.' });
      expect(when(event, [incident])).toEqual([
        { ...event, childid: CHILD, recordedtime: NOW.toISOString() },
      ]);
    },
  );

  it('records a correction with the fields it replaces', () => {
    const event = control('record-corrected', {
      targetEventId: 'met-oe-1',
      reason: 'Wrong time keyed.',
      corrections: { occurredAt: '2026-11-20T21:00:00Z' },
    });
    expect(when(event, [incident])).toHaveLength(1);
  });

  it('refuses a target that is not in the child’s record', () => {
    expect(when(control('record-retracted', { targetEventId: 'nope', reason: 'x' }), [incident])).toEqual(
      NOT_FOUND,
    );
    expect(when(control('record-retracted', { targetEventId: 'met-oe-1', reason: 'x' }), [])).toEqual(
      NOT_FOUND,
    );
  });

  it('refuses a target another organisation recorded, even with the same id', () => {
    const kents = recorded(anIncidentNotification({ id: 'kent-1', source: KENT }));
    const event = control('record-retracted', { targetEventId: 'kent-1', reason: 'Not ours to retract.' });
    expect(when(event, [kents])).toEqual(NOT_FOUND);
  });

  it('refuses a control event as the target', () => {
    const retraction = recorded(
      control('record-retracted', { targetEventId: 'met-oe-1', reason: 'x' }, 'r1'),
    );
    const event = control('record-restricted', { targetEventId: 'r1', reason: 'Restrict the retraction?' });
    expect(when(event, [incident, retraction])).toEqual([
      { field: 'data.targetEventId', reason: 'must name a record, not a control event' },
    ]);
  });

  it('refuses a protective marker as the target: a marker is lifted, not retracted', () => {
    const marker = recorded({
      ...control('protective-marker-set', { marker: 'concealed-address', reason: 'Refuge.' }, 'm1'),
      dataschema: 'urn:jigsaw:schema:police.protective-marker-set:v1',
    });
    const event = control('record-retracted', { targetEventId: 'm1', reason: 'Set in error.' });
    expect(when(event, [incident, marker])).toEqual([
      { field: 'data.targetEventId', reason: 'must name a record, not a control event' },
    ]);
  });

  it('reaches a retracted record still, as the read side marks it for its owner', () => {
    const retraction = recorded(
      control('record-retracted', { targetEventId: 'met-oe-1', reason: 'x' }, 'r1'),
    );
    const event = control('record-restricted', { targetEventId: 'met-oe-1', reason: 'Restrict it too.' });
    expect(when(event, [incident, retraction])).toHaveLength(1);
  });

  it('lifts only a restriction in force', () => {
    const lift = control(
      'restriction-lifted',
      { targetEventId: 'met-oe-1', reason: 'Review done.' },
      'lift-2',
    );
    const notRestricted = [{ field: 'data.targetEventId', reason: 'names a record that is not restricted' }];
    expect(when(lift, [incident])).toEqual(notRestricted);
    const restricted = recorded(
      control('record-restricted', { targetEventId: 'met-oe-1', reason: 'x' }, 'r1'),
    );
    expect(when(lift, [incident, restricted])).toHaveLength(1);
    const lifted = recorded(control('restriction-lifted', { targetEventId: 'met-oe-1', reason: 'x' }, 'l1'));
    expect(when(lift, [incident, restricted, lifted])).toEqual(notRestricted);
  });

  it('records a decision not to share without any target', () => {
    const event = control('sharing-declined', {
      reason: 'Disclosure would prejudice an ongoing investigation.',
      purpose: 'safeguarding',
      withheldFrom: [{ agency: 'education' }],
    });
    expect(when(event, [])).toHaveLength(1);
  });
});
