import { describe, expect, it } from '@jest/globals';
import type { JigsawEnvelope } from '@jigsaw/envelope';
import { JigsawError, type FieldProblem } from '@jigsaw/errors';
import { agencyDecider, type EventTypeDefinition } from '@jigsaw/ingest';
import { aUpn, deciderSpec } from '@jigsaw/testing';
import { attendanceConcernRaised } from './attendance/attendance-concern-raised.event.js';
import { childMissingEducationReported } from './attendance/child-missing-education-reported.event.js';
import { suspensionRecorded } from './exclusion/suspension-recorded.event.js';
import { pupilOnRoll } from './pupil/pupil-on-roll.event.js';
import { safeguardingConcernRecorded } from './safeguarding-concern/safeguarding-concern-recorded.event.js';

const spec = deciderSpec(agencyDecider);
const NOW = new Date('2026-11-21T16:00:00Z');
const SCHOOL = 'urn:jigsaw:org:education:hillside-primary';

function when(
  definition: EventTypeDefinition,
  data: object,
  subject: JigsawEnvelope['subject'] = { upn: aUpn() },
): 'recorded' | FieldProblem[] {
  const envelope: JigsawEnvelope = {
    specversion: '1.0',
    id: 'e-1',
    source: SCHOOL,
    type: definition.type,
    time: '2026-11-21T08:00:00Z',
    dataschema: `urn:jigsaw:schema:${definition.type}:v1`,
    subject,
    sharing: {
      basis: { lawfulBasis: 'public-task', regime: 'uk-gdpr', specialCategory: false },
      consent: { status: 'not-sought', reason: 'KCSIE' },
      purposes: ['safeguarding'],
      audience: [{ agency: 'council' }],
      sensitivity: 'standard',
      decidedBy: { role: 'DSL', organisation: SCHOOL },
    },
    data,
  };
  try {
    spec
      .given([])
      .when({ envelope, definition, childId: 'c', now: NOW })
      .then(() => undefined);
    return 'recorded';
  } catch (error) {
    if (error instanceof JigsawError) return [...error.problems];
    throw error;
  }
}

const school = { urn: '123456', name: 'Hillside Primary School' };

describe('education rules', () => {
  it('puts a pupil on roll only by UPN', () => {
    expect(when(pupilOnRoll, { school, onRollFrom: '2021-09-01' })).toBe('recorded');
    expect(when(pupilOnRoll, { school, onRollFrom: '2021-09-01' }, { nhsNumber: '9434765919' })).toEqual([
      { field: 'subject.upn', reason: 'is required: pupil-on-roll links a UPN to a school' },
    ]);
  });

  it('refuses a concern dated in the future', () => {
    const concern = {
      concernReference: 'C-1',
      occurredAt: '2026-11-22T09:00:00Z',
      category: 'neglect',
      summary: 'x',
      actions: [],
      recordedBy: { role: 'Teacher' },
    };
    expect(when(safeguardingConcernRecorded, concern)).toEqual([
      { field: 'data.occurredAt', reason: 'must not be in the future' },
    ]);
  });

  it('refuses an attendance period that ends before it starts or in the future', () => {
    expect(
      when(attendanceConcernRaised, {
        attendancePercent: 80,
        period: { from: '2026-09-03', to: '2026-11-20' },
      }),
    ).toBe('recorded');
    expect(
      when(attendanceConcernRaised, {
        attendancePercent: 80,
        period: { from: '2026-11-03', to: '2026-09-20' },
      }),
    ).toEqual([{ field: 'data.period.to', reason: 'must not be before period.from' }]);
    expect(
      when(attendanceConcernRaised, {
        attendancePercent: 80,
        period: { from: '2026-11-03', to: '2026-12-20' },
      }),
    ).toEqual([{ field: 'data.period.to', reason: 'must not be in the future' }]);
  });

  it('counts suspensions in half days', () => {
    expect(when(suspensionRecorded, { startDate: '2026-11-18', days: 1.5, reasonCode: 'PA' })).toBe(
      'recorded',
    );
    expect(when(suspensionRecorded, { startDate: '2026-11-18', days: 1.25, reasonCode: 'PA' })).toEqual([
      { field: 'data.days', reason: 'must be a whole number of half days' },
    ]);
  });

  it('refuses a child last seen after being reported missing from education', () => {
    const report = { reportedOn: '2026-11-13', lastAttendedOn: '2026-11-14', reason: 'other', summary: 'x' };
    expect(when(childMissingEducationReported, report)).toEqual([
      { field: 'data.lastAttendedOn', reason: 'must not be after reportedOn' },
    ]);
  });
});
