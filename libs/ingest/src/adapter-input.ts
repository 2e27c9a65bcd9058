import { createHmac } from 'node:crypto';
import { HttpStatus, HttpException } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { agencyOfSource, type Agency } from '@jigsaw/envelope';
import type { FieldProblem } from '@jigsaw/errors';
import { validationFailed } from '@jigsaw/http';
import type { BatchReport } from './batch.js';
import type { AgencyCallerIdentity } from './caller.js';

/** One field of an agency's export: its camelCase key in JSON and its column in CSV. */
export interface AdapterField {
  key: string;
  column: string;
  /** The CSV header must carry the column (its value may still be empty where the row allows). */
  required?: boolean;
}

export type AdapterFormat = 'csv' | 'json';

/** One row of an export as sent, before any meaning is read into it. */
export interface AdapterRecord {
  /** 1-based: the CSV line after the header, or the array index + 1. */
  row: number;
  values: ReadonlyMap<string, string>;
  problems: FieldProblem[];
}

export interface AdapterInput {
  format: AdapterFormat;
  records: AdapterRecord[];
  /** How the sender calls a field: the CSV column or the JSON key. */
  readonly nameOf: (key: string) => string;
}

/** "Incident Reference", "incident-reference" and "incident_reference" are the same column. */
function normaliseHeader(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function readCsv(text: string, fields: readonly AdapterField[]): AdapterRecord[] {
  let lines: string[][];
  try {
    lines = parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true });
  } catch (error) {
    // The parser's message may quote the content; the code and line are enough to find it.
    const { code, lines: line } = error as { code?: string; lines?: number };
    throw validationFailed([
      { field: '(body)', reason: `is not valid CSV (${code ?? 'unreadable'} near line ${line ?? '?'})` },
    ]);
  }
  const [header, ...rows] = lines;
  if (!header)
    throw validationFailed([{ field: '(body)', reason: 'is empty: the first line must be the header' }]);
  const columns = header.map(normaliseHeader);
  const missing = fields.filter((f) => f.required && !columns.includes(f.column));
  if (missing.length > 0) {
    throw validationFailed(
      missing.map((f) => ({ field: f.column, reason: 'is a required column missing from the header' })),
    );
  }
  const keyOf = new Map(fields.map((f) => [f.column, f.key]));
  return rows.map((cells, index) => {
    const values = new Map<string, string>();
    const problems: FieldProblem[] = [];
    if (cells.length !== columns.length) {
      problems.push({
        field: '(row)',
        reason: `has ${cells.length} values where the header has ${columns.length} columns`,
      });
    }
    // Columns we do not know are ignored: we never read more than we need.
    columns.forEach((column, i) => {
      const key = keyOf.get(column);
      const cell = cells[i];
      if (key !== undefined && cell !== undefined && cell !== '') values.set(key, cell);
    });
    return { row: index + 1, values, problems };
  });
}

function readJson(body: unknown, fields: readonly AdapterField[]): AdapterRecord[] {
  if (!Array.isArray(body))
    throw validationFailed([{ field: '(body)', reason: 'must be a JSON array of rows' }]);
  const known = new Set(fields.map((f) => f.key));
  return body.map((item: unknown, index) => {
    const values = new Map<string, string>();
    const problems: FieldProblem[] = [];
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return { row: index + 1, values, problems: [{ field: '(row)', reason: 'must be an object' }] };
    }
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      if (!known.has(key)) problems.push({ field: key, reason: 'is not a known field' });
      else if (typeof value === 'string') {
        if (value.trim() !== '') values.set(key, value.trim());
      } else if (typeof value === 'boolean') values.set(key, value ? 'yes' : 'no');
      else if (typeof value === 'number') values.set(key, String(value));
      else if (value !== null) problems.push({ field: key, reason: 'must be a string, number or boolean' });
    }
    return { row: index + 1, values, problems };
  });
}

/**
 * Reads an export posted as text/csv (a header line, then one row per record) or application/json (an
 * array of flat objects keyed like `fields`). A body that cannot be read at all is a 400 (415 for another
 * media type); anything wrong inside one row stays with that row.
 */
export function readAdapterInput(
  body: unknown,
  contentType: string | undefined,
  fields: readonly AdapterField[],
): AdapterInput {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const columnOf = new Map(fields.map((f) => [f.key, f.column]));
  if (media === 'text/csv' && typeof body === 'string') {
    return { format: 'csv', records: readCsv(body, fields), nameOf: (key) => columnOf.get(key) ?? key };
  }
  if (media === 'application/json' || media.endsWith('+json')) {
    return { format: 'json', records: readJson(body, fields), nameOf: (key) => key };
  }
  throw new HttpException(
    'send the export as text/csv or application/json',
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  );
}

const YES = new Set(['yes', 'y', 'true']);
const NO = new Set(['no', 'n', 'false']);

function realDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Minutes Europe/London is ahead of UTC at an instant (0 or 60). */
function londonOffsetMinutes(utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(utcMs));
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
  return Math.round((wall - Math.floor(utcMs / 60_000) * 60_000) / 60_000);
}

/** UK exports give local wall-clock times; this is the instant such a time names. */
function londonWallClockToUtc(wallMs: number): number {
  const first = wallMs - londonOffsetMinutes(wallMs) * 60_000;
  return wallMs - londonOffsetMinutes(first) * 60_000;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UK_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ZONED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const UK_LOCAL = /^(\d{1,2})\/(\d{1,2})\/(\d{4})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** YYYY-MM-DD or DD/MM/YYYY as YYYY-MM-DD, or undefined when it is no real date. */
export function parseExportDate(value: string): string | undefined {
  const iso = ISO_DATE.exec(value);
  const uk = UK_DATE.exec(value);
  const [year, month, day] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : uk
      ? [Number(uk[3]), Number(uk[2]), Number(uk[1])]
      : [0, 0, 0];
  if (!realDate(year, month, day)) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * RFC 3339 with a zone, or a UK local time (YYYY-MM-DD HH:MM, DD/MM/YYYY HH:MM, or a date alone meaning
 * its start), as an RFC 3339 UTC time; undefined when it names no real time.
 */
export function parseExportDateTime(value: string): string | undefined {
  const zoned = ZONED.exec(value);
  const local = LOCAL.exec(value);
  const ukLocal = UK_LOCAL.exec(value);
  const dateOnly = parseExportDate(value);
  let fields: number[];
  if (zoned) fields = zoned.slice(1, 7).map((v) => Number(v ?? 0));
  else if (local) fields = local.slice(1, 7).map((v) => Number(v ?? 0));
  else if (ukLocal) {
    const [, d, m, y, h, mi, s] = ukLocal;
    fields = [y, m, d, h, mi, s].map((v) => Number(v ?? 0));
  } else if (dateOnly) fields = [...dateOnly.split('-').map(Number), 0, 0, 0];
  else return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = fields;
  if (!realDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  const instant = zoned
    ? Date.parse(value.toUpperCase())
    : londonWallClockToUtc(Date.UTC(year, month - 1, day, hour, minute, second));
  if (Number.isNaN(instant)) return undefined;
  return new Date(instant).toISOString().replace('.000Z', 'Z');
}

/** A signed number (-5, +3.2), or a telephone number written with its country code (+44 20 7230 1212). */
const SIGNED_NUMBER = /^[+-]\d+(\.\d+)?$/;
const TELEPHONE = /^\+\d[\d ()-]*\d$/;

/**
 * A cell a spreadsheet would run as a formula (`=HYPERLINK(...)`, `@SUM(...)`, `+cmd|' /C calc'!A0`,
 * `-2+3+cmd|...`), once any leading spaces, tabs and line breaks are skipped (spreadsheets skip them too).
 * These exports come from and go back to spreadsheets: a cell may start with + or - only as a number
 * or a telephone number.
 */
export function isSpreadsheetFormula(value: string): boolean {
  const cell = value.replace(/^[ \t\r\n]+/, '');
  if (/^[=@]/.test(cell)) return true;
  if (!/^[+-]/.test(cell)) return false;
  return !SIGNED_NUMBER.test(cell) && !TELEPHONE.test(cell);
}

/** Reads one row's values, collecting a problem per field named as the sender names it. */
export class RowReader {
  readonly problems: FieldProblem[];

  constructor(
    private readonly record: AdapterRecord,
    private readonly nameOf: (key: string) => string,
  ) {
    this.problems = [...record.problems];
  }

  get row(): number {
    return this.record.row;
  }

  has(key: string): boolean {
    return this.record.values.has(key);
  }

  problem(key: string, reason: string): undefined {
    this.problems.push({ field: this.nameOf(key), reason });
    return undefined;
  }

  text(key: string, options: { required?: boolean; max?: number } = {}): string | undefined {
    const value = this.record.values.get(key);
    if (value === undefined) return options.required ? this.problem(key, 'is required') : undefined;
    if (options.max !== undefined && value.length > options.max) {
      return this.problem(key, `must be at most ${options.max} characters`);
    }
    if (isSpreadsheetFormula(value)) {
      return this.problem(
        key,
        'must not begin like a spreadsheet formula (=, @, or + or - other than a number or telephone number)',
      );
    }
    return value;
  }

  yesNo(key: string, options: { required?: boolean } = {}): boolean | undefined {
    const value = this.text(key, options)?.toLowerCase();
    if (value === undefined) return undefined;
    if (YES.has(value)) return true;
    if (NO.has(value)) return false;
    return this.problem(key, 'must be yes or no');
  }

  date(key: string, options: { required?: boolean } = {}): string | undefined {
    const value = this.text(key, options);
    if (value === undefined) return undefined;
    return parseExportDate(value) ?? this.problem(key, 'must be a real date (YYYY-MM-DD or DD/MM/YYYY)');
  }

  dateTime(key: string, options: { required?: boolean } = {}): string | undefined {
    const value = this.text(key, options);
    if (value === undefined) return undefined;
    return (
      parseExportDateTime(value) ??
      this.problem(
        key,
        'must be a real date and time (YYYY-MM-DDTHH:MM with a zone, or UK local DD/MM/YYYY HH:MM)',
      )
    );
  }

  number(key: string, options: { required?: boolean; min?: number; max?: number } = {}): number | undefined {
    const value = this.text(key, options);
    if (value === undefined) return undefined;
    const n = Number(value.replace(/%$/, ''));
    const { min = -Infinity, max = Infinity } = options;
    if (!Number.isFinite(n) || n < min || n > max)
      return this.problem(key, `must be a number from ${min} to ${max}`);
    return n;
  }
}

/**
 * A row's event id, the same every time the row is sent, so re-sending a batch records nothing new. Keyed
 * with a secret, so the id reveals nothing of the identifiers in `parts` (an NHS number hashed plainly
 * could be found by trying every number).
 */
export function rowEventId(prefix: string, reference: string, secret: string, ...parts: string[]): string {
  const safe = reference.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80);
  const key = createHmac('sha256', secret)
    .update([reference, ...parts].join('\u0000'))
    .digest('hex')
    .slice(0, 16);
  return `${prefix}-${safe}-${key}`;
}

/** Renames the envelope fields the hub's validation names into the sender's own columns or keys. */
export function inSenderTerms(
  report: BatchReport,
  rename: (field: string) => string | undefined,
): BatchReport {
  return {
    ...report,
    rows: report.rows.map((row) => {
      if (row.status !== 'rejected') return row;
      const seen = new Set<string>();
      const errors = row.errors
        .map((e) => ({ field: rename(e.field) ?? e.field, reason: e.reason }))
        .filter((e) => {
          const key = `${e.field}\u0000${e.reason}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
      return { ...row, errors };
    }),
  };
}

/**
 * The organisation a batch is recorded for: the authenticated caller's, else (until every caller signs
 * in) the `source` query parameter, which must name an organisation of this agency.
 */
export function adapterSource(
  caller: AgencyCallerIdentity | undefined,
  querySource: string | undefined,
  agency: Agency,
): string {
  if (caller) return caller.organisation;
  if (!querySource) {
    throw validationFailed([
      { field: 'source', reason: 'is required (query parameter) when the caller is not signed in' },
    ]);
  }
  if (agencyOfSource(querySource) !== agency) {
    throw validationFailed([
      { field: 'source', reason: `must be a ${agency} organisation (urn:jigsaw:org:${agency}:<code>)` },
    ]);
  }
  return querySource;
}
