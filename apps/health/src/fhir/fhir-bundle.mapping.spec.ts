import { describe, expect, it } from '@jest/globals';
import { aNhsNumber } from '@jigsaw/testing';
import {
  bundleProblems,
  CARE_SETTING_SYSTEM,
  CONCERN_CATEGORY_SYSTEM,
  NHS_NUMBER_SYSTEM,
  ODS_SYSTEM,
  PRACTITIONER_ROLE_SYSTEM,
  readBundle,
} from './fhir-bundle.mapping.js';

const TRUST = 'urn:jigsaw:org:health:leeds-teaching-hospitals';
const context = { source: TRUST, secret: 'test-secret' };
const nhsNumber = aNhsNumber();

type Json = Record<string, unknown>;
const patient = (value = nhsNumber): Json => ({
  fullUrl: 'urn:uuid:7b1f2b2e-3c9a-4c1e-9a44-1d8f0c2b6a01',
  resource: {
    resourceType: 'Patient',
    id: 'pat-1',
    identifier: [{ system: NHS_NUMBER_SYSTEM, value }],
    name: [{ use: 'official', given: ['Amara'], family: 'Example' }],
    birthDate: '2016-04-02',
  },
});
const encounter = (overrides: Json = {}): Json => ({
  fullUrl: 'urn:uuid:0c6b1a9e-0f4e-4d0b-8a0a-5a0c6f0e9b11',
  resource: {
    resourceType: 'Encounter',
    id: 'enc-2026-112101',
    identifier: [{ system: 'https://fhir.leedsth.nhs.uk/Id/ed-attendance', value: 'ED-2026-112101' }],
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER', display: 'emergency' },
    reasonCode: [
      { coding: [{ system: 'http://snomed.info/sct', code: '125605004', display: 'Fracture of bone' }] },
    ],
    subject: { reference: 'urn:uuid:7b1f2b2e-3c9a-4c1e-9a44-1d8f0c2b6a01' },
    period: { start: '2026-11-21T01:20:00+00:00', end: '2026-11-21T05:40:00+00:00' },
    hospitalization: {
      dischargeDisposition: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'home' }],
      },
    },
    serviceProvider: {
      identifier: { system: ODS_SYSTEM, value: 'RR801' },
      display: 'Leeds General Infirmary',
    },
    ...overrides,
  },
});
const flag = (overrides: Json = {}): Json => ({
  resource: {
    resourceType: 'Flag',
    id: 'flag-88',
    status: 'active',
    category: [
      { coding: [{ system: PRACTITIONER_ROLE_SYSTEM, code: 'school-nurse' }] },
      { coding: [{ system: CONCERN_CATEGORY_SYSTEM, code: 'self-harm' }] },
    ],
    code: { text: 'Disclosed self-harm at the drop-in; parent not aware.' },
    subject: { reference: 'Patient/pat-1' },
    period: { start: '2026-11-18T13:05:00Z' },
    ...overrides,
  },
});
const bundle = (...entry: Json[]): Json => ({ resourceType: 'Bundle', type: 'collection', entry });

describe('refusing what is not a FHIR Bundle', () => {
  it.each<[string, unknown, unknown]>([
    ['an array', [], [{ field: '(body)', reason: 'must be a FHIR R4 Bundle (a JSON object)' }]],
    [
      'a Patient',
      { resourceType: 'Patient' },
      [
        { field: 'resourceType', reason: 'must be Bundle' },
        { field: 'type', reason: 'must be one of collection, message, transaction, batch, searchset' },
        { field: 'entry', reason: 'is required: an array of entries' },
      ],
    ],
    [
      'a document',
      { resourceType: 'Bundle', type: 'document', entry: [] },
      [{ field: 'type', reason: 'must be one of collection, message, transaction, batch, searchset' }],
    ],
  ])('refuses %s', (_what, body, expected) => {
    expect(bundleProblems(body)).toEqual(expected);
  });

  it.each(['collection', 'message', 'transaction', 'batch', 'searchset'])('accepts a %s', (type) => {
    expect(bundleProblems({ ...bundle(), type })).toEqual([]);
  });
});

describe('mapping a Bundle', () => {
  it('maps an Encounter to an unscheduled care attendance and a Flag to a practitioner concern', () => {
    const { mapped, ignored } = readBundle(
      bundle({ resource: { resourceType: 'MessageHeader' } }, patient(), encounter(), flag(), {
        resource: { resourceType: 'Observation' },
      }),
      context,
    );
    expect(ignored).toEqual([{ entry: 4, resourceType: 'Observation' }]);
    expect(mapped.map((m) => [m.entry, m.resourceType, m.problems])).toEqual([
      [2, 'Encounter', undefined],
      [3, 'Flag', undefined],
    ]);
    const [attended, concern] = mapped.map((m) => m.envelope!);
    expect(attended).toMatchObject({
      source: TRUST,
      type: 'health.unscheduled-care-attended',
      time: '2026-11-21T01:20:00+00:00',
      dataschema: 'urn:jigsaw:schema:health.unscheduled-care-attended:v1',
      subject: { nhsNumber, name: { given: 'Amara', family: 'Example' }, birthDate: '2016-04-02' },
      data: {
        setting: 'emergency-department',
        arrivedAt: '2026-11-21T01:20:00+00:00',
        reason: { system: 'http://snomed.info/sct', code: '125605004', display: 'Fracture of bone' },
        site: { name: 'Leeds General Infirmary', odsCode: 'RR801' },
        outcome: 'discharged',
      },
    });
    expect(attended?.sharing).toMatchObject({
      basis: {
        lawfulBasis: 'public-task',
        regime: 'uk-gdpr',
        specialCategory: true,
        condition: 'dpa-2018-sch1-para18',
      },
      purposes: ['safeguarding', 'health-care'],
      audience: [{ agency: 'council' }, { agency: 'health' }],
    });
    expect(concern?.data).toEqual({
      raisedAt: '2026-11-18T13:05:00Z',
      role: 'school-nurse',
      category: 'self-harm',
      summary: 'Disclosed self-harm at the drop-in; parent not aware.',
    });
  });

  it('gives stable ids that carry no identifier', () => {
    const ids = () =>
      readBundle(bundle(patient(), encounter(), flag()), context).mapped.map((m) => m.envelope!.id);
    expect(ids()).toEqual(ids());
    for (const id of ids()) {
      expect(id).toMatch(/^fhir-(encounter|flag)-[0-9a-f]{16}$/);
      expect(id).not.toContain(nhsNumber);
      expect(id).not.toContain('ED-2026');
    }
  });

  it('reads a minor injury unit from the care setting coding, and a SNOMED reason from type', () => {
    const miu = encounter({
      serviceType: { coding: [{ system: CARE_SETTING_SYSTEM, code: 'minor-injury-unit' }] },
      reasonCode: undefined,
      type: [
        { coding: [{ system: 'http://snomed.info/sct', code: '283385000' }], text: 'Laceration of hand' },
      ],
    });
    expect(readBundle(bundle(patient(), miu), context).mapped[0]?.envelope?.data).toMatchObject({
      setting: 'minor-injury-unit',
      reason: { code: '283385000', display: 'Laceration of hand' },
    });
  });

  it.each<[string, Json, unknown]>([
    [
      'an Encounter missing its required elements',
      encounter({
        status: undefined,
        class: undefined,
        period: undefined,
        reasonCode: undefined,
        serviceProvider: undefined,
        hospitalization: undefined,
      }),
      [
        { field: 'entry[1].resource.status', reason: 'is required' },
        { field: 'entry[1].resource.class.code', reason: 'is required' },
        { field: 'entry[1].resource.period.start', reason: 'is required' },
        {
          field: 'entry[1].resource.reasonCode',
          reason:
            'must carry a SNOMED CT coding (system http://snomed.info/sct) in reasonCode, type or serviceType',
        },
        {
          field: 'entry[1].resource.serviceProvider',
          reason:
            'is required: the site, as a display, an ODS identifier, or a reference to an Organization in the Bundle',
        },
      ],
    ],
    [
      'a planned Encounter of an inpatient class with a start that is no FHIR dateTime',
      encounter({ status: 'planned', class: { code: 'IMP' }, period: { start: '2026-11-21T01:20:00' } }),
      [
        {
          field: 'entry[1].resource.status',
          reason:
            'must be one of arrived, triaged, in-progress, onleave, finished: only an attendance that happened is shared',
        },
        {
          field: 'entry[1].resource.class.code',
          reason: `must be EMER, or the Encounter must name its setting in serviceType (system ${CARE_SETTING_SYSTEM})`,
        },
        {
          field: 'entry[1].resource.period.start',
          reason:
            'must be a FHIR dateTime: a date (YYYY, YYYY-MM, YYYY-MM-DD) or a date and time with a zone',
        },
      ],
    ],
    [
      'an Encounter with an unknown setting, disposition and patient reference, and no id',
      encounter({
        id: undefined,
        identifier: undefined,
        serviceType: [{ coding: [{ system: CARE_SETTING_SYSTEM, code: 'walk-in' }] }],
        hospitalization: {
          dischargeDisposition: {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'taxi' }],
          },
        },
        subject: { reference: 'Patient/someone-else' },
      }),
      [
        {
          field: 'entry[1].resource.serviceType[0].coding[0].code',
          reason:
            'must be one of emergency-department, minor-injury-unit, urgent-treatment-centre, maternity',
        },
        {
          field: 'entry[1].resource.hospitalization.dischargeDisposition.coding[0].code',
          reason: 'must be a discharge-disposition code',
        },
        { field: 'entry[1].resource.subject.reference', reason: "must refer to the Bundle's Patient" },
      ],
    ],
    [
      'an inactive Flag with no text or start, of a category the hub does not know',
      flag({
        status: 'inactive',
        code: { coding: [{ code: 'x' }] },
        period: {},
        category: [{ coding: [{ system: CONCERN_CATEGORY_SYSTEM, code: 'bullying' }] }],
      }),
      [
        {
          field: 'entry[1].resource.status',
          reason: 'must be active: an inactive or mistaken flag raises no concern',
        },
        { field: 'entry[1].resource.code.text', reason: 'is required (or a coding display)' },
        { field: 'entry[1].resource.period.start', reason: 'is required' },
        {
          field: 'entry[1].resource.category[0].coding[0].code',
          reason:
            'must be one of neglect, physical-abuse, sexual-abuse, emotional-abuse, domestic-abuse, self-harm, exploitation, other',
        },
      ],
    ],
  ])('refuses %s, naming each FHIR path', (_what, entry, expected) => {
    const [plan] = readBundle(bundle(patient(), entry), context).mapped;
    expect(plan?.problems).toEqual(expected);
    expect(plan?.envelope).toBeUndefined();
  });

  it('refuses every entry when the Patient carries no valid NHS number, or there is no Patient', () => {
    const noNhs = patient();
    (noNhs['resource'] as Json)['identifier'] = [
      { system: 'https://fhir.leedsth.nhs.uk/Id/mrn', value: 'MRN1' },
    ];
    expect(readBundle(bundle(noNhs, encounter(), flag()), context).mapped.map((m) => m.problems)).toEqual([
      [
        {
          field: 'entry[0].resource.identifier',
          reason: `must include an NHS number (system ${NHS_NUMBER_SYSTEM})`,
        },
      ],
      [
        {
          field: 'entry[0].resource.identifier',
          reason: `must include an NHS number (system ${NHS_NUMBER_SYSTEM})`,
        },
      ],
    ]);
    expect(readBundle(bundle(patient('9434765918'), encounter()), context).mapped[0]?.problems).toEqual([
      { field: 'entry[0].resource.identifier[0].value', reason: 'fails the NHS number check digit' },
    ]);
    expect(readBundle(bundle(encounter()), context).mapped[0]?.problems).toEqual([
      { field: 'entry', reason: 'must hold exactly one Patient (found 0)' },
    ]);
  });

  it('reports an entry without a resource', () => {
    expect(readBundle(bundle(patient(), { fullUrl: 'urn:uuid:x' }), context).mapped).toEqual([
      {
        entry: 1,
        resourceType: '(unknown)',
        problems: [{ field: 'entry[1].resource.resourceType', reason: 'is required' }],
        fields: {},
      },
    ]);
  });
});
