// Every route of all six services, called live: each answer's status must be one the service's own OpenAPI
// document (/docs-json) lists for the route, and its body must validate, with ajv, against the schema the
// document gives for that status and media type. A route the scenario never called fails the last test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv, type ValidateFunction } from 'ajv';
import formatsPlugin from 'ajv-formats';
import { repoRoot } from '@jigsaw/config';
import {
  agencySystemToken,
  aNhsNumber,
  createTestDatabase,
  practitionerToken,
  testBrokers,
  uniqueTopicPrefix,
  type PractitionerClaims,
  type TestDatabase,
} from '@jigsaw/testing';
import { ukCoreBundle } from '../apps/health/src/fhir/testing/uk-core.js';
import { eventually } from './support/http.js';
import { ServiceProcess, type ServiceName } from './support/service-process.js';

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components?: Json;
}

const SERVICES = [
  'audit',
  'council',
  'education',
  'health',
  'notifications',
  'police',
  'safeguarding-view',
] as const;
const AGENCIES = ['council', 'education', 'health', 'police'] as const;
const SCHOOL = 'urn:jigsaw:org:education:hillside-primary';
const LEEDS = 'urn:jigsaw:org:council:leeds';
const TRUST = 'urn:jigsaw:org:health:leeds-teaching-hospitals';

const person = (role: string, organisation: string, purposes: string[]): PractitionerClaims => ({
  sub: `${role}-1`,
  agency: organisation.split(':')[3]!,
  organisation,
  role,
  purposes,
});
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const dsl = bearer(practitionerToken(person('designated-safeguarding-lead', SCHOOL, ['safeguarding'])));
const socialWorker = bearer(practitionerToken(person('social-worker', LEEDS, ['child-protection'])));
const clinician = bearer(practitionerToken(person('clinician', TRUST, ['health-care'])));
const dpo = bearer(practitionerToken(person('data-protection-officer', LEEDS, ['audit'])));
const partnershipLead = bearer(practitionerToken(person('partnership-lead', LEEDS, ['safeguarding'])));

/** An event each agency can record with nothing before it, as schemas/ publishes it. */
const EXAMPLES: Record<(typeof AGENCIES)[number], [string, string]> = {
  council: ['child-protection-plan-started', 'neglect.json'],
  education: ['pupil-on-roll', 'year-5.json'],
  health: ['unscheduled-care-attended', 'emergency-department.json'],
  police: ['domestic-abuse-incident-notified', 'child-present.json'],
};
const anExample = (agency: string, type: string, file: string): Json =>
  JSON.parse(
    readFileSync(join(repoRoot(), 'schemas', agency, type, 'examples', 'valid', file), 'utf8'),
  ) as Json;

/** The documented route a concrete path and method match: `/v1/children/123/view` is `/v1/children/{ref}/view`. */
function routeOf(document: Document, method: string, path: string): string | undefined {
  const bare = path.split('?')[0]!;
  return Object.keys(document.paths).find((template) => {
    if (!document.paths[template]![method]) return false;
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return pattern.test(bare);
  });
}

describe('every route answers as its OpenAPI document says', () => {
  let db: TestDatabase;
  let services: Record<ServiceName, ServiceProcess>;
  const documents = new Map<string, Document>();
  // OpenAPI 3.0 schemas: `example` and `nullable` are theirs, not JSON Schema's, so not strict.
  const ajv = new Ajv({ strict: false, allErrors: true });
  formatsPlugin.default(ajv);
  const validators = new Map<string, ValidateFunction>();
  const answered = new Set<string>();
  const failures: string[] = [];

  /** Calls a route and checks the answer against the document; returns the answer for the scenario. */
  const call = async (
    service: (typeof SERVICES)[number],
    method: 'get' | 'post',
    path: string,
    init: { headers?: Record<string, string>; body?: unknown; contentType?: string } = {},
  ): Promise<{ status: number; body: unknown }> => {
    const document = documents.get(service)!;
    const response = await fetch(`${services[service].url}${path}`, {
      method: method.toUpperCase(),
      redirect: 'manual',
      headers: {
        ...(init.body === undefined ? {} : { 'content-type': init.contentType ?? 'application/json' }),
        ...init.headers,
      },
      ...(init.body === undefined
        ? {}
        : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
    });
    const text = await response.text();
    const media = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const route = routeOf(document, method, path);
    const where = `${service} ${method.toUpperCase()} ${route ?? path} ${response.status}`;
    if (!route) {
      failures.push(`${where}: no such route in the document`);
      return { status: response.status, body: text };
    }
    answered.add(`${service} ${method.toUpperCase()} ${route}`);
    const documented = document.paths[route]![method]!.responses[String(response.status)];
    if (!documented) {
      failures.push(`${where}: status not documented (${text.slice(0, 200)})`);
      return { status: response.status, body: text };
    }
    if (!documented.content || Object.keys(documented.content).length === 0) {
      if (text !== '' && response.status !== 302)
        failures.push(`${where}: answers ${media} but documents no content`);
      return { status: response.status, body: text };
    }
    const schema = documented.content[media]?.schema;
    if (!schema) {
      failures.push(`${where}: answers ${media}, documented ${Object.keys(documented.content).join(', ')}`);
      return { status: response.status, body: text };
    }
    const json = /json$/.test(media);
    const body: unknown = json ? JSON.parse(text) : text;
    const key = `${where} ${media}`;
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile({ ...schema, components: document.components ?? {} });
      validators.set(key, validate);
    }
    if (!validate(body)) {
      failures.push(`${where} ${media}: ${ajv.errorsText(validate.errors)} in ${text.slice(0, 300)}`);
    }
    return { status: response.status, body };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers(),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('answers'),
    };
    // One at a time: seven starting together on a small machine can outlast the readiness wait.
    const list: ServiceProcess[] = [];
    for (const service of SERVICES) list.push(await ServiceProcess.start(service, env));
    services = Object.fromEntries(list.map((s) => [s.name, s])) as Record<ServiceName, ServiceProcess>;
    for (const service of SERVICES) {
      const response = await fetch(`${services[service].url}/docs-json`);
      documents.set(service, (await response.json()) as Document);
    }
  }, 400_000);
  afterAll(async () => {
    await Promise.all(Object.values(services ?? {}).map((s) => s.stop()));
    await db?.drop();
  });

  it('health checks and event ingest, on every service', async () => {
    for (const service of SERVICES) {
      expect(await call(service, 'get', '/health/live')).toMatchObject({ status: 200 });
      expect(await call(service, 'get', '/health/ready')).toMatchObject({ status: 200 });
    }
    for (const agency of AGENCIES) {
      const [type, file] = EXAMPLES[agency];
      const event = anExample(agency, type, file);
      const system = bearer(agencySystemToken(String(event['source'])));
      expect(await call(agency, 'post', '/v1/events', { headers: system, body: event })).toMatchObject({
        status: 202,
      });
      const cloudEvent = { headers: system, body: event, contentType: 'application/cloudevents+json' };
      expect(await call(agency, 'post', '/v1/events', cloudEvent)).toMatchObject({ status: 202 });
      const conflicting = { ...event, time: '2020-01-01T00:00:00Z' };
      expect(await call(agency, 'post', '/v1/events', { headers: system, body: conflicting })).toMatchObject({
        status: 409,
      });
      expect(await call(agency, 'post', '/v1/events', { headers: system, body: {} })).toMatchObject({
        status: 400,
      });
      expect(await call(agency, 'post', '/v1/events', { body: event })).toMatchObject({ status: 401 });
    }
  }, 120_000);

  it('the adapters: Operation Encompass, the CIN census, the concern export and FHIR', async () => {
    const police = bearer(agencySystemToken('urn:jigsaw:org:police:met'));
    const council = bearer(agencySystemToken(LEEDS));
    const school = bearer(agencySystemToken(SCHOOL));
    const trust = bearer(agencySystemToken(TRUST));
    for (const [service, path, system] of [
      ['police', '/v1/adapters/operation-encompass', police],
      ['council', '/v1/adapters/cin-census', council],
      ['education', '/v1/adapters/concern-export', school],
    ] as const) {
      expect(await call(service, 'post', path, { headers: system, body: [{}] })).toMatchObject({
        status: 200,
      });
      expect(await call(service, 'post', path, { headers: system, body: { not: 'rows' } })).toMatchObject({
        status: 400,
      });
      expect(await call(service, 'post', path, { body: [] })).toMatchObject({ status: 401 });
    }
    const fhir = '/v1/adapters/fhir';
    const fhirJson = 'application/fhir+json';
    for (const type of ['collection', 'batch', 'transaction']) {
      const bundle = { headers: trust, body: ukCoreBundle(type, aNhsNumber()), contentType: fhirJson };
      expect([200, 400]).toContain((await call('health', 'post', fhir, bundle)).status);
    }
    const xml = { headers: trust, body: '<Bundle/>', contentType: 'application/fhir+xml' };
    expect(await call('health', 'post', fhir, xml)).toMatchObject({ status: 415 });
    expect(await call('health', 'post', fhir, { body: {}, contentType: fhirJson })).toMatchObject({
      status: 401,
    });
  }, 120_000);

  /** The child the view's test records; the audit's test reads its history. */
  const known = aNhsNumber();

  it("the safeguarding view: a child's view, chronology, claims, FHIR Flag, identity, console", async () => {
    const nhsNumber = known;
    for (const agency of ['police', 'education', 'council'] as const) {
      const event = anExample(agency, ...EXAMPLES[agency]);
      const data = event['data'] as Json;
      const body = {
        ...event,
        id: `answers-${agency}`,
        data: { ...data, child: { ...(data['child'] as Json), nhsNumber } },
      };
      const system = bearer(agencySystemToken(String(event['source'])));
      expect(await call(agency, 'post', '/v1/events', { headers: system, body })).toMatchObject({
        status: 202,
      });
    }
    const view = `/v1/children/${nhsNumber}`;
    await eventually(
      async () =>
        (await call('safeguarding-view', 'get', `${view}/chronology?purpose=safeguarding`, { headers: dsl }))
          .status === 200 || undefined,
      30_000,
      "the school's view of the child",
    );
    const get = (path: string, headers: Record<string, string> = dsl) =>
      call('safeguarding-view', 'get', path, { headers });
    expect(await get(`${view}/view?purpose=safeguarding`)).toMatchObject({ status: 200 });
    expect(await get(`${view}/chronology?purpose=safeguarding&limit=0`)).toMatchObject({ status: 400 });
    expect(await get(`${view}/chronology?purpose=child-protection`)).toMatchObject({ status: 403 });
    expect(await get(`/v1/children/${aNhsNumber()}/view?purpose=safeguarding`)).toMatchObject({
      status: 404,
    });
    expect(await get(`/v1/children?nhsNumber=${nhsNumber}&purpose=safeguarding`)).toMatchObject({
      status: 200,
    });
    expect(await get(`/v1/children?nhsNumber=123&purpose=safeguarding`)).toMatchObject({ status: 400 });
    expect(await call('safeguarding-view', 'get', `${view}/view?purpose=safeguarding`)).toMatchObject({
      status: 401,
    });

    const claim = {
      nhsNumber,
      purpose: 'child-protection',
      reason: 'Strategy discussion today: reading what partners shared about this child.',
    };
    const claims = '/v1/children/access-claims?purpose=child-protection';
    expect(
      await call('safeguarding-view', 'post', claims, { headers: socialWorker, body: claim }),
    ).toMatchObject({ status: 201 });
    expect(
      await call('safeguarding-view', 'post', claims, { headers: socialWorker, body: {} }),
    ).toMatchObject({ status: 400 });
    expect(await get('/v1/children/access-claims?purpose=audit', dpo)).toMatchObject({ status: 200 });
    expect(await get(claims, socialWorker)).toMatchObject({ status: 403 });
    expect(await get('/v1/security-log?purpose=audit', dpo)).toMatchObject({ status: 200 });
    expect(await get('/v1/security-log?purpose=safeguarding')).toMatchObject({ status: 403 });

    // The partnership commissions a review of the child for its panel, then closes it.
    const reviews = (path: string, body: unknown, headers = partnershipLead) =>
      call('safeguarding-view', 'post', `/v1/reviews${path}?purpose=safeguarding`, { headers, body });
    const review = {
      nhsNumber,
      reference: 'CSPR-2026-014',
      panelOrganisation: 'urn:jigsaw:org:council:leeds-partnership',
      periodFrom: '2026-01-01',
      periodTo: '2026-12-31',
      until: new Date(Date.now() + 86_400_000).toISOString(),
    };
    const opened = await reviews('', review);
    expect(opened).toMatchObject({ status: 201, body: { reference: review.reference } });
    const { childId } = opened.body as { childId: string };
    expect(await reviews('', review)).toMatchObject({ status: 409 });
    expect(await reviews('', { ...review, periodTo: '2025-12-31' })).toMatchObject({ status: 400 });
    expect(await reviews('', { ...review, nhsNumber: aNhsNumber() })).toMatchObject({ status: 404 });
    expect(await reviews('', review, dsl)).toMatchObject({ status: 403 });
    const close = `/${childId}/${review.reference}/close`;
    expect(await reviews(close, {}, dsl)).toMatchObject({ status: 403 });
    expect(await reviews(close, {})).toMatchObject({ status: 200, body: { childId } });
    expect(await reviews(close, {})).toMatchObject({ status: 409 });
    expect(await reviews(`/${childId}/no-such-review/close`, {})).toMatchObject({ status: 404 });

    expect(await call('safeguarding-view', 'get', '/fhir/metadata')).toMatchObject({ status: 200 });
    // Searched as a CP-IS consumer searches, naming no purpose: for direct care, and recorded as such.
    const flag = { status: 200, body: { resourceType: 'Bundle', type: 'searchset' } };
    expect(await get(`/fhir/Flag?patient=${nhsNumber}`, clinician)).toMatchObject(flag);
    expect(await get(`/fhir/Flag?patient=${nhsNumber}&purpose=health-care`, clinician)).toMatchObject(flag);
    expect(await get(`/fhir/Flag?patient=${nhsNumber}&purpose=safeguarding`, clinician)).toMatchObject({
      status: 403,
    });
    // Each search is recorded: the CP-IS read, and before it the refused read of a child it has no relationship with.
    const { rows } = await db.pool.query<{ view: string; purpose: string }>(
      `SELECT payload->'data'->'record'->>'view' AS view, payload->'data'->'record'->>'purpose' AS purpose
         FROM event_store.events
        WHERE type = 'hub.record-accessed' AND payload->'data'->'record'->'viewer'->>'organisation' = $1`,
      [TRUST],
    );
    expect(rows.filter((r) => r.view === 'cp-is-flag').map((r) => r.purpose)).toEqual([
      'health-care',
      'health-care',
    ]);
    expect(new Set(rows.map((r) => r.purpose))).toEqual(new Set(['health-care']));
    expect(await get('/fhir/Flag?patient=123&purpose=health-care', clinician)).toMatchObject({ status: 400 });

    const identity = (path: string, body?: unknown, headers = socialWorker) =>
      call(
        'safeguarding-view',
        body === undefined ? 'get' : 'post',
        `/v1/identity/${path}?purpose=child-protection`,
        {
          headers,
          ...(body === undefined ? {} : { body }),
        },
      );
    const reason = { reason: 'The two records are the same child, as the council confirmed.' };
    const unknown = crypto.randomUUID();
    expect(await identity('possible-matches')).toMatchObject({ status: 200 });
    expect(await identity('possible-matches', undefined, dsl)).toMatchObject({ status: 403 });
    // A decision about nothing the hub holds is refused; whichever refusal, it is documented and checked.
    const refusals = [
      await identity(`possible-matches/${unknown}/confirm`, reason),
      await identity(`possible-matches/${unknown}/reject`, reason),
      await identity(`links/${unknown}/split`, reason),
      await identity('merges', { ...reason, childId: unknown, mergedChildId: crypto.randomUUID() }),
      await identity('unborn-links', {}),
      await identity('renumberings', { ...reason, previousNhsNumber: aNhsNumber(), nhsNumber: aNhsNumber() }),
    ];
    for (const refused of refusals) expect([400, 404, 409]).toContain(refused.status);
    expect(refusals[4]).toMatchObject({ status: 400 });

    for (const path of [
      '/console',
      '/console/console.js',
      '/console/console.css',
      '/console/oauth4webapi.js',
    ]) {
      expect(await call('safeguarding-view', 'get', path)).toMatchObject({ status: 200 });
    }
    expect(await call('safeguarding-view', 'get', '/console/config')).toMatchObject({ status: 200 });
    expect(await get('/console/session')).toMatchObject({ status: 200 });
    expect(await call('safeguarding-view', 'get', '/console/session')).toMatchObject({ status: 401 });
    expect(await call('safeguarding-view', 'get', '/')).toMatchObject({ status: 302 });
  }, 120_000);

  it('the audit service: operations, access log, as known at, subject access', async () => {
    const get = (path: string, headers: Record<string, string> = dpo) =>
      call('audit', 'get', path, { headers });
    expect(await get('/v1/operations')).toMatchObject({ status: 200 });
    const run = (name: string) => call('audit', 'post', `/v1/operations/${name}`, { headers: dpo, body: {} });
    expect(await run('verify')).toMatchObject({ status: 200 });
    expect(await run('no-such')).toMatchObject({ status: 400 });
    // The child of the view's test: Leeds, whose data protection officer this is, has it on a plan.
    const child = `/v1/children/${known}`;
    expect(await get(`${child}/access-log`)).toMatchObject({ status: 200 });
    expect(await get(`${child}/subject-access-export`)).toMatchObject({ status: 200 });
    expect(await get(`${child}/subject-access-export?format=html`)).toMatchObject({ status: 200 });
    // A data protection officer replays what their own organisation saw, and no other's.
    const viewer = `viewer=${encodeURIComponent(LEEDS)}&role=social-worker&purpose=child-protection`;
    const school = `viewer=${encodeURIComponent(SCHOOL)}&role=designated-safeguarding-lead&purpose=safeguarding`;
    const at = encodeURIComponent(new Date().toISOString());
    expect(await get(`${child}/as-known-at?${viewer}&at=${at}`)).toMatchObject({ status: 200 });
    expect(await get(`${child}/as-known-at?${school}&at=${at}`)).toMatchObject({ status: 403 });
    expect(await get(`${child}/as-known-at?at=yesterday`)).toMatchObject({ status: 400 });
    expect(await get(`/v1/children/${aNhsNumber()}/access-log`)).toMatchObject({ status: 404 });
    expect(await get(`${child}/access-log`, dsl)).toMatchObject({ status: 403 });
    expect(await call('audit', 'get', `${child}/access-log`)).toMatchObject({ status: 401 });
    // One notification's history: none with this id in the officer's scope, and an id that is none.
    const notification = `/v1/notifications/${crypto.randomUUID()}/history`;
    expect(await get(notification)).toMatchObject({ status: 404 });
    expect(await get('/v1/notifications/not-an-id/history')).toMatchObject({ status: 400 });
    expect(await get(notification, dsl)).toMatchObject({ status: 403 });
  });

  it('the notifications service: the inbox and acknowledging', async () => {
    const inbox = '/v1/notifications?purpose=safeguarding';
    expect(await call('notifications', 'get', inbox, { headers: dsl })).toMatchObject({ status: 200 });
    const ack = `/v1/notifications/${crypto.randomUUID()}/acknowledgement?purpose=safeguarding`;
    expect(await call('notifications', 'post', ack, { headers: dsl })).toMatchObject({ status: 404 });
  });

  it('found every answer as documented, and called every documented route', () => {
    const routes = [...documents].flatMap(([service, document]) =>
      Object.entries(document.paths).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${service} ${method.toUpperCase()} ${path}`),
      ),
    );
    expect(failures).toEqual([]);
    expect(routes.filter((route) => !answered.has(route))).toEqual([]);
  });
});
