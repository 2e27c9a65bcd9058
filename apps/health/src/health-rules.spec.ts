import { describe, expect, it } from '@jest/globals';
import {
  BIRTH_LINKED,
  MENTAL_HEALTH_REFERRAL_MADE,
  PRE_BIRTH_CONCERN_RAISED,
  UNSCHEDULED_CARE_ATTENDED,
  WAS_NOT_BROUGHT,
} from '@jigsaw/contracts';
import type { FieldProblem } from '@jigsaw/errors';
import { dataschemaFor, type ChildSubject, type JigsawEnvelope } from '@jigsaw/envelope';
import { agencyDecider, type EventTypeDefinition } from '@jigsaw/ingest';
import { aNhsNumber, deciderSpec } from '@jigsaw/testing';
import { fhirSharing } from './fhir/fhir-bundle.mapping.js';
import { mentalHealthReferralMade } from './mental-health/mental-health-referral-made.event.js';
import { birthLinked, preBirthConcernRaised } from './pre-birth/pre-birth.events.js';
import { unscheduledCareAttended } from './unscheduled-care/unscheduled-care-attended.event.js';
import { wasNotBrought } from './was-not-brought/was-not-brought.event.js';

const TRUST = 'urn:jigsaw:org:health:leeds-teaching-hospitals';
const spec = deciderSpec(agencyDecider);
const NOW = new Date('2026-12-01T12:00:00Z');
const PREGNANCY = { system: `${TRUST}/pregnancy`, value: 'PREG-2026-0815' };

function anEvent(
  type: string,
  data: Record<string, unknown>,
  subject: ChildSubject = { nhsNumber: aNhsNumber() },
): JigsawEnvelope {
  return {
    specversion: '1.0',
    id: 'lth-1',
    source: TRUST,
    type,
    time: '2026-11-21T01:20:00Z',
    dataschema: dataschemaFor(type, 1),
    subject,
    sharing: fhirSharing(TRUST),
    data,
  };
}

function problems(definition: EventTypeDefinition, envelope: JigsawEnvelope): FieldProblem[] {
  try {
    spec
      .given([])
      .when({ envelope, definition, childId: 'c', now: NOW })
      .then(() => undefined);
    return [];
  } catch (error) {
    return [...(error as { problems: FieldProblem[] }).problems];
  }
}

const attendance = anEvent(UNSCHEDULED_CARE_ATTENDED, {
  setting: 'emergency-department',
  arrivedAt: '2026-11-21T01:20:00Z',
  reason: { system: 'http://snomed.info/sct', code: '125605004', display: 'Fracture of bone' },
  site: { name: 'Leeds General Infirmary', odsCode: 'RR801' },
});

describe('health data is special category', () => {
  it('given sharing as special category with a condition, then an attendance is recorded', () => {
    expect(problems(unscheduledCareAttended, attendance)).toEqual([]);
  });

  it.each(
    [unscheduledCareAttended, wasNotBrought, mentalHealthReferralMade].map((d) => [d.type, d] as const),
  )(
    'refuses %s claiming not to be special category, naming sharing.basis.specialCategory',
    (_type, definition) => {
      const event = {
        ...attendance,
        type: definition.type,
        sharing: {
          ...attendance.sharing,
          basis: { lawfulBasis: 'public-task' as const, regime: 'uk-gdpr' as const, specialCategory: false },
        },
      };
      expect(problems(definition, event)).toContainEqual({
        field: 'sharing.basis.specialCategory',
        reason:
          'must be true: health data is special category and needs a condition (e.g. dpa-2018-sch1-para18)',
      });
    },
  );

  it('refuses an attendance in the future and a missed appointment in the future', () => {
    expect(
      problems(unscheduledCareAttended, {
        ...attendance,
        data: { ...(attendance.data as object), arrivedAt: '2026-12-02T00:00:00Z' },
      }),
    ).toEqual([{ field: 'data.arrivedAt', reason: 'must not be in the future' }]);
    const wnb = anEvent(WAS_NOT_BROUGHT, {
      appointmentAt: '2027-01-05T10:00:00Z',
      appointmentType: 'Dental',
      service: 'Community dental',
    });
    expect(problems(wasNotBrought, wnb)).toEqual([
      { field: 'data.appointmentAt', reason: 'must not be in the future' },
    ]);
  });

  it('records a mental health referral', () => {
    const referral = anEvent(MENTAL_HEALTH_REFERRAL_MADE, {
      referredAt: '2026-10-03T15:00:00Z',
      service: 'CAMHS',
      urgency: 'urgent',
      summary: 'Self-harm disclosed.',
    });
    expect(problems(mentalHealthReferralMade, referral)).toEqual([]);
  });
});

describe('unborn to born', () => {
  const concern = (subject: ChildSubject, expectedDeliveryDate = '2027-01-15') =>
    anEvent(
      PRE_BIRTH_CONCERN_RAISED,
      {
        raisedAt: '2026-08-01T11:00:00Z',
        expectedDeliveryDate,
        summary: 'Domestic abuse disclosed at booking.',
      },
      subject,
    );

  it("given the mother's NHS number and the pregnancy, then a pre-birth concern is recorded", () => {
    expect(
      problems(preBirthConcernRaised, concern({ nhsNumber: aNhsNumber(), localIds: [PREGNANCY] })),
    ).toEqual([]);
  });

  it('refuses a pre-birth concern that does not name the pregnancy, or a delivery date beyond 42 weeks', () => {
    expect(problems(preBirthConcernRaised, concern({ nhsNumber: aNhsNumber() }, '2027-07-01'))).toEqual([
      {
        field: 'subject.localIds',
        reason: 'must name the pregnancy, since an unborn child has no NHS number',
      },
      { field: 'data.expectedDeliveryDate', reason: 'must be within 42 weeks of data.raisedAt' },
    ]);
  });

  it("links the pregnancy to the baby's new NHS number, and refuses a link without one", () => {
    const link = (subject: ChildSubject) =>
      anEvent(BIRTH_LINKED, { birthDate: '2026-11-30', unbornRef: PREGNANCY }, subject);
    expect(problems(birthLinked, link({ nhsNumber: aNhsNumber() }))).toEqual([]);
    expect(problems(birthLinked, link({ localIds: [PREGNANCY] }))).toEqual([
      { field: 'subject.nhsNumber', reason: 'is required: the subject is the baby, by its new NHS number' },
      { field: 'data.unbornRef', reason: "must not be one of the baby's own local ids" },
    ]);
  });
});
