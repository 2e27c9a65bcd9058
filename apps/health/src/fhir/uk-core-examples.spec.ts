import { describe, expect, it } from '@jest/globals';
import { aNhsNumber } from '@jigsaw/testing';
import { bundleProblems, readBundle } from './fhir-bundle.mapping.js';
import {
  asEmergencyAttendance,
  ukCoreBundle,
  ukCoreEntries,
  ukCoreExample,
  ukCorePatient,
} from './testing/uk-core.js';

const TRUST = 'urn:jigsaw:org:health:leeds-teaching-hospitals';
const context = { source: TRUST, secret: 'test-secret' };
type Json = Record<string, unknown>;

describe("UK Core's published examples", () => {
  it.each(['collection', 'transaction', 'batch', 'searchset'])(
    'are a Bundle the hub takes as a %s',
    (type) => {
      expect(bundleProblems(ukCoreBundle(type, aNhsNumber()))).toEqual([]);
    },
  );

  it('maps the published Flag as it stands: a standard category, raised by a clinician', () => {
    const nhsNumber = aNhsNumber();
    const { mapped } = readBundle(ukCoreBundle('collection', nhsNumber), context);
    const flag = mapped.find((m) => m.resourceType === 'Flag');
    expect(flag?.problems).toBeUndefined();
    expect(flag?.envelope).toMatchObject({
      type: 'health.practitioner-concern-raised',
      time: '2019-12-10T13:00:00+00:00',
      subject: { nhsNumber, name: { given: 'Richard', family: 'SMITH' }, birthDate: '2016-09-11' },
      data: {
        raisedAt: '2019-12-10T13:00:00+00:00',
        role: 'clinician',
        category: 'other',
        summary: 'Patient has a severe peanut allergy.',
      },
    });
  });

  it('takes the site of the published Encounter from the Organization its serviceProvider refers to', () => {
    const nhsNumber = aNhsNumber();
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: asEmergencyAttendance(ukCoreEntries(nhsNumber)),
    };
    const encounter = readBundle(bundle, context).mapped.find((m) => m.resourceType === 'Encounter');
    expect(encounter?.problems).toBeUndefined();
    expect(encounter?.envelope?.data).toEqual({
      setting: 'emergency-department',
      arrivedAt: '2019-12-10T13:00:00+00:00',
      reason: { system: 'http://snomed.info/sct', code: '7922000', display: 'General treatment' },
      site: { name: 'LEEDS TEACHING HOSPITALS NHS TRUST', odsCode: 'RR8' },
    });
  });

  it('refuses the published inpatient Encounter only for its class: an inpatient stay is no unscheduled attendance', () => {
    const { mapped } = readBundle(ukCoreBundle('collection', aNhsNumber()), context);
    expect(mapped.find((m) => m.resourceType === 'Encounter')?.problems?.map((p) => p.field)).toEqual([
      'entry[2].resource.class.code',
    ]);
  });

  it('resolves a Patient contained in the Encounter, and a date-only start as that day in London', () => {
    const nhsNumber = aNhsNumber();
    const patient = ukCorePatient(nhsNumber);
    const [, organisation, encounter] = asEmergencyAttendance(ukCoreEntries(nhsNumber));
    const published = encounter!['resource'] as Json;
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        organisation,
        {
          ...encounter,
          resource: {
            ...published,
            contained: [patient],
            subject: { reference: `#${String(patient['id'])}` },
            period: { start: '2019-07-10' },
          },
        },
      ],
    };
    const [plan] = readBundle(bundle, context).mapped;
    expect(plan?.problems).toBeUndefined();
    expect(plan?.envelope).toMatchObject({
      time: '2019-07-09T23:00:00.000Z',
      subject: { nhsNumber },
      data: { arrivedAt: '2019-07-09T23:00:00.000Z', site: { odsCode: 'RR8' } },
    });
  });

  it('takes a site named only by its ODS code, or only by a display', () => {
    const nhsNumber = aNhsNumber();
    const [patient, , encounter] = asEmergencyAttendance(ukCoreEntries(nhsNumber));
    const withProvider = (serviceProvider: Json) => ({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [patient, { ...encounter, resource: { ...(encounter!['resource'] as Json), serviceProvider } }],
    });
    const site = (serviceProvider: Json) =>
      readBundle(withProvider(serviceProvider), context).mapped[0]?.envelope?.data['site'];
    expect(
      site({ identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RR801' } }),
    ).toEqual({
      name: 'RR801',
      odsCode: 'RR801',
    });
    expect(site({ display: 'Leeds General Infirmary' })).toEqual({ name: 'Leeds General Infirmary' });
    expect(
      readBundle(withProvider({ reference: 'Organization/elsewhere' }), context).mapped[0]?.problems,
    ).toEqual([
      {
        field: 'entry[1].resource.serviceProvider',
        reason:
          'is required: the site, as a display, an ODS identifier, or a reference to an Organization in the Bundle',
      },
    ]);
  });

  it('leaves the published Patient as the fixture holds it but for the NHS number and the birth year', () => {
    const nhsNumber = aNhsNumber();
    const published = ukCoreExample('UKCore-Patient-RichardSmith-Example');
    const sent = ukCorePatient(nhsNumber);
    expect(sent['birthDate']).toBe('2016-09-11');
    expect(
      JSON.stringify({ ...sent, birthDate: published['birthDate'] }).replace(nhsNumber, '9912003888'),
    ).toBe(JSON.stringify(published));
  });
});
