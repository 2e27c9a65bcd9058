import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { repoRoot } from '@jigsaw/config';
import {
  aNhsNumber,
  aUpn,
  agencySystemToken,
  createTestDatabase,
  METROPOLITAN_POLICE,
  practitionerToken,
  promtool,
  startServices,
  testBrokers,
  uniqueTopicPrefix,
  type ServiceName,
  type ServiceProcess,
  type TestDatabase,
} from '@jigsaw/testing';
import { getJson, postEvent, postJson, eventually, exampleEvent } from './support/http.js';

/** A span as the `file` exporter writes it (libs/telemetry SpanRecord). */
interface Span {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: string;
  attributes: Record<string, unknown>;
  links: { traceId: string; spanId: string }[];
}

interface Envelope {
  id: string;
  source: string;
  type: string;
  subject: Record<string, unknown>;
}

/** An agency's own valid example of a type, re-addressed to this test's child under a fresh id. */
function exampleFor(type: string, subject: Record<string, unknown>): Envelope {
  const folder = join(repoRoot(), 'schemas', type.replace('.', '/'), 'examples/valid');
  const file = readdirSync(folder).find((f) => f.endsWith('.json'))!;
  const example = exampleEvent<Envelope>(join(folder, file));
  return { ...example, id: `telemetry-${type}-${randomBytes(4).toString('hex')}`, subject };
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** Agency systems and practitioners call with their own trace context, as an instrumented client would. */
function traceparent(): { traceId: string; parentId: string; header: string } {
  const traceId = hex(16);
  const parentId = hex(8);
  return { traceId, parentId, header: `00-${traceId}-${parentId}-01` };
}

/** A child whose every identifier and personal detail is distinctive enough to be found anywhere. */
function aTestChild(): {
  nhsNumber: string;
  upn: string;
  given: string;
  family: string;
  birthDate: string;
  postcode: string;
  addressLine: string;
} {
  const tag = hex(3);
  return {
    nhsNumber: aNhsNumber(),
    upn: aUpn(),
    given: `Zephyrine${tag}`,
    family: `Quillfeather${tag}`,
    birthDate: '2015-07-19',
    postcode: 'LS6 2QZ',
    addressLine: `17 Larkspur Row ${tag}`,
  };
}

describe('telemetry across the four agencies and the view', () => {
  let db: TestDatabase;
  let dir: string;
  let spansFile: string;
  const services = new Map<ServiceName, ServiceProcess>();
  const child = aTestChild();
  // Children who appear only in a batch export, and one whose NHS number fails its check digit.
  const batchChild = aTestChild();
  const badNhsNumber = `${child.nhsNumber.slice(0, 9)}${(Number(child.nhsNumber[9]) + 1) % 10}`;
  const subject = {
    nhsNumber: child.nhsNumber,
    name: { given: child.given, family: child.family },
    birthDate: child.birthDate,
    postcode: child.postcode,
  };

  const url = (name: ServiceName): string => services.get(name)!.url;
  const readSpans = (): Span[] =>
    existsSync(spansFile)
      ? readFileSync(spansFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Span)
      : [];

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'jigsaw-telemetry-'));
    spansFile = join(dir, 'spans.jsonl');
    const started = await startServices(
      {
        DATABASE_URL: db.url,
        KAFKA_BROKERS: testBrokers(),
        KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('telemetry'),
        OTEL_TRACES_EXPORTER: 'file',
        JIGSAW_TRACES_FILE: spansFile,
        // Everything a service can say: the per-request lines are debug.
        LOG_LEVEL: 'debug',
      },
      'council',
      'police',
      'health',
      'education',
      'safeguarding-view',
      'audit',
    );
    started.forEach((service) => services.set(service.name, service));
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...services.values()].map((s) => s.stop()));
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const posted: { service: ServiceName; event: Envelope; traceId: string; parentId: string }[] = [];
  let readTraceparent: { traceId: string; parentId: string } | undefined;

  it('records one event from each agency, a batch, a FHIR Bundle and a refusal, then reads them', async () => {
    const events: [ServiceName, Envelope][] = [
      ['council', exampleFor('council.child-protection-plan-started', subject)],
      ['police', exampleFor('police.domestic-abuse-incident-notified', subject)],
      ['health', exampleFor('health.unscheduled-care-attended', subject)],
      ['education', exampleFor('education.safeguarding-concern-recorded', { ...subject, upn: child.upn })],
    ];
    for (const [service, event] of events) {
      const trace = traceparent();
      const response = await postEvent(`${url(service)}/v1/events`, event, {
        authorization: `Bearer ${agencySystemToken(event.source)}`,
        traceparent: trace.header,
      });
      expect({ service, status: response.status }).toEqual({ service, status: 202 });
      posted.push({ service, event, traceId: trace.traceId, parentId: trace.parentId });
    }

    // Refused for its NHS number: the refusal is logged and traced, the number itself never.
    const refused = await postEvent(
      `${url('police')}/v1/events`,
      exampleFor('police.domestic-abuse-incident-notified', { ...subject, nhsNumber: badNhsNumber }),
      { authorization: `Bearer ${agencySystemToken(METROPOLITAN_POLICE)}` },
    );
    expect(refused.status).toBe(400);

    const csv = [
      'incident_reference,incident_datetime,child_nhs_number,child_given_name,child_family_name,child_dob,school_urn,child_present,officer_name,officer_phone,summary',
      `CAD-7001,${new Date(Date.now() - 5 * 3600_000).toISOString().slice(0, 16)}Z,${batchChild.nhsNumber},${batchChild.given},${batchChild.family},19/07/2015,,yes,PC Example,020 7230 1212,Incident at home.`,
    ].join('\r\n');
    const batch = await fetch(`${url('police')}/v1/adapters/operation-encompass`, {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        authorization: `Bearer ${agencySystemToken(METROPOLITAN_POLICE)}`,
      },
      body: csv,
    });
    expect(batch.status).toBe(200);
    expect(((await batch.json()) as { accepted: number }).accepted).toBe(1);

    const trust = 'urn:jigsaw:org:health:leeds-teaching-hospitals';
    const patient = 'urn:uuid:0c7d4f5e-1a2b-4c3d-8e9f-a0b1c2d3e4f5';
    const bundle = await postJson<{ entries: { resourceType: string; status: string }[] }>(
      `${url('health')}/v1/adapters/fhir`,
      {
        resourceType: 'Bundle',
        type: 'collection',
        entry: [
          {
            fullUrl: patient,
            resource: {
              resourceType: 'Patient',
              identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: batchChild.nhsNumber }],
              name: [{ use: 'official', given: [batchChild.given], family: batchChild.family }],
              birthDate: batchChild.birthDate,
              address: [{ line: [batchChild.addressLine], postalCode: batchChild.postcode }],
            },
          },
          {
            resource: {
              resourceType: 'Encounter',
              id: `enc-${hex(4)}`,
              status: 'finished',
              class: { code: 'EMER' },
              reasonCode: [
                {
                  coding: [
                    { system: 'http://snomed.info/sct', code: '125605004', display: 'Fracture of bone' },
                  ],
                },
              ],
              subject: { reference: patient },
              period: { start: new Date(Date.now() - 20 * 3600_000).toISOString() },
              serviceProvider: { display: 'Leeds General Infirmary' },
            },
          },
        ],
      },
      { authorization: `Bearer ${agencySystemToken(trust)}` },
    );
    expect(bundle.status).toBe(200);
    expect(bundle.body.entries).toEqual([
      expect.objectContaining({ resourceType: 'Encounter', status: 'accepted' }),
    ]);

    const socialWorker = {
      authorization: `Bearer ${practitionerToken({
        sub: 'sw-1',
        agency: 'council',
        organisation: events[0]![1].source,
        role: 'social-worker',
        purposes: ['safeguarding'],
      })}`,
    };
    // The NHS number travels in the path: spans and metrics must name the route's template instead.
    await eventually(
      async () => {
        const read = await getJson<{ entries: unknown[] }>(
          `${url('safeguarding-view')}/v1/children/${child.nhsNumber}/chronology?purpose=safeguarding`,
          socialWorker,
        );
        return read.status === 200 && read.body.entries.length >= 4 ? read.body : undefined;
      },
      30_000,
      'four entries in the chronology',
    );
    const trace = traceparent();
    const found = await getJson<{ childId: string }>(
      `${url('safeguarding-view')}/v1/children?upn=${child.upn}&purpose=safeguarding`,
      { ...socialWorker, traceparent: trace.header },
    );
    expect(found.status).toBe(200);
    readTraceparent = trace;
  });

  it("makes each event's projection span a descendant of the agency request's span", async () => {
    const spans = await eventually(
      () => {
        const all = readSpans();
        const projected = posted.every(({ traceId }) =>
          all.some((s) => s.traceId === traceId && s.name === 'projection apply'),
        );
        return Promise.resolve(projected ? all : undefined);
      },
      15_000,
      'a projection span in every trace',
    );
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const ancestry = (span: Span): Span[] => {
      const chain = [span];
      for (
        let parent = byId.get(span.parentSpanId ?? '');
        parent;
        parent = byId.get(parent.parentSpanId ?? '')
      ) {
        chain.push(parent);
      }
      return chain;
    };

    for (const { service, event, traceId, parentId } of posted) {
      const projection = spans.find((s) => s.traceId === traceId && s.name === 'projection apply')!;
      const chain = ancestry(projection);
      expect({ service, chain: chain.map((s) => `${s.service}: ${s.name}`) }).toEqual({
        service,
        chain: [
          'safeguarding-view: projection apply',
          // Whichever agency service holds the relay's lock publishes every service's outbox.
          expect.stringMatching(/^(council|police|health|education): outbox relay$/),
          `${service}: event-store append`,
          `${service}: command RecordEvent`,
          `${service}: POST /v1/events`,
        ],
      });
      // The agency's request span continues the caller's trace.
      const request = chain[chain.length - 1]!;
      expect(request.parentSpanId).toBe(parentId);
      expect(request.kind).toBe('SERVER');
      expect(projection.attributes).toMatchObject({
        'jigsaw.event.type': event.type,
        'jigsaw.agency': service,
        'jigsaw.outcome': 'applied',
      });
      expect(chain.find((s) => s.name === 'event-store append')!.attributes).toMatchObject({
        'jigsaw.stream.kind': service,
        'jigsaw.event.type': event.type,
      });
    }
  });

  it('traces each read through the record of that read', async () => {
    const spans = await eventually(
      () => {
        const all = readSpans();
        const done = all.some((s) => s.traceId === readTraceparent?.traceId && s.kind === 'SERVER');
        return Promise.resolve(done ? all : undefined);
      },
      10_000,
      'the read traced',
    );
    const read = spans.filter((s) => s.traceId === readTraceparent!.traceId);
    const server = read.find((s) => s.kind === 'SERVER')!;
    expect(server).toMatchObject({
      service: 'safeguarding-view',
      name: 'GET /v1/children',
      parentSpanId: readTraceparent!.parentId,
      attributes: { 'http.route': '/v1/children', 'http.response.status_code': 200 },
    });
    // The read waits in its trace until its access record is durable...
    const record = read.find((s) => s.name === 'access record')!;
    expect(record.parentSpanId).toBe(server.spanId);
    expect(record.attributes).toMatchObject({ 'jigsaw.event.type': 'hub.record-accessed' });
    // ...which a group commit, in a trace of its own, writes for every read waiting with it.
    const commit = spans.find(
      (s) => s.name === 'access log commit' && s.links.some((l) => l.spanId === record.spanId),
    )!;
    expect(commit).toBeDefined();
    const append = spans.find((s) => s.parentSpanId === commit.spanId)!;
    expect(append).toMatchObject({ name: 'event-store append', traceId: commit.traceId });
    expect(append.attributes).toMatchObject({
      'jigsaw.stream.kind': 'access',
      'jigsaw.event.type': 'hub.record-accessed',
    });
    // The chronology, read by NHS number in the path, is named by its template.
    const chronology = spans.filter((s) => s.name === 'GET /v1/children/:ref/chronology');
    expect(chronology.length).toBeGreaterThan(0);
    for (const span of chronology) {
      const recorded = spans.some((s) => s.parentSpanId === span.spanId && s.name === 'access record');
      expect(recorded).toBe(span.attributes['http.response.status_code'] === 200);
    }
  });

  it('serves metrics on /metrics without a token', async () => {
    const scrape = async (name: ServiceName): Promise<string> => {
      const response = await fetch(`${url(name)}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return response.text();
    };
    const value = (text: string, series: string): number => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line ? Number(line.slice(series.length + 1)) : Number.NaN;
    };
    // Any agency's relay may publish another's rows, so the relay delay is looked for across them all.
    const relays: string[] = [];
    for (const agency of ['council', 'police', 'health', 'education'] as const) {
      const text = await scrape(agency);
      const appends = value(text, `jigsaw_event_store_append_seconds_count{stream="${agency}",outcome="ok"}`);
      expect({ agency, appended: appends > 0 }).toEqual({ agency, appended: true });
      expect(value(text, 'jigsaw_outbox_backlog')).toBeGreaterThanOrEqual(0);
      relays.push(text);
      expect(
        value(
          text,
          'http_server_request_duration_seconds_count{method="POST",route="/v1/events",status_code="202"}',
        ),
      ).toBeGreaterThan(0);
    }
    expect(relays.join('\n')).toMatch(
      /^jigsaw_outbox_relay_delay_seconds_count\{topic="[^"]+\.events"\} [1-9]/m,
    );
    const view = await scrape('safeguarding-view');
    for (const agency of ['council', 'police', 'health', 'education']) {
      expect({
        agency,
        visible: value(view, `jigsaw_event_visibility_seconds_count{agency="${agency}"}`) > 0,
      }).toEqual({
        agency,
        visible: true,
      });
    }
    expect(
      value(view, 'jigsaw_event_occurrence_to_visibility_seconds_count{agency="police"}'),
    ).toBeGreaterThan(0);
    expect(view).toMatch(/^jigsaw_consumer_lag_messages\{group="[^"]+",topic="[^"]+police\.events"\} \d+$/m);
    expect(view).toMatch(/^jigsaw_event_store_append_seconds_count\{stream="access",outcome="ok"\} [1-9]/m);
    expect(
      value(
        view,
        'http_server_request_duration_seconds_count{method="GET",route="/v1/children/:ref/chronology",status_code="200"}',
      ),
    ).toBeGreaterThan(0);
  });

  it("passes Prometheus's promtool on every service, after traffic", async () => {
    const tool = promtool();
    if (!tool) return;
    expect([...services.keys()].sort()).toEqual(
      ['audit', 'council', 'education', 'health', 'police', 'safeguarding-view'].sort(),
    );
    for (const [name, service] of services) {
      const exposition = await (await fetch(`${service.url}/metrics`)).text();
      expect({ name, ...tool.check(exposition) }).toEqual({ name, status: 0, output: '' });
    }
  });

  it('writes every log line as JSON, with the trace id inside a request', () => {
    for (const service of services.values()) {
      const lines = service.output.join('').split('\n').filter(Boolean);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        let parsed: Record<string, unknown> | undefined;
        try {
          parsed = JSON.parse(line) as Record<string, unknown>;
        } catch {
          parsed = undefined;
        }
        expect({ service: service.name, line, json: parsed !== undefined }).toEqual({
          service: service.name,
          line,
          json: true,
        });
        expect(parsed).toMatchObject({
          level: expect.any(String),
          time: expect.any(String),
          service: service.name,
        });
      }
    }
    for (const { service, traceId } of posted) {
      const request = services
        .get(service)!
        .output.join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l['msg'] === 'request' && l['trace_id'] === traceId);
      expect(request).toMatchObject({
        level: 'debug',
        route: '/v1/events',
        status: 202,
        span_id: expect.any(String),
      });
    }
  });

  it("finds none of the children's NHS numbers, UPNs, names, dates of birth or addresses in logs, spans or metrics", async () => {
    const metrics = await Promise.all(
      [...services.keys()].map(async (name) => (await fetch(`${url(name)}/metrics`)).text()),
    );
    const logs = [...services.values()].map((s) => s.output.join(''));
    const spans = readFileSync(spansFile, 'utf8');
    const captured = { logs: logs.join('\n'), spans, metrics: metrics.join('\n') };
    expect(spans.length).toBeGreaterThan(0);
    const personal = [child, batchChild].flatMap((c) => [
      c.nhsNumber,
      c.upn,
      c.given,
      c.family,
      c.birthDate,
      c.addressLine,
      c.postcode,
      c.postcode.replace(' ', ''),
    ]);
    personal.push(badNhsNumber, '19/07/2015');
    for (const [where, text] of Object.entries(captured)) {
      const lower = text.toLowerCase();
      const found = personal.filter((p) => lower.includes(p.toLowerCase()));
      expect({ where, found }).toEqual({ where, found: [] });
    }
  });
});
