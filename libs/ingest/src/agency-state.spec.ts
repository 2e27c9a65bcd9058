import { describe, expect, it } from '@jest/globals';
import type { JigsawEnvelope, RecordedEvent } from '@jigsaw/envelope';
import { anIncidentNotification, aPoliceSharingDecision, METROPOLITAN_POLICE } from '@jigsaw/testing';
import { foldAgencyState } from './agency-state.js';

const recorded = (envelope: JigsawEnvelope): RecordedEvent => ({
  ...envelope,
  childid: '7b0d3f0e-2f6c-4b55-9d0a-6a8c0f1e2d3c',
  recordedtime: '2026-11-21T00:00:00Z',
});
const incident = recorded(anIncidentNotification({ id: 'met-oe-1', occurredAt: '2026-11-20T22:00:00Z' }));
const control = (kind: string, data: object, id: string): RecordedEvent =>
  recorded({
    ...anIncidentNotification({ id }),
    source: METROPOLITAN_POLICE,
    type: `police.${kind}`,
    dataschema: `urn:jigsaw:schema:${kind}:v1`,
    sharing: aPoliceSharingDecision({ audience: [{ agency: 'police' }] }),
    data: { targetEventId: 'met-oe-1', reason: 'Wrong time keyed.', ...data },
  });

describe('the agency state', () => {
  it('holds each record once, however often the same event is folded', () => {
    const once = foldAgencyState([incident]);
    expect(foldAgencyState([incident], once).records).toEqual([incident]);
    expect(foldAgencyState([incident, incident]).records).toEqual([incident]);
  });

  it('applies a correction, then drops the record when it is retracted, whether folded at once or one by one', () => {
    const corrected = control(
      'record-corrected',
      { corrections: { occurredAt: '2026-11-20T21:00:00Z' } },
      'c1',
    );
    const retracted = control('record-retracted', {}, 'r1');
    const afterCorrection = foldAgencyState([incident, corrected]);
    expect(afterCorrection.records).toEqual([
      { ...incident, data: { ...(incident.data as object), occurredAt: '2026-11-20T21:00:00Z' } },
    ]);
    expect(foldAgencyState([retracted], afterCorrection).records).toEqual([]);
    expect(foldAgencyState([incident, corrected, retracted]).records).toEqual([]);
  });
});
