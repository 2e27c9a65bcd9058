import { describe, expect, it } from '@jest/globals';
import type { Agency, RecordedEvent } from '@jigsaw/envelope';
import { redactionFor } from './redaction.js';
import { redactRelated } from './testing/related.js';
import type { Viewer } from './viewer.js';

const TYPES = [
  'council.referral-received',
  'council.referral-decided',
  'council.assessment-started',
  'council.assessment-completed',
  'council.child-in-need-plan-started',
  'council.child-in-need-plan-ended',
  'council.child-protection-plan-started',
  'council.child-protection-plan-ended',
  'council.looked-after-started',
  'council.looked-after-ended',
  'council.family-help-episode-opened',
  'council.family-help-episode-closed',
  'council.lead-practitioner-assigned',
  'health.unscheduled-care-attended',
  'health.was-not-brought',
  'health.practitioner-concern-raised',
  'health.pre-birth-concern-raised',
  'health.birth-linked',
  'health.mental-health-referral-made',
];

const viewer = (agency: Agency, role: Viewer['role'] = 'designated-safeguarding-lead'): Viewer => ({
  agency,
  organisation: `urn:jigsaw:org:${agency}:x`,
  role,
  purpose: 'safeguarding',
  userId: 'u1',
});
const cut = (type: string, data: Record<string, unknown>, agency: Agency): Record<string, unknown> =>
  redactionFor(type)!(data, viewer(agency));

const contact = { team: 'East', phone: '0113 222 4403', outOfHoursPhone: '0113 240 9536' };
const cpPlan = { startDate: '2026-06-02', category: 'NEG', contact };

describe('council and health redactions', () => {
  it('has a rule for every council and health type', () => {
    expect(TYPES.filter((type) => !redactionFor(type))).toEqual([]);
  });

  it('shows a clinician the CP-IS flag: on a plan since when, and whom to call, not the category', () => {
    const plan: RecordedEvent = {
      specversion: '1.0',
      id: 'cin-cpp-1',
      source: 'urn:jigsaw:org:council:leeds',
      type: 'council.child-protection-plan-started',
      time: '2026-06-02T00:00:00Z',
      dataschema: 'urn:jigsaw:schema:council.child-protection-plan-started:v1',
      subject: { nhsNumber: '9434765919' },
      sharing: {
        basis: {
          lawfulBasis: 'public-task',
          regime: 'uk-gdpr',
          specialCategory: true,
          condition: 'dpa-2018-sch1-para18',
        },
        consent: { status: 'not-sought', reason: 'Statutory' },
        purposes: ['safeguarding', 'child-protection'],
        audience: [{ agency: 'health' }, { agency: 'education' }, { agency: 'police' }],
        sensitivity: 'sensitive',
        decidedBy: { role: 'adapter', organisation: 'urn:jigsaw:org:council:leeds' },
      },
      data: cpPlan,
      childid: 'c1',
      recordedtime: '2026-06-02T00:00:01Z',
    };
    const seen = redactRelated(
      viewer('health', 'clinician'),
      plan,
      { corrections: {}, corrected: [], markers: [] },
      new Date('2026-06-03T00:00:00Z'),
    );
    expect(seen?.data).toEqual({ startDate: '2026-06-02', contact });
    expect(seen?.subject).toBeUndefined();
  });

  it('tells a school the same as a clinician, and police the category too', () => {
    expect(cut('council.child-protection-plan-started', cpPlan, 'education')).toEqual({
      startDate: '2026-06-02',
      contact,
    });
    expect(cut('council.child-protection-plan-started', cpPlan, 'police')).toEqual(cpPlan);
  });

  it('shows everyone the legal status of a child in care, since it says who may consent', () => {
    for (const agency of ['health', 'education', 'police'] as const) {
      expect(
        cut('council.looked-after-started', { startDate: '2026-07-14', legalStatus: 'C2' }, agency),
      ).toEqual({
        startDate: '2026-07-14',
        legalStatus: 'C2',
      });
    }
  });

  it('keeps assessment factors with councils', () => {
    const done = {
      startDate: '2026-03-03',
      endDate: '2026-04-10',
      outcome: 'child-in-need-plan',
      factors: ['2A'],
    };
    expect(cut('council.assessment-completed', done, 'education')).not.toHaveProperty('factors');
    expect(cut('council.assessment-completed', done, 'council')).toHaveProperty('factors');
  });

  it('gives the council an attendance with its coded reason, and a school or police nothing of it', () => {
    const attendance = {
      setting: 'emergency-department',
      arrivedAt: '2026-11-21T01:20:00Z',
      reason: { system: 'http://snomed.info/sct', code: '125605004', display: 'Fracture of bone' },
      site: { name: 'Leeds General Infirmary', odsCode: 'RR801' },
      outcome: 'admitted',
    };
    expect(cut('health.unscheduled-care-attended', attendance, 'council')).toEqual(attendance);
    expect(cut('health.unscheduled-care-attended', attendance, 'education')).toEqual({});
    expect(cut('health.unscheduled-care-attended', attendance, 'police')).toEqual({});
  });

  it("tells a school that the school nurse raised a concern and of what kind, not the clinician's summary", () => {
    const concern = {
      raisedAt: '2026-11-18T13:05:00Z',
      role: 'school-nurse',
      category: 'self-harm',
      summary: 'Disclosed self-harm.',
    };
    expect(cut('health.practitioner-concern-raised', concern, 'education')).toEqual({
      raisedAt: '2026-11-18T13:05:00Z',
      role: 'school-nurse',
      category: 'self-harm',
    });
  });

  it("keeps a mental health referral's summary and the pregnancy's local id in health", () => {
    const referral = {
      referredAt: '2026-10-03T15:00:00Z',
      service: 'CAMHS',
      urgency: 'urgent',
      summary: 'Self-harm.',
    };
    expect(cut('health.mental-health-referral-made', referral, 'council')).toEqual({
      referredAt: '2026-10-03T15:00:00Z',
      service: 'CAMHS',
      urgency: 'urgent',
    });
    const link = { birthDate: '2026-12-12', unbornRef: { system: 'x/pregnancy', value: 'PREG-1' } };
    expect(cut('health.birth-linked', link, 'council')).toEqual({ birthDate: '2026-12-12' });
  });
});
