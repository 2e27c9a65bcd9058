import { describe, expect, it } from '@jest/globals';
import type { Agency } from '@jigsaw/envelope';
import {
  EXPLOITATION_CONCERN_RAISED,
  MISSING_EPISODE_STARTED,
  SAFEGUARDING_CONCERN_RECORDED,
} from '@jigsaw/contracts';
import { redactionFor } from './redaction.js';
import type { Viewer } from './viewer.js';

const TYPES = [
  'police.missing-episode-started',
  'police.missing-episode-ended',
  'police.exploitation-concern-raised',
  'education.pupil-on-roll',
  'education.key-adult-registered',
  'education.safeguarding-concern-recorded',
  'education.attendance-concern-raised',
  'education.suspension-recorded',
  'education.permanent-exclusion-recorded',
  'education.child-missing-education-reported',
  'education.elective-home-education-notified',
];

const viewer = (agency: Agency): Viewer => ({
  agency,
  organisation: `urn:jigsaw:org:${agency}:x`,
  role: 'designated-safeguarding-lead',
  purpose: 'safeguarding',
  userId: 'u1',
});

describe('police and education redactions', () => {
  it('has a rule for every police and education type', () => {
    expect(TYPES.filter((type) => !redactionFor(type))).toEqual([]);
  });

  it('tells a school that a child is being exploited and whom to call, not the intelligence', () => {
    const data = {
      concernReference: 'CE-1',
      identifiedAt: '2026-11-19T15:00:00Z',
      kind: 'county-lines',
      indicators: ['multiple-phones'],
      summary: 'Stopped out of county with two phones.',
      nrmReferral: true,
      contact: { name: 'DC Example', phone: '020 7230 1212' },
    };
    const redact = redactionFor(EXPLOITATION_CONCERN_RAISED)!;
    expect(redact(data, viewer('education'))).toEqual({
      identifiedAt: data.identifiedAt,
      kind: 'county-lines',
      contact: data.contact,
    });
    expect(redact(data, viewer('council'))).toEqual(data);
  });

  it('shows health that a child is missing and how worried to be, nothing more', () => {
    const data = {
      episodeReference: 'M-1',
      missingSince: '2026-11-20T17:30:00Z',
      reportedAt: '2026-11-20T21:00:00Z',
      riskLevel: 'high',
      summary: 'Did not return.',
    };
    expect(redactionFor(MISSING_EPISODE_STARTED)!(data, viewer('health'))).toEqual({
      missingSince: data.missingSince,
      riskLevel: 'high',
    });
  });

  it("keeps the school's internal actions and the recorder's name from police", () => {
    const data = {
      concernReference: 'CPOMS-1',
      occurredAt: '2026-11-20T10:40:00Z',
      category: 'neglect',
      summary: 'Hungry again.',
      actions: ['Breakfast club'],
      recordedBy: { name: 'Mr Example', role: 'Class teacher' },
    };
    const redact = redactionFor(SAFEGUARDING_CONCERN_RECORDED)!;
    expect(redact(data, viewer('police'))).toEqual({
      occurredAt: data.occurredAt,
      category: 'neglect',
      summary: 'Hungry again.',
    });
    expect(redact(data, viewer('council'))).toMatchObject({ recordedBy: { role: 'Class teacher' } });
    expect(redact(data, viewer('council'))['recordedBy']).toEqual({ role: 'Class teacher' });
  });
});
