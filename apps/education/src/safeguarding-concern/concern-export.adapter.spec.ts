import { describe, expect, it } from '@jest/globals';
import { fromCloudEvent, SchemaRegistry, type JigsawCloudEvent } from '@jigsaw/envelope';
import { readAdapterInput, type BatchRow } from '@jigsaw/ingest';
import { aNhsNumber, aUpn } from '@jigsaw/testing';
import { CONCERN_EXPORT_FIELDS, concernCategoryOf, concernExportRow } from './concern-export.adapter.js';

/** A row's CloudEvent as the hub reads it: the child as `subject`, the record as `data`. */
const inHub = (row: { envelope?: unknown }) => fromCloudEvent(row.envelope as JigsawCloudEvent);

const NOW = new Date('2026-11-21T16:00:00Z');
const SCHOOL = 'urn:jigsaw:org:education:hillside-primary';
const context = { source: SCHOOL, idSecret: 'test-secret', now: NOW };
const registry = new SchemaRegistry();

// Column names as a CPOMS-style export gives them: readable headers, normalised on reading.
const HEADER =
  'Concern ID,Pupil UPN,Pupil MIS ID,Pupil NHS Number,Pupil Given Name,Pupil Family Name,Pupil DOB,Concern Date,Category,Summary,Recorded By,Recorded By Role,Actions';

function rowsOf(csv: string): BatchRow[] {
  const input = readAdapterInput(csv, 'text/csv', CONCERN_EXPORT_FIELDS);
  return input.records.map((record) => concernExportRow(record, input.nameOf, context));
}

describe('concern export rows', () => {
  const upn = aUpn();
  const temporary = aUpn({ temporary: true });
  const good = [
    `88213,${upn},,,Amara,Example,02/04/2016,20/11/2026 10:40,Neglect,"Arrived hungry again; said there was no food at home.",Mr Example,Class teacher,Breakfast club place offered; Discussed with DSL`,
    `88214,${temporary},,,Bo,Example,2017-01-15,2026-11-21,Peer on Peer Abuse,Pushed and filmed by older pupils at lunchtime.,Ms Example,Lunchtime supervisor,`,
    // UN2: the MIS had no UPN; the school's pupil id identifies the child instead.
    `88215,UN2,MIS-00412,,Cai,Example,2019-06-01,2026-11-19 08:50,Wellbeing (home),Very withdrawn since the weekend.,Ms Example,,`,
  ];

  it('builds an envelope per good row that the hub will accept', () => {
    const rows = rowsOf([HEADER, ...good].join('\r\n'));
    expect(rows.map((r) => r.problems)).toEqual([undefined, undefined, undefined]);
    for (const row of rows) {
      expect(registry.validateEnvelope(row.envelope)).toEqual([]);
    }
    expect(inHub(rows[0]!)).toMatchObject({
      source: SCHOOL,
      type: 'education.safeguarding-concern-recorded',
      time: '2026-11-20T10:40:00Z',
      subject: { upn, name: { given: 'Amara', family: 'Example' }, birthDate: '2016-04-02' },
      sharing: {
        basis: { specialCategory: true, condition: 'dpa-2018-sch1-para18' },
        consent: { status: 'not-sought' },
      },
      data: {
        concernReference: '88213',
        category: 'neglect',
        categoryLabel: 'Neglect',
        actions: ['Breakfast club place offered', 'Discussed with DSL'],
        recordedBy: { name: 'Mr Example', role: 'Class teacher' },
      },
    });
    expect(inHub(rows[1]!)).toMatchObject({
      subject: { upn: temporary },
      data: { category: 'child-on-child-abuse' },
    });
    expect(inHub(rows[2]!)).toMatchObject({
      subject: { localIds: [{ system: 'hillside-primary:mis-id', value: 'MIS-00412' }] },
      data: { category: 'other', categoryLabel: 'Wellbeing (home)', recordedBy: { role: 'School staff' } },
    });
    expect(inHub(rows[2]!).subject).not.toHaveProperty('upn');
  });

  it.each([
    ['Physical Abuse', 'physical-abuse'],
    ['CSE', 'sexual-exploitation'],
    ['County lines', 'criminal-exploitation'],
    ['E-Safety', 'online-safety'],
    ['Something local', 'other'],
  ])('maps the category label %s to %s', (label, category) => {
    expect(concernCategoryOf(label)).toBe(category);
  });

  it.each([
    [
      'a bad UPN check letter',
      // Each body has one check letter, so any other letter fails.
      `1,${upn.startsWith('A') ? 'B' : 'A'}${upn.slice(1)},,,Amara,Example,02/04/2016,20/11/2026 10:40,Neglect,Hungry.,Mr Example,,`,
      [{ field: 'pupil_upn', reason: 'fails the UPN check letter' }],
    ],
    [
      'a UN code and no other id',
      `2,UN1,,,Amara,Example,02/04/2016,20/11/2026 10:40,Neglect,Hungry.,Mr Example,,`,
      [
        {
          field: 'pupil_upn',
          reason: 'is an unknown-UPN code (UN1 to UN5): the row needs pupil_nhs_number or pupil_mis_id',
        },
      ],
    ],
    [
      'no UPN and no other id',
      `3,,,,Amara,Example,02/04/2016,20/11/2026 10:40,Neglect,Hungry.,Mr Example,,`,
      [{ field: 'pupil_upn', reason: 'is required unless pupil_nhs_number or pupil_mis_id is given' }],
    ],
    [
      'a UN code with a bad NHS number',
      `4,UN3,,9434765918,Amara,Example,02/04/2016,20/11/2026 10:40,Neglect,Hungry.,Mr Example,,`,
      [{ field: 'pupil_nhs_number', reason: 'fails the NHS number check digit' }],
    ],
    [
      'an impossible date',
      `5,${upn},,,Amara,Example,02/04/2016,2026-02-30,Neglect,Hungry.,Mr Example,,`,
      [
        {
          field: 'concern_date',
          reason: 'must be a real date and time (YYYY-MM-DDTHH:MM with a zone, or UK local DD/MM/YYYY HH:MM)',
        },
      ],
    ],
    [
      'a future date and birth date',
      `6,${upn},,,Amara,Example,02/04/2027,22/11/2026 09:00,Neglect,Hungry.,Mr Example,,`,
      [
        { field: 'pupil_dob', reason: 'must not be in the future' },
        { field: 'concern_date', reason: 'must not be in the future' },
      ],
    ],
    [
      'missing category, summary and recorder',
      `7,${upn},,,Amara,Example,02/04/2016,20/11/2026 10:40,,,,,`,
      [
        { field: 'category', reason: 'is required' },
        { field: 'summary', reason: 'is required' },
        { field: 'recorded_by', reason: 'is required' },
      ],
    ],
  ])('refuses a row with %s, naming each column and why', (_what, line, expected) => {
    const [row] = rowsOf([HEADER, line].join('\n'));
    expect(row).toEqual({ row: 1, problems: expected });
    expect(JSON.stringify(row)).not.toContain(upn.slice(1));
  });

  it('accepts a UN code with an NHS number', () => {
    const nhs = aNhsNumber();
    const [row] = rowsOf(
      [HEADER, `8,UN4,,${nhs},Amara,Example,02/04/2016,20/11/2026,Neglect,Hungry.,Mr Example,,`].join('\n'),
    );
    expect(inHub(row!)).toMatchObject({ subject: { nhsNumber: nhs } });
  });

  it('refuses an export whose header lacks a required column', () => {
    expect(() =>
      readAdapterInput('Concern ID,Pupil UPN\n1,UN1\n', 'text/csv', CONCERN_EXPORT_FIELDS),
    ).toThrow(
      'invalid input: pupil_given_name, pupil_family_name, pupil_dob, concern_date, category, summary, recorded_by',
    );
  });

  it('reads the JSON variant, naming its own keys', () => {
    const input = readAdapterInput(
      [
        {
          concernId: 'J-1',
          pupilUpn: upn,
          pupilGivenName: 'Amara',
          pupilFamilyName: 'Example',
          pupilDateOfBirth: '2016-04-02',
          concernDate: '2026-11-20T10:40:00Z',
          category: 'Neglect',
          summary: 'Hungry.',
          recordedBy: 'Mr Example',
        },
        { concernId: 'J-2', pupilUpn: 'UN5', concernDate: '2026-02-30' },
      ],
      'application/json',
      CONCERN_EXPORT_FIELDS,
    );
    const rows = input.records.map((record) => concernExportRow(record, input.nameOf, context));
    expect(registry.validateEnvelope(rows[0]!.envelope)).toEqual([]);
    expect(rows[1]!.problems).toEqual([
      {
        field: 'pupilUpn',
        reason: 'is an unknown-UPN code (UN1 to UN5): the row needs pupilNhsNumber or pupilMisId',
      },
      { field: 'pupilGivenName', reason: 'is required' },
      { field: 'pupilFamilyName', reason: 'is required' },
      { field: 'pupilDateOfBirth', reason: 'is required' },
      {
        field: 'concernDate',
        reason: 'must be a real date and time (YYYY-MM-DDTHH:MM with a zone, or UK local DD/MM/YYYY HH:MM)',
      },
      { field: 'category', reason: 'is required' },
      { field: 'summary', reason: 'is required' },
      { field: 'recordedBy', reason: 'is required' },
    ]);
  });
});
