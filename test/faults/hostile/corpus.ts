// The hostile-input corpus: the data files beside this one, expanded into concrete requests. Mutations are
// crossed with every event type's valid example; adapter cases are sent as CSV and as JSON.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@jigsaw/config';
import { AGENCIES, agencyOfSource, toCloudEvent, type Agency, type JigsawEnvelope } from '@jigsaw/envelope';
import {
  agencySystemToken,
  aNhsNumber,
  anIncidentNotification,
  aUpn,
  practitionerToken,
  type ServiceName,
} from '@jigsaw/testing';
import { OPERATION_ENCOMPASS_FIELDS } from '../../../apps/police/src/domestic-abuse/operation-encompass.adapter.js';
import { CONCERN_EXPORT_FIELDS } from '../../../apps/education/src/safeguarding-concern/concern-export.adapter.js';

const HERE = join(repoRoot(), 'test/faults/hostile');

export type Expectation =
  /** Answered with this status as problem+json, naming `field` among its errors. */
  | { kind: 'problem'; status: number; field?: string }
  /** A batch answered 200 whose row (or FHIR entry) `at` was refused naming `field`. */
  | { kind: 'rejected-row'; at: number; field: string }
  /** Accepted: the event is stored once, exactly as sent. */
  | { kind: 'accepted'; status: number };

export interface HostileCase {
  group: string;
  name: string;
  service: ServiceName;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  expect: Expectation;
  /** The event this case sends, if it sends one: refused ones must never be stored. */
  event?: { source: string; id: string; sent: unknown };
}

type Json = Record<string, unknown>;

export const ORGANISATIONS: Record<Agency, string> = {
  police: 'urn:jigsaw:org:police:met',
  council: 'urn:jigsaw:org:council:leeds',
  health: 'urn:jigsaw:org:health:leeds-teaching-hospitals',
  education: 'urn:jigsaw:org:education:hillside-primary',
};

const tokens = new Map<string, string>();
function asSystemOf(organisation: string): Record<string, string> {
  if (!tokens.has(organisation))
    tokens.set(organisation, agencySystemToken(organisation, { ttlSeconds: 4 * 3600 }));
  return { authorization: `Bearer ${tokens.get(organisation)!}` };
}

export const SOCIAL_WORKER = {
  sub: 'sw-hostile',
  agency: 'council',
  organisation: ORGANISATIONS.council,
  role: 'social-worker',
  purposes: ['safeguarding'],
};

const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(HERE, file), 'utf8')) as T;

// ---------------------------------------------------------------------------------------------------------
// Paths: `a.b[0].c`, setting own properties (so `__proto__` is a key, not the prototype)
// ---------------------------------------------------------------------------------------------------------

function segments(path: string): (string | number)[] {
  return path
    .split(/\.|\[(\d+)\]/)
    .filter((s) => s !== undefined && s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function setPath(target: Json, path: string, value: unknown): void {
  const keys = segments(path);
  let node = target as Record<string | number, unknown>;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) {
      Object.defineProperty(node, key, { value: {}, enumerable: true, writable: true, configurable: true });
    }
    node = node[key] as Record<string | number, unknown>;
  }
  Object.defineProperty(node, keys[keys.length - 1]!, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function deletePath(target: Json, path: string): void {
  const keys = segments(path);
  let node = target as Record<string | number, unknown> | undefined;
  for (const key of keys.slice(0, -1)) node = node?.[key] as Record<string | number, unknown> | undefined;
  if (node) delete node[keys[keys.length - 1]!];
}

/** `$repeat:N` is N letters; anything else is itself. */
function valueOf(value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith('$repeat:')) return 'x'.repeat(Number(value.slice(8)));
  return value;
}

function changed<T extends Json>(base: T, change: { set?: Json; delete?: string[] }): T {
  const copy = structuredClone(base);
  for (const path of change.delete ?? []) deletePath(copy, path);
  for (const [path, value] of Object.entries(change.set ?? {})) setPath(copy, path, valueOf(value));
  return copy;
}

let serial = 0;
const freshId = (label: string): string => `hostile-${label}-${++serial}`;

// ---------------------------------------------------------------------------------------------------------
// Envelope mutations x every event type's valid example
// ---------------------------------------------------------------------------------------------------------

interface Mutation {
  name: string;
  set?: Json;
  delete?: string[];
  dataString?: string;
  nest?: number;
  field: string;
  status?: number;
}

function validExamples(): { file: string; envelope: Json; agency: Agency }[] {
  const root = join(repoRoot(), 'schemas');
  const found: { file: string; envelope: Json; agency: Agency }[] = [];
  for (const group of readdirSync(root)) {
    for (const type of readdirSync(join(root, group))) {
      const dir = join(root, group, type, 'examples', 'valid');
      let files: string[];
      try {
        files = readdirSync(dir).filter((f) => f.endsWith('.json'));
      } catch {
        continue;
      }
      for (const file of files) {
        const envelope = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Json;
        const agency = agencyOfSource(String(envelope['source'])) as Agency | undefined;
        // hub.* events are the hub's own; no agency posts them.
        if (agency && (AGENCIES as readonly string[]).includes(agency)) {
          found.push({ file: `${group}/${type}/${file}`, envelope, agency });
        }
      }
    }
  }
  return found;
}

function envelopeCases(): HostileCase[] {
  const { mutations } = readJson<{ mutations: Mutation[] }>('envelope-mutations.json');
  const cases: HostileCase[] = [];
  for (const example of validExamples()) {
    const otherType =
      example.agency === 'police' ? 'council.referral-received' : 'police.domestic-abuse-incident-notified';
    for (const mutation of mutations) {
      const envelope: Json = { ...structuredClone(example.envelope), id: freshId('m') };
      let field = mutation.field;
      if (mutation.dataString !== undefined) {
        const data = (envelope['data'] as Json)['record'] as Json;
        const key = Object.keys(data).find((k) => typeof data[k] === 'string');
        if (!key) continue;
        data[key] = mutation.dataString;
        field = `data.record.${key}`;
      }
      for (const path of mutation.delete ?? []) deletePath(envelope, path);
      for (const [path, raw] of Object.entries(mutation.set ?? {})) {
        const value =
          raw === '$unknownType'
            ? `${example.agency}.unicorn-sighted`
            : raw === '$otherAgencyType'
              ? otherType
              : raw === '$longId'
                ? 'a'.repeat(201)
                : raw;
        setPath(envelope, path, value);
      }
      let body = JSON.stringify(envelope);
      if (mutation.nest) {
        const nested = `${'['.repeat(mutation.nest)}${']'.repeat(mutation.nest)}`;
        body = body.replace('"record":{', `"record":{"nested":${nested},`);
      }
      const source = String(example.envelope['source']);
      cases.push({
        group: 'envelope',
        name: `${example.file}: ${mutation.name}`,
        service: example.agency,
        method: 'POST',
        path: '/v1/events',
        headers: { 'content-type': 'application/json', ...asSystemOf(source) },
        body,
        expect: { kind: 'problem', status: mutation.status ?? 400, field },
        event: { source, id: String(envelope['id']), sent: envelope },
      });
    }
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------------------
// Raw bodies to every endpoint
// ---------------------------------------------------------------------------------------------------------

interface RawBody {
  name: string;
  to: ('events' | 'adapters' | 'csv')[];
  contentType: string;
  body?: string;
  hex?: string;
  repeat?: number;
  nest?: number;
  status: number;
  field?: string;
}

interface Endpoint {
  label: string;
  service: Agency;
  path: string;
  kind: 'events' | 'adapter' | 'csv-adapter';
}

const ENDPOINTS: Endpoint[] = [
  ...AGENCIES.map((agency): Endpoint => ({
    label: `${agency} events`,
    service: agency,
    path: '/v1/events',
    kind: 'events',
  })),
  {
    label: 'Operation Encompass',
    service: 'police',
    path: '/v1/adapters/operation-encompass',
    kind: 'csv-adapter',
  },
  { label: 'concern export', service: 'education', path: '/v1/adapters/concern-export', kind: 'csv-adapter' },
  { label: 'CIN census', service: 'council', path: '/v1/adapters/cin-census', kind: 'adapter' },
  { label: 'FHIR', service: 'health', path: '/v1/adapters/fhir', kind: 'adapter' },
];

function rawBodyOf(raw: RawBody): string | Buffer {
  const csv = raw.contentType.startsWith('text/csv');
  if (raw.hex !== undefined) {
    const [before, after] = csv ? ['a,b\r\nc,', '\r\n'] : ['{"specversion":"1.0","id":"', '"}'];
    return Buffer.concat([Buffer.from(before), Buffer.from(raw.hex, 'hex'), Buffer.from(after)]);
  }
  if (raw.repeat !== undefined)
    return csv ? `a\r\n${'b'.repeat(raw.repeat)}` : `{"x":"${'b'.repeat(raw.repeat)}"}`;
  if (raw.nest !== undefined) return `${'['.repeat(raw.nest)}${']'.repeat(raw.nest)}`;
  return raw.body ?? '';
}

function rawCases(): HostileCase[] {
  const { bodies } = readJson<{ bodies: RawBody[] }>('raw-bodies.json');
  const cases: HostileCase[] = [];
  for (const raw of bodies) {
    for (const endpoint of ENDPOINTS) {
      const wanted =
        (endpoint.kind === 'events' && raw.to.includes('events')) ||
        (endpoint.kind !== 'events' && raw.to.includes('adapters')) ||
        (endpoint.kind === 'csv-adapter' && raw.to.includes('csv'));
      if (!wanted) continue;
      // A JSON object is no Bundle: FHIR names what a Bundle lacks, first its resourceType.
      const field =
        endpoint.label === 'FHIR' && raw.name === 'a JSON object where a batch belongs'
          ? 'resourceType'
          : raw.field;
      cases.push({
        group: 'raw',
        name: `${endpoint.label}: ${raw.name}`,
        service: endpoint.service,
        method: 'POST',
        path: endpoint.path,
        headers: { 'content-type': raw.contentType, ...asSystemOf(ORGANISATIONS[endpoint.service]) },
        body: rawBodyOf(raw),
        expect: { kind: 'problem', status: raw.status, ...(field ? { field } : {}) },
      });
    }
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------------------
// Tabular adapters: one valid row, changed one cell at a time, as CSV and as JSON
// ---------------------------------------------------------------------------------------------------------

/** A time `hoursAgo` as UK exports write it: DD/MM/YYYY HH:MM, local time. */
export function ukLocal(hoursAgo: number): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(Date.now() - hoursAgo * 3600_000));
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')}/${part('month')}/${part('year')} ${part('hour')}:${part('minute')}`;
}

interface TableCase {
  name: string;
  set?: Record<string, unknown>;
  row?: unknown;
  extra?: string;
  field: string;
}

interface Table {
  label: string;
  service: Agency;
  path: string;
  fields: readonly { key: string; column: string }[];
  file: string;
  validRow: () => Record<string, string>;
}

const TABLES: Table[] = [
  {
    label: 'Operation Encompass',
    service: 'police',
    path: '/v1/adapters/operation-encompass',
    fields: OPERATION_ENCOMPASS_FIELDS,
    file: 'operation-encompass.json',
    validRow: () => ({
      incident_reference: `CAD-${++serial}`,
      incident_datetime: ukLocal(10),
      child_nhs_number: aNhsNumber(),
      child_given_name: 'Amara',
      child_family_name: 'Example',
      child_dob: '02/04/2016',
      school_urn: '123456',
      child_present: 'yes',
      child_in_household: 'yes',
      officer_name: 'PC Example',
      officer_phone: '+44 20 7230 1212',
      officer_email: 'pc.example@met.police.example',
      summary: 'Police attended a domestic incident at home last night; the child was present.',
      risk_level: 'medium',
    }),
  },
  {
    label: 'concern export',
    service: 'education',
    path: '/v1/adapters/concern-export',
    fields: CONCERN_EXPORT_FIELDS,
    file: 'concern-export.json',
    validRow: () => ({
      concern_id: `CP-${++serial}`,
      pupil_upn: aUpn(),
      pupil_nhs_number: aNhsNumber(),
      pupil_given_name: 'Gus',
      pupil_family_name: 'Example',
      pupil_dob: '11/11/2015',
      concern_date: ukLocal(3),
      category: 'Neglect',
      summary: 'Arrived hungry again; spoke to the DSL.',
      recorded_by: 'Ms Example',
      actions: 'Breakfast club; Monitor',
      school_urn: '100001',
      school_name: 'Hillside Primary',
    }),
  },
];

const csvCell = (value: string): string =>
  /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

function asCsv(row: Record<string, unknown>, extra?: string): string {
  const columns = Object.keys(row);
  const line = columns.map((c) => csvCell(String(row[c]))).concat(extra !== undefined ? [extra] : []);
  return `${columns.join(',')}\r\n${line.join(',')}\r\n`;
}

function asJsonRow(row: Record<string, unknown>, fields: Table['fields']): Json {
  const keyOf = new Map(fields.map((f) => [f.column, f.key]));
  return Object.fromEntries(
    Object.entries(row).map(([column, value]) => [keyOf.get(column) ?? column, value]),
  );
}

function tableCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const table of TABLES) {
    const data = readJson<{ cases: TableCase[]; jsonOnly: TableCase[]; csvOnly: TableCase[] }>(table.file);
    const keyOf = new Map(table.fields.map((f) => [f.column, f.key]));
    const send = (name: string, contentType: string, body: string, field: string): void => {
      cases.push({
        group: 'tables',
        name: `${table.label} (${contentType.split('/')[1]}): ${name}`,
        service: table.service,
        method: 'POST',
        path: table.path,
        headers: { 'content-type': contentType, ...asSystemOf(ORGANISATIONS[table.service]) },
        body,
        expect: { kind: 'rejected-row', at: 1, field },
      });
    };
    for (const c of data.cases) {
      const row = { ...table.validRow() };
      for (const [column, value] of Object.entries(c.set ?? {})) row[column] = String(valueOf(value));
      send(c.name, 'text/csv', asCsv(row), c.field);
      send(
        c.name,
        'application/json',
        JSON.stringify([asJsonRow(row, table.fields)]),
        keyOf.get(c.field) ?? c.field,
      );
    }
    for (const c of data.jsonOnly) {
      const row: Json = c.row !== undefined ? (c.row as Json) : asJsonRow(table.validRow(), table.fields);
      if (c.row === undefined) for (const [key, value] of Object.entries(c.set ?? {})) row[key] = value;
      send(c.name, 'application/json', JSON.stringify([row]), c.field);
    }
    for (const c of data.csvOnly) send(c.name, 'text/csv', asCsv(table.validRow(), c.extra), c.field);
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------------------
// CIN census records and FHIR Bundles
// ---------------------------------------------------------------------------------------------------------

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export function validCinRecord(): Json {
  return {
    LAchildID: `LC-${++serial}`,
    UPN: aUpn(),
    NHSNumber: aNhsNumber(),
    PersonBirthDate: '2016-04-02',
    CINreferralDate: day(-120),
    ReferralSource: '6',
    PrimaryNeedCode: 'N1',
    ReferralDecision: 'assessment',
    ReferralDecisionDate: day(-119),
    Assessments: [
      {
        AssessmentActualStartDate: day(-119),
        AssessmentAuthorisationDate: day(-80),
        AssessmentOutcome: 'section-47',
      },
    ],
    ChildProtectionPlans: [{ CPPstartDate: day(-60), InitialCategoryOfAbuse: 'NEG' }],
    CouncilContact: { Team: 'East', Phone: '0113 222 4403', OutOfHoursPhone: '0113 240 9536' },
  };
}

export function validBundle(): Json {
  const nhsNumber = aNhsNumber();
  const n = ++serial;
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      {
        fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
        resource: {
          resourceType: 'Patient',
          identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber }],
          name: [{ use: 'official', given: ['Test'], family: 'Child' }],
        },
      },
      {
        resource: {
          resourceType: 'Encounter',
          id: `enc-hostile-${n}`,
          status: 'finished',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER' },
          reasonCode: [
            {
              coding: [{ system: 'http://snomed.info/sct', code: '125605004', display: 'Fracture of bone' }],
            },
          ],
          subject: { reference: `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}` },
          period: { start: new Date(Date.now() - 20 * 3600_000).toISOString() },
          serviceProvider: {
            identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RR801' },
            display: 'Leeds General Infirmary',
          },
        },
      },
      {
        resource: {
          resourceType: 'Flag',
          id: `flag-hostile-${n}`,
          status: 'active',
          category: [
            { coding: [{ system: 'urn:jigsaw:fhir:practitioner-role', code: 'school-nurse' }] },
            { coding: [{ system: 'urn:jigsaw:fhir:concern-category', code: 'neglect' }] },
          ],
          code: { text: 'Repeatedly arrives hungry and unwashed.' },
          period: { start: new Date(Date.now() - 48 * 3600_000).toISOString() },
        },
      },
    ],
  };
}

interface RecordCase {
  name: string;
  set?: Json;
  delete?: string[];
  record?: unknown;
  field: string;
  status?: number;
  entry?: number;
}

function recordCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const c of readJson<{ cases: RecordCase[] }>('cin-census.json').cases) {
    const record = 'record' in c ? c.record : changed(validCinRecord(), c);
    cases.push({
      group: 'records',
      name: `CIN census: ${c.name}`,
      service: 'council',
      method: 'POST',
      path: '/v1/adapters/cin-census',
      headers: { 'content-type': 'application/json', ...asSystemOf(ORGANISATIONS.council) },
      body: JSON.stringify([record]),
      expect: { kind: 'rejected-row', at: 1, field: c.field },
    });
  }
  for (const c of readJson<{ cases: RecordCase[] }>('fhir.json').cases) {
    cases.push({
      group: 'records',
      name: `FHIR: ${c.name}`,
      service: 'health',
      method: 'POST',
      path: '/v1/adapters/fhir',
      headers: { 'content-type': 'application/fhir+json', ...asSystemOf(ORGANISATIONS.health) },
      body: JSON.stringify(changed(validBundle(), c)),
      expect:
        c.entry !== undefined
          ? { kind: 'rejected-row', at: c.entry, field: c.field }
          : { kind: 'problem', status: c.status ?? 400, field: c.field },
    });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------------------
// Reads, sign-in, and the valid inputs
// ---------------------------------------------------------------------------------------------------------

function queryCases(): HostileCase[] {
  const { queries } = readJson<{ queries: { name: string; path: string; status: number; field?: string }[] }>(
    'queries.json',
  );
  const headers = { authorization: `Bearer ${practitionerToken(SOCIAL_WORKER, { ttlSeconds: 4 * 3600 })}` };
  return queries.map((q) => ({
    group: 'reads',
    name: q.name,
    service: 'safeguarding-view' as const,
    method: 'GET' as const,
    path: q.path,
    headers,
    expect: { kind: 'problem' as const, status: q.status, ...(q.field ? { field: q.field } : {}) },
  }));
}

function signInCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  const header = (token: string): Record<string, string> => ({
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  });
  const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
    JSON.stringify({ sub: 'x', agency: 'police', organisation: ORGANISATIONS.police, role: 'agency-system' }),
  ).toString('base64url')}.`;
  const examples = validExamples();
  for (const agency of AGENCIES) {
    const organisation = ORGANISATIONS[agency];
    // A valid event of this agency from this organisation: only the sign-in is wrong.
    const example = examples.find(
      (e) => e.envelope['source'] === organisation && !e.file.startsWith('control/'),
    )!;
    const event = (): Json => ({ ...structuredClone(example.envelope), id: freshId('s') });
    const variants: { name: string; headers: Record<string, string>; status: number; field?: string }[] = [
      { name: 'no token', headers: { 'content-type': 'application/json' }, status: 401 },
      {
        name: 'an expired token',
        headers: header(agencySystemToken(organisation, { ttlSeconds: -60 })),
        status: 401,
      },
      { name: 'an unsigned token (alg none)', headers: header(unsigned), status: 401 },
      {
        name: 'a token signed with another key',
        headers: header(
          agencySystemToken(organisation, { secret: 'someone-elses-secret-of-32-characters!!' }),
        ),
        status: 401,
      },
      {
        name: 'a practitioner token',
        headers: header(practitionerToken(SOCIAL_WORKER)),
        status: 403,
        field: 'role',
      },
      {
        name: "another organisation's system",
        headers: header(agencySystemToken(`urn:jigsaw:org:${agency}:someone-else`)),
        status: 403,
        field: 'source',
      },
    ];
    for (const v of variants) {
      const sent = event();
      cases.push({
        group: 'sign-in',
        name: `${agency}: ${v.name}`,
        service: agency,
        method: 'POST',
        path: '/v1/events',
        headers: v.headers,
        body: JSON.stringify(sent),
        expect: { kind: 'problem', status: v.status, ...(v.field ? { field: v.field } : {}) },
        event: { source: organisation, id: String(sent['id']), sent },
      });
    }
  }
  const read = (
    name: string,
    authorization: string | undefined,
    status: number,
    field?: string,
  ): HostileCase => ({
    group: 'sign-in',
    name: `safeguarding-view: ${name}`,
    service: 'safeguarding-view',
    method: 'GET',
    path: '/v1/children/9434765919/chronology?purpose=safeguarding',
    headers: authorization ? { authorization: `Bearer ${authorization}` } : {},
    expect: { kind: 'problem', status, ...(field ? { field } : {}) },
  });
  cases.push(
    read('no token', undefined, 401),
    read('an agency system token', agencySystemToken(ORGANISATIONS.police), 403, 'role'),
    read('an unsigned token', unsigned, 401),
    read('an expired token', practitionerToken(SOCIAL_WORKER, { ttlSeconds: -60 }), 401),
  );
  return cases;
}

function validCases(): HostileCase[] {
  const data = readJson<{ events: { name: string; set: Json }[]; reuse: { name: string; changed: Json } }>(
    'valid.json',
  );
  const post = (name: string, envelope: Json, expect: Expectation): HostileCase => ({
    group: 'valid',
    name,
    service: 'police',
    method: 'POST',
    path: '/v1/events',
    headers: { 'content-type': 'application/json', ...asSystemOf(ORGANISATIONS.police) },
    body: JSON.stringify(toCloudEvent(envelope as unknown as JigsawEnvelope)),
    expect,
    event: { source: String(envelope['source']), id: String(envelope['id']), sent: envelope },
  });
  const cases = data.events.map((e) =>
    post(e.name, changed(anIncidentNotification() as unknown as Json, { set: e.set }), {
      kind: 'accepted',
      status: 202,
    }),
  );
  const original = anIncidentNotification() as unknown as Json;
  cases.push(
    post(`${data.reuse.name}: the first time`, original, { kind: 'accepted', status: 202 }),
    post(`${data.reuse.name}: the same again`, original, { kind: 'accepted', status: 202 }),
    {
      ...post(data.reuse.name, changed(original, { set: data.reuse.changed }), {
        kind: 'problem',
        status: 409,
        field: 'id',
      }),
      // Refused, yet its id is stored: with the first content, which the final check compares.
      event: undefined,
    },
  );
  // The valid base of every adapter case, so a refusal there is the change's doing.
  const table = (t: Table, contentType: string): HostileCase => {
    const row = t.validRow();
    return {
      group: 'valid',
      name: `${t.label}: a valid row as ${contentType}`,
      service: t.service,
      method: 'POST',
      path: t.path,
      headers: { 'content-type': contentType, ...asSystemOf(ORGANISATIONS[t.service]) },
      body: contentType === 'text/csv' ? asCsv(row) : JSON.stringify([asJsonRow(row, t.fields)]),
      expect: { kind: 'accepted', status: 200 },
    };
  };
  for (const t of TABLES) cases.push(table(t, 'text/csv'), table(t, 'application/json'));
  cases.push(
    {
      group: 'valid',
      name: 'CIN census: a valid record',
      service: 'council',
      method: 'POST',
      path: '/v1/adapters/cin-census',
      headers: { 'content-type': 'application/json', ...asSystemOf(ORGANISATIONS.council) },
      body: JSON.stringify([validCinRecord()]),
      expect: { kind: 'accepted', status: 200 },
    },
    {
      group: 'valid',
      name: 'FHIR: a valid Bundle',
      service: 'health',
      method: 'POST',
      path: '/v1/adapters/fhir',
      headers: { 'content-type': 'application/fhir+json', ...asSystemOf(ORGANISATIONS.health) },
      body: JSON.stringify(validBundle()),
      expect: { kind: 'accepted', status: 200 },
    },
  );
  return cases;
}

/** Every case, valid ones first (so the adapters' bases are known good), then the hostile ones. */
export function hostileCorpus(): HostileCase[] {
  return [
    ...validCases(),
    ...envelopeCases(),
    ...rawCases(),
    ...tableCases(),
    ...recordCases(),
    ...queryCases(),
    ...signInCases(),
  ];
}
