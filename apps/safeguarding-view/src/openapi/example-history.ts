import {
  dataschemaFor,
  type Agency,
  type Purpose,
  type RecordedEvent,
  type SharingDecision,
} from '@jigsaw/envelope';
import {
  CHILD_PROTECTION_PLAN_STARTED,
  DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
  LEAD_PRACTITIONER_ASSIGNED,
  MISSING_EPISODE_ENDED,
  MISSING_EPISODE_STARTED,
  PRACTITIONER_CONCERN_RAISED,
  PUPIL_ON_ROLL,
  RECORD_RETRACTED,
  REFERRAL_RECEIVED,
  SAFEGUARDING_CONCERN_RECORDED,
  SUSPENSION_RECORDED,
  UNSCHEDULED_CARE_ATTENDED,
  type DataOf,
  type StoredType,
} from '@jigsaw/contracts';
import type { Viewer } from '@jigsaw/sharing';
import { type ChronologyRow, occurredAtOf } from '@jigsaw/view-model';

/**
 * One child's year, from all four agencies, as the hub records it: the history behind the OpenAPI
 * examples (which are the fold's real answers to it) and the view's unit tests.
 */
export const EXAMPLE_CHILD_ID = '3b7a1a9e-2f4c-4d0b-8f6e-5a9c1d2e3f40';
export const EXAMPLE_NOW = new Date('2026-11-21T09:00:00Z');

export const LEEDS = 'urn:jigsaw:org:council:leeds';
export const WEST_YORKSHIRE_POLICE = 'urn:jigsaw:org:police:west-yorkshire';
export const LEEDS_HOSPITALS = 'urn:jigsaw:org:health:leeds-teaching-hospitals';
export const LEEDS_COMMUNITY = 'urn:jigsaw:org:health:leeds-community';
export const HILLSIDE = 'urn:jigsaw:org:education:hillside-primary';

export const socialWorker: Viewer = {
  agency: 'council',
  organisation: LEEDS,
  role: 'social-worker',
  purpose: 'safeguarding',
  userId: 'sw-3',
};
export const schoolDsl: Viewer = {
  agency: 'education',
  organisation: HILLSIDE,
  role: 'designated-safeguarding-lead',
  purpose: 'safeguarding',
  userId: 'dsl-1',
};
export const aeClinician: Viewer = {
  agency: 'health',
  organisation: LEEDS_HOSPITALS,
  role: 'clinician',
  purpose: 'health-care',
  userId: 'clin-7',
};

const SHARING_BASIS: Record<Agency, SharingDecision['basis']> = {
  council: {
    lawfulBasis: 'public-task',
    regime: 'uk-gdpr',
    specialCategory: true,
    condition: 'dpa-2018-sch1-para18',
  },
  police: { lawfulBasis: 'legal-obligation', regime: 'dpa-2018-part-3', specialCategory: false },
  health: {
    lawfulBasis: 'public-task',
    regime: 'uk-gdpr',
    specialCategory: true,
    condition: 'dpa-2018-sch1-para18',
  },
  education: { lawfulBasis: 'public-task', regime: 'uk-gdpr', specialCategory: false },
};

export function sharingFor(
  source: string,
  purposes: Purpose[],
  audience: Agency[],
  overrides: Partial<SharingDecision> = {},
): SharingDecision {
  const agency = source.split(':')[3] as Agency;
  return {
    basis: SHARING_BASIS[agency],
    consent: {
      status: 'not-sought',
      reason: 'Shared to safeguard a child; seeking consent could place them at risk',
    },
    purposes,
    audience: audience.map((a) => ({ agency: a })),
    sensitivity: 'sensitive',
    decidedBy: { role: 'Safeguarding lead', organisation: source },
    ...overrides,
  };
}

/** An event as the hub recorded it for the example child, at `recordedtime` (default: its own time). */
export function exampleEvent<T extends string>(
  source: string,
  type: T,
  id: string,
  time: string,
  data: T extends StoredType ? DataOf<T> : Record<string, unknown>,
  sharing: SharingDecision,
  options: { childid?: string; recordedtime?: string } = {},
): RecordedEvent {
  return {
    specversion: '1.0',
    id,
    source,
    type,
    time,
    dataschema: dataschemaFor(type, 1),
    subject: { nhsNumber: '9434765919' },
    sharing,
    data,
    childid: options.childid ?? EXAMPLE_CHILD_ID,
    recordedtime: options.recordedtime ?? time,
  };
}

export function rowOf(event: RecordedEvent): ChronologyRow {
  return { occurredAt: new Date(occurredAtOf(event)), recordedAt: new Date(event.recordedtime), event };
}

const SAFEGUARDING: Purpose[] = ['safeguarding', 'child-protection'];
const CPIS: Purpose[] = ['safeguarding', 'child-protection', 'health-care'];
const police = {
  force: { name: 'West Yorkshire Police', code: 'WYP' },
  contact: {
    name: 'DC Example',
    role: 'Safeguarding officer',
    phone: '0113 241 3000',
    email: 'dc@wyp.example',
  },
};

export function exampleHistory(): RecordedEvent[] {
  return [
    exampleEvent(
      LEEDS,
      REFERRAL_RECEIVED,
      'ref-0091',
      '2026-05-20T10:00:00Z',
      {
        receivedAt: '2026-05-20T10:00:00Z',
        referralSource: '6',
        primaryNeedCode: 'N1',
        summary: 'Police referral after a call-out to the home.',
      },
      sharingFor(LEEDS, SAFEGUARDING, ['police']),
    ),
    exampleEvent(
      LEEDS,
      CHILD_PROTECTION_PLAN_STARTED,
      'cpp-0007',
      '2026-06-02T00:00:00Z',
      {
        startDate: '2026-06-02',
        category: 'NEG',
        contact: {
          team: 'Children’s Social Work Service, East',
          phone: '0113 222 4403',
          outOfHoursPhone: '0113 240 9536',
        },
      },
      sharingFor(LEEDS, CPIS, ['health', 'education', 'police']),
    ),
    exampleEvent(
      LEEDS,
      LEAD_PRACTITIONER_ASSIGNED,
      'lp-0012',
      '2026-06-02T00:00:00Z',
      {
        assignedDate: '2026-06-02',
        name: 'Sam Example',
        role: 'Social worker',
        team: 'East Locality Team',
        phone: '0113 222 4410',
        secureEmail: 'sam.example@leeds.example.gov.uk',
      },
      sharingFor(LEEDS, CPIS, ['health', 'education', 'police']),
    ),
    exampleEvent(
      HILLSIDE,
      PUPIL_ON_ROLL,
      'roll-11',
      '2026-09-01T08:00:00Z',
      {
        school: { urn: '123456', name: 'Hillside Primary School' },
        onRollFrom: '2021-09-01',
        yearGroup: '5',
        dsl: { name: 'Ms Example', phone: '0113 496 0000', secureEmail: 'dsl@hillside.example.sch.uk' },
      },
      sharingFor(
        HILLSIDE,
        ['safeguarding', 'education-welfare'],
        ['council', 'police', 'health', 'education'],
        { sensitivity: 'standard' },
      ),
    ),
    exampleEvent(
      WEST_YORKSHIRE_POLICE,
      MISSING_EPISODE_STARTED,
      'misper-41',
      '2026-09-12T21:00:00Z',
      {
        episodeReference: 'MISPER-41',
        missingSince: '2026-09-12T17:30:00Z',
        reportedAt: '2026-09-12T21:00:00Z',
        riskLevel: 'medium',
        missingFrom: 'home',
        summary: 'Did not come home from school.',
        contact: police.contact,
      },
      sharingFor(WEST_YORKSHIRE_POLICE, ['safeguarding'], ['council', 'education']),
    ),
    exampleEvent(
      WEST_YORKSHIRE_POLICE,
      MISSING_EPISODE_ENDED,
      'misper-41-found',
      '2026-09-13T02:10:00Z',
      {
        episodeReference: 'MISPER-41',
        foundAt: '2026-09-13T02:10:00Z',
        howEnded: 'found-by-police',
        returnInterviewOffered: true,
        summary: 'Found safe at a friend’s address.',
        contact: police.contact,
      },
      sharingFor(WEST_YORKSHIRE_POLICE, ['safeguarding'], ['council', 'education']),
    ),
    exampleEvent(
      LEEDS_COMMUNITY,
      PRACTITIONER_CONCERN_RAISED,
      'hv-2201',
      '2026-09-30T14:00:00Z',
      {
        raisedAt: '2026-09-30T14:00:00Z',
        role: 'school-nurse',
        category: 'neglect',
        summary: 'Clothing unwashed for weeks; child hungry at school.',
      },
      sharingFor(LEEDS_COMMUNITY, ['safeguarding'], ['council', 'education']),
    ),
    exampleEvent(
      WEST_YORKSHIRE_POLICE,
      DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
      'oe-0316',
      '2026-10-03T23:40:00Z',
      {
        incidentReference: 'WYP-CAD-0316',
        occurredAt: '2026-10-03T23:40:00Z',
        childPresent: true,
        childInHousehold: true,
        ...police,
        summary: 'Police attended a domestic abuse incident at home; the child was present.',
        narrative: 'Police-only narrative.',
        riskLevel: 'high',
      },
      sharingFor(WEST_YORKSHIRE_POLICE, SAFEGUARDING, ['education', 'council', 'health']),
    ),
    exampleEvent(
      HILLSIDE,
      SAFEGUARDING_CONCERN_RECORDED,
      'sc-77',
      '2026-10-06T11:00:00Z',
      {
        concernReference: 'CPOMS-77',
        occurredAt: '2026-10-06T11:00:00Z',
        category: 'domestic-abuse',
        summary: 'Told her teacher about shouting at home.',
        actions: ['Spoke to the DSL', 'Called the front door'],
        recordedBy: { name: 'Mr Teacher', role: 'Class teacher' },
        school: { urn: '123456', name: 'Hillside Primary School' },
      },
      sharingFor(HILLSIDE, ['safeguarding'], ['council', 'police', 'health']),
    ),
    exampleEvent(
      HILLSIDE,
      SUSPENSION_RECORDED,
      'susp-3',
      '2026-10-20T08:00:00Z',
      {
        school: { urn: '123456', name: 'Hillside Primary School' },
        startDate: '2026-10-20',
        days: 2,
        reasonCode: 'PD',
        summary: 'Persistent disruption.',
      },
      sharingFor(HILLSIDE, ['safeguarding', 'education-welfare'], ['council']),
    ),
    exampleEvent(
      WEST_YORKSHIRE_POLICE,
      DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
      'oe-0402',
      '2026-11-01T22:00:00Z',
      {
        incidentReference: 'WYP-CAD-0402',
        occurredAt: '2026-11-01T22:00:00Z',
        childPresent: false,
        ...police,
        summary: 'Recorded against the wrong child.',
      },
      sharingFor(WEST_YORKSHIRE_POLICE, SAFEGUARDING, ['education', 'council', 'health']),
    ),
    exampleEvent(
      WEST_YORKSHIRE_POLICE,
      `police.${RECORD_RETRACTED}`,
      'oe-0402-retracted',
      '2026-11-02T09:00:00Z',
      {
        targetEventId: 'oe-0402',
        reason: 'Entered in error against the wrong child.',
      },
      sharingFor(WEST_YORKSHIRE_POLICE, SAFEGUARDING, ['education', 'council', 'health']),
    ),
    exampleEvent(
      LEEDS_HOSPITALS,
      UNSCHEDULED_CARE_ATTENDED,
      'ed-00014',
      '2026-11-21T01:20:00Z',
      {
        setting: 'emergency-department',
        arrivedAt: '2026-11-21T01:20:00Z',
        reason: { system: 'http://snomed.info/sct', code: '125605004', display: 'Fracture of bone' },
        site: { name: 'Leeds General Infirmary', odsCode: 'RR801' },
        outcome: 'admitted',
      },
      sharingFor(LEEDS_HOSPITALS, ['safeguarding', 'health-care'], ['council', 'health']),
    ),
  ];
}

export function exampleRows(): ChronologyRow[] {
  return exampleHistory()
    .map(rowOf)
    .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}
