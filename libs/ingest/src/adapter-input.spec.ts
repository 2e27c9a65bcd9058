import { describe, expect, it } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import { JigsawError } from '@jigsaw/errors';
import {
  adapterSource,
  inSenderTerms,
  isSpreadsheetFormula,
  parseExportDate,
  parseExportDateTime,
  readAdapterInput,
  rowEventId,
} from './adapter-input.js';

const FIELDS = [
  { key: 'reference', column: 'reference', required: true },
  { key: 'present', column: 'child_present', required: true },
  { key: 'note', column: 'note' },
];

function problemsOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof JigsawError) return error.problems;
    if (error instanceof HttpException) return error.getStatus();
    throw error;
  }
  return 'no error';
}

describe('readAdapterInput', () => {
  it('reads CSV rows by header, whatever their order, case or spacing, ignoring unknown columns', () => {
    const input = readAdapterInput(
      '\uFEFFChild Present,Reference,Unused\r\nyes, A-1 ,x\r\n\r\n"no","A,2",\n',
      'text/csv; charset=utf-8',
      FIELDS,
    );
    expect(input.format).toBe('csv');
    expect(input.records.map((r) => [r.row, Object.fromEntries(r.values), r.problems])).toEqual([
      [1, { present: 'yes', reference: 'A-1' }, []],
      [2, { present: 'no', reference: 'A,2' }, []],
    ]);
    expect(input.nameOf('present')).toBe('child_present');
  });

  it('keeps a row with the wrong number of values to itself', () => {
    const input = readAdapterInput('reference,child_present\nA-1,yes,extra\nA-2,no\n', 'text/csv', FIELDS);
    expect(input.records.map((r) => r.problems)).toEqual([
      [{ field: '(row)', reason: 'has 3 values where the header has 2 columns' }],
      [],
    ]);
  });

  it('refuses a CSV whose header lacks a required column, naming it', () => {
    expect(problemsOf(() => readAdapterInput('reference,note\nA-1,x\n', 'text/csv', FIELDS))).toEqual([
      { field: 'child_present', reason: 'is a required column missing from the header' },
    ]);
  });

  it('refuses a CSV that cannot be parsed, and an empty one', () => {
    expect(
      problemsOf(() => readAdapterInput('reference,child_present\n"A-1,yes\n', 'text/csv', FIELDS)),
    ).toEqual([{ field: '(body)', reason: 'is not valid CSV (CSV_QUOTE_NOT_CLOSED near line 2)' }]);
    expect(problemsOf(() => readAdapterInput('', 'text/csv', FIELDS))).toEqual([
      { field: '(body)', reason: 'is empty: the first line must be the header' },
    ]);
  });

  it('reads a JSON array of flat objects, keeping unknown or nested fields to their row', () => {
    const input = readAdapterInput(
      [
        { reference: 'A-1', present: true },
        { reference: 'A-2', present: 'no', extra: 1 },
        'x',
        { note: { a: 1 } },
      ],
      'application/json',
      FIELDS,
    );
    expect(input.records.map((r) => [r.row, Object.fromEntries(r.values), r.problems])).toEqual([
      [1, { reference: 'A-1', present: 'yes' }, []],
      [2, { reference: 'A-2', present: 'no' }, [{ field: 'extra', reason: 'is not a known field' }]],
      [3, {}, [{ field: '(row)', reason: 'must be an object' }]],
      [4, {}, [{ field: 'note', reason: 'must be a string, number or boolean' }]],
    ]);
  });

  it('refuses JSON that is not an array, and other media types', () => {
    expect(problemsOf(() => readAdapterInput({}, 'application/json', FIELDS))).toEqual([
      { field: '(body)', reason: 'must be a JSON array of rows' },
    ]);
    expect(problemsOf(() => readAdapterInput('a', 'text/plain', FIELDS))).toBe(415);
  });
});

describe('export dates', () => {
  it.each([
    ['2026-11-20', '2026-11-20'],
    ['20/11/2026', '2026-11-20'],
    ['2/3/2016', '2016-03-02'],
    ['2026-02-30', undefined],
    ['30/02/2026', undefined],
    ['2026-13-01', undefined],
    ['20-11-2026', undefined],
  ])('reads the date %s as %s', (value, expected) => {
    expect(parseExportDate(value)).toBe(expected);
  });

  it.each([
    ['2026-11-20T22:15:00Z', '2026-11-20T22:15:00Z'],
    ['2026-11-20T22:15+01:00', '2026-11-20T21:15:00Z'],
    // UK local times: GMT in winter, BST in summer.
    ['2026-11-20 22:15', '2026-11-20T22:15:00Z'],
    ['20/11/2026 22:15', '2026-11-20T22:15:00Z'],
    ['2026-06-10 22:15', '2026-06-10T21:15:00Z'],
    ['10/06/2026 00:30', '2026-06-09T23:30:00Z'],
    ['2026-11-20', '2026-11-20T00:00:00Z'],
    ['2026-02-30T10:00:00Z', undefined],
    ['2026-11-20 25:00', undefined],
    ['yesterday', undefined],
  ])('reads the time %s as %s', (value, expected) => {
    expect(parseExportDateTime(value)).toBe(expected);
  });
});

describe('row ids', () => {
  it('are stable, keyed, and carry no identifier', () => {
    const id = rowEventId('oe', 'CAD 4471/20', 'secret', '9434765919');
    expect(id).toBe(rowEventId('oe', 'CAD 4471/20', 'secret', '9434765919'));
    expect(id).not.toBe(rowEventId('oe', 'CAD 4471/20', 'secret', '9434765870'));
    expect(id).not.toBe(rowEventId('oe', 'CAD 4471/20', 'other secret', '9434765919'));
    expect(id).toMatch(/^oe-CAD-4471-20-[0-9a-f]{16}$/);
    expect(id).not.toContain('9434765919');
  });
});

describe('adapterSource', () => {
  const caller = { organisation: 'urn:jigsaw:org:police:met', agency: 'police', subject: 's' };
  it('takes the signed-in caller first, else a source of the right agency', () => {
    expect(adapterSource(caller, 'urn:jigsaw:org:police:kent', 'police')).toBe(caller.organisation);
    expect(adapterSource(undefined, 'urn:jigsaw:org:police:kent', 'police')).toBe(
      'urn:jigsaw:org:police:kent',
    );
    expect(problemsOf(() => adapterSource(undefined, 'urn:jigsaw:org:council:leeds', 'police'))).toEqual([
      { field: 'source', reason: 'must be a police organisation (urn:jigsaw:org:police:<code>)' },
    ]);
    expect(problemsOf(() => adapterSource(undefined, undefined, 'police'))).toEqual([
      { field: 'source', reason: 'is required (query parameter) when the caller is not signed in' },
    ]);
  });
});

describe('inSenderTerms', () => {
  it('renames envelope fields to the sender’s and drops the duplicates that leaves', () => {
    const report = inSenderTerms(
      {
        accepted: 1,
        duplicates: 0,
        rejected: 1,
        rows: [
          { row: 1, status: 'accepted', id: 'a' },
          {
            row: 2,
            status: 'rejected',
            code: 'VALIDATION_FAILED',
            errors: [
              { field: 'time', reason: 'must not be in the future' },
              { field: 'data.occurredAt', reason: 'must not be in the future' },
              { field: 'sharing.x', reason: 'y' },
            ],
          },
        ],
      },
      (field) => (field === 'time' || field === 'data.occurredAt' ? 'incident_datetime' : undefined),
    );
    expect(report.rows[1]).toEqual({
      row: 2,
      status: 'rejected',
      code: 'VALIDATION_FAILED',
      errors: [
        { field: 'incident_datetime', reason: 'must not be in the future' },
        { field: 'sharing.x', reason: 'y' },
      ],
    });
  });
});

describe('isSpreadsheetFormula', () => {
  it.each([
    ["=cmd|' /C calc'!A0", true],
    ['=HYPERLINK("http://x","click")', true],
    ['@SUM(A1:A2)', true],
    ["+cmd|' /C calc'!A0", true],
    ['-cmd', true],
    ["-2+3+cmd|' /C calc'!A0", true],
    ['+44 20 7230 1212', false],
    ['+44 (0)20 7230-1212', false],
    ['-5', false],
    ['+3.25', false],
    ['\t=HYPERLINK("http://x","click")', true],
    [' \r\n@SUM(A1:A2)', true],
    ['  -cmd', true],
    ['- see the notes', true],
    ['+', true],
    ['-5 or more', true],
    ['+44 20 7230 1212=1', true],
    ['  Police attended', false],
    ['Police attended; child = present', false],
    ['user@example.org', false],
    ['', false],
  ])('%j: %s', (value, formula) => {
    expect(isSpreadsheetFormula(value)).toBe(formula);
  });
});
