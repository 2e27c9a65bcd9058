import { describe, expect, it } from '@jest/globals';
import type { JigsawEnvelope, RecordedEvent } from '@jigsaw/envelope';
import { JigsawError, type FieldProblem } from '@jigsaw/errors';
import { agencyDecider, type EventTypeDefinition } from '@jigsaw/ingest';
import { aPoliceSharingDecision, deciderSpec, METROPOLITAN_POLICE } from '@jigsaw/testing';
import {
  protectiveMarkerLifted,
  protectiveMarkerSet,
} from '../protective-marker/protective-marker.events.js';
import { missingEpisodeEnded } from './missing-episode-ended.event.js';
import { missingEpisodeStarted } from './missing-episode-started.event.js';

const spec = deciderSpec(agencyDecider);
const NOW = new Date('2026-11-21T09:00:00Z');
const CHILD = '7b0d3f0e-2f6c-4b55-9d0a-6a8c0f1e2d3c';
let ids = 0;

function envelope(type: string, data: object, source = METROPOLITAN_POLICE): JigsawEnvelope {
  return {
    specversion: '1.0',
    id: `e-${++ids}`,
    source,
    type,
    time: '2026-11-21T02:00:00Z',
    dataschema: `urn:jigsaw:schema:${type}:v1`,
    subject: { nhsNumber: '9434765919' },
    sharing: aPoliceSharingDecision(),
    data,
  };
}

const recorded = (e: JigsawEnvelope): RecordedEvent => ({ ...e, childid: CHILD, recordedtime: e.time });

function when(
  definition: EventTypeDefinition,
  event: JigsawEnvelope,
  history: readonly JigsawEnvelope[] = [],
): 'recorded' | FieldProblem[] {
  try {
    spec
      .given(history.map(recorded))
      .when({ envelope: event, definition, childId: CHILD, now: NOW })
      .then(() => undefined);
    return 'recorded';
  } catch (error) {
    if (error instanceof JigsawError) return [...error.problems];
    throw error;
  }
}

const started = (reference = 'MISPER-1', missingSince = '2026-11-20T17:30:00Z'): JigsawEnvelope =>
  envelope('police.missing-episode-started', {
    episodeReference: reference,
    missingSince,
    reportedAt: '2026-11-20T21:00:00Z',
    riskLevel: 'medium',
    summary: 'Did not return from school.',
  });
const ended = (reference = 'MISPER-1', foundAt = '2026-11-21T02:00:00Z', source?: string): JigsawEnvelope =>
  envelope(
    'police.missing-episode-ended',
    { episodeReference: reference, foundAt, howEnded: 'found-by-police', summary: 'Found safe.' },
    source,
  );

describe('missing episodes', () => {
  it('starts an episode', () => {
    expect(when(missingEpisodeStarted, started())).toBe('recorded');
  });

  it('refuses a report made before the child went missing, and times in the future', () => {
    const event = envelope('police.missing-episode-started', {
      episodeReference: 'M',
      missingSince: '2026-11-22T17:30:00Z',
      reportedAt: '2026-11-20T21:00:00Z',
      riskLevel: 'low',
      summary: 'x',
    });
    expect(when(missingEpisodeStarted, event)).toEqual([
      { field: 'data.missingSince', reason: 'must not be in the future' },
      { field: 'data.reportedAt', reason: 'must not be before missingSince' },
    ]);
  });

  it('refuses to open an episode that is already open', () => {
    expect(when(missingEpisodeStarted, started(), [started()])).toEqual([
      { field: 'data.episodeReference', reason: 'names a missing episode that is already open' },
    ]);
  });

  it('ends an episode that started', () => {
    expect(when(missingEpisodeEnded, ended(), [started()])).toBe('recorded');
  });

  it('refuses to end an episode that never started, already ended, or another force opened', () => {
    const none = [
      {
        field: 'data.episodeReference',
        reason: 'names no open missing episode for this child from this source',
      },
    ];
    expect(when(missingEpisodeEnded, ended())).toEqual(none);
    expect(when(missingEpisodeEnded, ended('MISPER-2'), [started()])).toEqual(none);
    expect(when(missingEpisodeEnded, ended(), [started(), ended()])).toEqual(none);
    expect(
      when(missingEpisodeEnded, ended('MISPER-1', undefined, 'urn:jigsaw:org:police:kent'), [started()]),
    ).toEqual(none);
  });

  it('refuses an end before the start', () => {
    expect(when(missingEpisodeEnded, ended('MISPER-1', '2026-11-20T12:00:00Z'), [started()])).toEqual([
      { field: 'data.foundAt', reason: 'must not be before the episode started' },
    ]);
  });
});

describe('missing episodes as they stand', () => {
  const control = (kind: string, target: JigsawEnvelope, data: object = {}): JigsawEnvelope => ({
    ...envelope(`police.${kind}`, { targetEventId: target.id, reason: 'Entered in error.', ...data }),
    dataschema: `urn:jigsaw:schema:${kind}:v1`,
  });
  const none = [
    {
      field: 'data.episodeReference',
      reason: 'names no open missing episode for this child from this source',
    },
  ];

  it('given a retracted start, when the episode starts again, then it is recorded, and its old end is refused', () => {
    const first = started();
    expect(when(missingEpisodeStarted, started(), [first, control('record-retracted', first)])).toBe(
      'recorded',
    );
    expect(when(missingEpisodeEnded, ended(), [first, control('record-retracted', first)])).toEqual(none);
  });

  it('given a retracted end, when the episode ends again, then it is recorded: the episode is open again', () => {
    const first = started();
    const end = ended();
    expect(when(missingEpisodeEnded, ended(), [first, end, control('record-retracted', end)])).toBe(
      'recorded',
    );
  });

  it('given a corrected start time, when the end comes before it, then the corrected time is the one checked', () => {
    const first = started();
    const corrected = control('record-corrected', first, {
      corrections: { missingSince: '2026-11-21T01:00:00Z' },
    });
    expect(when(missingEpisodeEnded, ended('MISPER-1', '2026-11-21T00:30:00Z'), [first])).toBe('recorded');
    expect(when(missingEpisodeEnded, ended('MISPER-1', '2026-11-21T00:30:00Z'), [first, corrected])).toEqual([
      { field: 'data.foundAt', reason: 'must not be before the episode started' },
    ]);
  });

  it('given a start whose consent was withdrawn, then the episode is still open for police', () => {
    const first = started();
    const withdrawn = [first, control('consent-withdrawn', first)];
    expect(when(missingEpisodeEnded, ended(), withdrawn)).toBe('recorded');
    expect(when(missingEpisodeStarted, started(), withdrawn)).toEqual([
      { field: 'data.episodeReference', reason: 'names a missing episode that is already open' },
    ]);
  });
});

describe('protective markers', () => {
  const set = (): JigsawEnvelope =>
    envelope('police.protective-marker-set', { marker: 'concealed-address', reason: 'Refuge.' });
  const lifted = (): JigsawEnvelope =>
    envelope('police.protective-marker-lifted', { marker: 'concealed-address', reason: 'No longer needed.' });

  it('sets a marker once and lifts only one that is set', () => {
    expect(when(protectiveMarkerSet, set())).toBe('recorded');
    expect(when(protectiveMarkerSet, set(), [set()])).toEqual([
      { field: 'data.marker', reason: 'is already set on this child by this organisation' },
    ]);
    expect(when(protectiveMarkerLifted, lifted(), [set()])).toBe('recorded');
    expect(when(protectiveMarkerLifted, lifted(), [set(), lifted()])).toEqual([
      { field: 'data.marker', reason: 'is not set on this child by this organisation' },
    ]);
  });

  it("reads each organisation's markers from the sharing ledger: another force's marker is not this one's", () => {
    const kents = envelope(
      'police.protective-marker-set',
      { marker: 'concealed-address', reason: 'Refuge.' },
      'urn:jigsaw:org:police:kent',
    );
    expect(when(protectiveMarkerSet, set(), [kents])).toBe('recorded');
    expect(when(protectiveMarkerLifted, lifted(), [kents])).toEqual([
      { field: 'data.marker', reason: 'is not set on this child by this organisation' },
    ]);
  });
});
