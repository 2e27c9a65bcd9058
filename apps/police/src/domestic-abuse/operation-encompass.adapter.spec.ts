import { describe, expect, it } from '@jest/globals';
import { fromCloudEvent, SchemaRegistry, type JigsawCloudEvent } from '@jigsaw/envelope';
import { readAdapterInput, type BatchRow } from '@jigsaw/ingest';
import { aNhsNumber } from '@jigsaw/testing';
import { OPERATION_ENCOMPASS_FIELDS, operationEncompassRow } from './operation-encompass.adapter.js';

/** A row's CloudEvent as the hub reads it: the child as `subject`, the record as `data`. */
const inHub = (row: { envelope?: unknown }) => fromCloudEvent(row.envelope as JigsawCloudEvent);

const NOW = new Date('2026-11-21T07:45:00Z');
const MET = 'urn:jigsaw:org:police:met';
const context = { source: MET, idSecret: 'test-secret', now: NOW };
const registry = new SchemaRegistry();

const HEADER =
  'incident_reference,incident_datetime,child_nhs_number,child_person_id,child_given_name,child_family_name,child_dob,school_urn,child_present,child_in_household,officer_name,officer_phone,summary,risk_level';

function rowsOf(csv: string): BatchRow[] {
  const input = readAdapterInput(csv, 'text/csv', OPERATION_ENCOMPASS_FIELDS);
  return input.records.map((record) => operationEncompassRow(record, input.nameOf, context));
}

describe('Operation Encompass rows', () => {
  const nhs = aNhsNumber();
  const good = [
    `CAD-4471-20NOV,20/11/2026 22:15,${nhs},,Amara,Example,02/04/2016,123456,yes,yes,PC Example,020 7230 1212,Police attended a domestic incident at home; the child was present.,medium`,
    // No NHS number: the force's person id identifies the child instead.
    `CAD-4472-20NOV,2026-11-20T23:05:00Z,,MPS-P-99812,Bo,Example,2012-09-30,,N,,PC Example,020 7230 1212,Incident at the child's home; the child was asleep upstairs.,`,
  ];

  it('builds an envelope per good row that the hub will accept', () => {
    const rows = rowsOf([HEADER, ...good].join('\n'));
    expect(rows.map((r) => r.problems)).toEqual([undefined, undefined]);
    for (const row of rows) {
      expect(registry.validateEnvelope(row.envelope)).toEqual([]);
    }
    expect(inHub(rows[0]!)).toMatchObject({
      source: MET,
      type: 'police.domestic-abuse-incident-notified',
      time: '2026-11-20T22:15:00Z',
      subject: { nhsNumber: nhs, name: { given: 'Amara', family: 'Example' }, birthDate: '2016-04-02' },
      sharing: {
        basis: { lawfulBasis: 'legal-obligation', regime: 'dpa-2018-part-3' },
        consent: { status: 'not-sought' },
        purposes: ['safeguarding'],
        audience: [{ agency: 'education' }, { agency: 'council' }],
      },
      data: {
        incidentReference: 'CAD-4471-20NOV',
        occurredAt: '2026-11-20T22:15:00Z',
        childPresent: true,
        childInHousehold: true,
        force: { name: 'met' },
        contact: { name: 'PC Example', phone: '020 7230 1212' },
        riskLevel: 'medium',
        schoolUrn: '123456',
      },
    });
    expect(inHub(rows[1]!)).toMatchObject({
      subject: { localIds: [{ system: 'met:person-id', value: 'MPS-P-99812' }] },
      data: { childPresent: false },
    });
  });

  it('derives the same id for the same incident and child every time, with no NHS number in it', () => {
    const [first] = rowsOf([HEADER, good[0]].join('\n'));
    const [again] = rowsOf([HEADER, good[0]].join('\n'));
    const id = inHub(first!).id;
    expect(id).toBe(inHub(again!).id);
    expect(id).toMatch(/^oe-CAD-4471-20NOV-[0-9a-f]{16}$/);
    expect(id).not.toContain(nhs);
  });

  it.each([
    [
      'a bad NHS check digit',
      `CAD-1,20/11/2026 22:15,9434765918,,Amara,Example,02/04/2016,,yes,,PC Example,020 7230 1212,Incident.,`,
      [{ field: 'child_nhs_number', reason: 'fails the NHS number check digit' }],
    ],
    [
      'neither NHS number nor person id',
      `CAD-2,20/11/2026 22:15,,,Amara,Example,02/04/2016,,yes,,PC Example,020 7230 1212,Incident.,`,
      [{ field: 'child_nhs_number', reason: 'is required unless child_person_id is given' }],
    ],
    [
      'an impossible date',
      `CAD-3,2026-02-30 22:15,${nhs},,Amara,Example,30/02/2016,,yes,,PC Example,020 7230 1212,Incident.,`,
      [
        {
          field: 'incident_datetime',
          reason: 'must be a real date and time (YYYY-MM-DDTHH:MM with a zone, or UK local DD/MM/YYYY HH:MM)',
        },
        { field: 'child_dob', reason: 'must be a real date (YYYY-MM-DD or DD/MM/YYYY)' },
      ],
    ],
    [
      'a future incident',
      `CAD-4,21/11/2026 23:00,${nhs},,Amara,Example,02/04/2016,,yes,,PC Example,020 7230 1212,Incident.,`,
      [{ field: 'incident_datetime', reason: 'must not be in the future' }],
    ],
    [
      'a wrong yes/no and risk level',
      `CAD-5,20/11/2026 22:15,${nhs},,Amara,Example,02/04/2016,,maybe,unknown,PC Example,020 7230 1212,Incident.,very high`,
      [
        { field: 'child_present', reason: 'must be yes or no' },
        { field: 'child_in_household', reason: 'must be yes or no' },
        { field: 'risk_level', reason: 'must be one of standard, medium, high' },
      ],
    ],
    [
      'missing values, a bad URN and phone',
      `CAD-6,20/11/2026 22:15,${nhs},,,Example,02/04/2016,12345,yes,,PC Example,call the station,,`,
      [
        { field: 'child_given_name', reason: 'is required' },
        { field: 'school_urn', reason: 'must be a 6-digit school URN' },
        { field: 'officer_phone', reason: 'must be a telephone number' },
        { field: 'summary', reason: 'is required' },
      ],
    ],
    [
      'a short row',
      `CAD-7,20/11/2026 22:15,${nhs}`,
      [
        { field: '(row)', reason: 'has 3 values where the header has 14 columns' },
        { field: 'child_given_name', reason: 'is required' },
        { field: 'child_family_name', reason: 'is required' },
        { field: 'child_dob', reason: 'is required' },
        { field: 'child_present', reason: 'is required' },
        { field: 'officer_name', reason: 'is required' },
        { field: 'officer_phone', reason: 'is required' },
        { field: 'summary', reason: 'is required' },
      ],
    ],
  ])('refuses a row with %s, naming each column and why', (_what, line, expected) => {
    const rows = rowsOf([HEADER, good[0], line].join('\n'));
    expect(rows[0]!.problems).toBeUndefined();
    expect(rows[1]).toEqual({ row: 2, problems: expected });
    expect(JSON.stringify(rows[1])).not.toContain(nhs);
  });

  it('reads the JSON variant with the same rules, naming its own keys', () => {
    const input = readAdapterInput(
      [
        {
          incidentReference: 'CAD-9',
          incidentDateTime: '2026-11-20T22:15:00Z',
          childNhsNumber: nhs,
          childGivenName: 'Amara',
          childFamilyName: 'Example',
          childDateOfBirth: '2016-04-02',
          childPresent: true,
          officerName: 'PC Example',
          officerPhone: '020 7230 1212',
          summary: 'Incident.',
        },
        { incidentReference: 'CAD-10', childPresent: 'perhaps' },
      ],
      'application/json',
      OPERATION_ENCOMPASS_FIELDS,
    );
    const rows = input.records.map((record) => operationEncompassRow(record, input.nameOf, context));
    expect(registry.validateEnvelope(rows[0]!.envelope)).toEqual([]);
    expect(rows[1]!.problems).toEqual([
      { field: 'incidentDateTime', reason: 'is required' },
      { field: 'childNhsNumber', reason: 'is required unless childPersonId is given' },
      { field: 'childGivenName', reason: 'is required' },
      { field: 'childFamilyName', reason: 'is required' },
      { field: 'childDateOfBirth', reason: 'is required' },
      { field: 'childPresent', reason: 'must be yes or no' },
      { field: 'officerName', reason: 'is required' },
      { field: 'officerPhone', reason: 'is required' },
      { field: 'summary', reason: 'is required' },
    ]);
  });
});
