import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  aNhsNumber,
  agencySystemToken,
  anIncidentNotification,
  aUpn,
  createTestDatabase,
  METROPOLITAN_POLICE,
  practitionerToken,
  ServiceProcess,
  startServices,
  testBrokers,
  uniqueTopicPrefix,
  type ServiceName,
  type TestDatabase,
} from '@jigsaw/testing';
import { registryRows } from '@jigsaw/identity';
import { eventually, getJson, postEvent, postJson } from './support/http.js';

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const metOfficer = practitionerToken({
  sub: 'officer-identity-1',
  agency: 'police',
  organisation: METROPOLITAN_POLICE,
  role: 'police-officer',
  purposes: ['safeguarding'],
});
const socialWorker = practitionerToken({
  sub: 'sw-identity-conflicts',
  agency: 'council',
  organisation: 'urn:jigsaw:org:council:leeds',
  role: 'social-worker',
  purposes: ['safeguarding'],
});

type Incident = ReturnType<typeof anIncidentNotification>;
const incident = (subject: Record<string, unknown>, overrides: Partial<Incident> = {}): Incident => ({
  ...anIncidentNotification(),
  subject,
  ...overrides,
});

describe('identity that cannot join two children, over HTTP', () => {
  let db: TestDatabase;
  const prefix = uniqueTopicPrefix('identity-conflicts');
  const services = new Map<ServiceName, ServiceProcess>();
  const url = (service: ServiceName, path: string): string => `${services.get(service)!.url}${path}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { DATABASE_URL: db.url, KAFKA_BROKERS: testBrokers(), KAFKA_TOPIC_PREFIX: prefix };
    const started = await startServices(env, 'police', 'safeguarding-view', 'audit');
    started.forEach((service) => services.set(service.name, service));
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...services.values()].map((s) => s.stop()));
    await db?.drop();
  });

  const send = (event: unknown, source = METROPOLITAN_POLICE) =>
    postEvent<Record<string, unknown>>(
      url('police', '/v1/events'),
      event as object,
      bearer(agencySystemToken(source)),
    );

  const find = (nhsNumber: string) =>
    getJson<{ childId: string }>(
      url('safeguarding-view', `/v1/children?nhsNumber=${nhsNumber}&purpose=safeguarding`),
      bearer(metOfficer),
    );

  /** The child's hub id, once the view holds the record that relates the force to the child. */
  const found = (nhsNumber: string): Promise<string> =>
    eventually(
      async () => {
        const response = await find(nhsNumber);
        return response.status === 200 ? response.body.childId : undefined;
      },
      15_000,
      'the child found',
    );

  /** The chronology by NHS number, once it holds at least one entry. */
  const entriesOf = (nhsNumber: string): Promise<string[]> =>
    eventually(
      async () => {
        const response = await getJson<{ entries: { id: string }[] }>(
          url('safeguarding-view', `/v1/children/${nhsNumber}/chronology?purpose=safeguarding`),
          bearer(metOfficer),
        );
        return response.status === 200 && response.body.entries.length > 0
          ? response.body.entries.map((e) => e.id)
          : undefined;
      },
      30_000,
      'a chronology',
    );

  const matchBetween = (a: string, b: string) =>
    eventually(
      async () => {
        const response = await getJson<{
          matches: { childId: string; candidateId: string; evidence: string }[];
        }>(
          url('safeguarding-view', '/v1/identity/possible-matches?purpose=safeguarding'),
          bearer(socialWorker),
        );
        const pair = [a, b].sort().join();
        const found = response.body.matches.filter((m) => [m.childId, m.candidateId].sort().join() === pair);
        return found.length > 0 ? found : undefined;
      },
      30_000,
      'a possible match',
    );

  /** Every row of the identity tables, as text. */
  const identityTables = async (): Promise<string> => JSON.stringify(await registryRows(db.pool));

  it('leaves no trace of a refused event: schema, rules, caller and 409 alike', async () => {
    const accepted = incident({ nhsNumber: aNhsNumber() });
    expect((await send(accepted)).status).toBe(202);
    const before = await identityTables();

    const fresh = () => ({ nhsNumber: aNhsNumber(), localIds: [{ system: 'met-person-id', value: aUpn() }] });
    const refusals: { what: string; status: number; event: unknown; source?: string; field?: string }[] = [
      { what: 'schema', status: 400, event: { ...incident(fresh()), dataschema: 42 } },
      {
        what: 'time in the future',
        status: 400,
        event: incident(fresh(), { time: new Date(Date.now() + 86_400_000).toISOString() }),
      },
      {
        what: 'consent reason of spaces',
        status: 400,
        event: incident(fresh(), {
          sharing: {
            ...accepted.sharing,
            consent: { status: 'not-sought', reason: '   ' },
          },
        }),
      },
      {
        what: 'birth date in the future',
        status: 400,
        event: incident({ ...fresh(), birthDate: '2031-01-01' }),
        field: 'data.child.birthDate',
      },
      {
        what: 'birth date of an adult',
        status: 400,
        event: incident({ ...fresh(), birthDate: '1970-01-01' }),
        field: 'data.child.birthDate',
      },
      {
        what: '40,000 audience entries',
        status: 400,
        event: incident(fresh(), {
          sharing: {
            ...accepted.sharing,
            audience: Array.from({ length: 40_000 }, () => ({ agency: 'council' })),
          },
        }),
        field: 'data.sharing.audience',
      },
      {
        what: '60,000 markers',
        status: 400,
        event: incident(fresh(), {
          sharing: { ...accepted.sharing, markers: Array.from({ length: 60_000 }, (_, i) => `m${i}`) },
        }),
        field: 'data.sharing.markers',
      },
      {
        what: "another organisation's caller",
        status: 403,
        event: incident(fresh()),
        source: 'urn:jigsaw:org:police:kent',
      },
      { what: 'an id reused for other content', status: 409, event: incident(fresh(), { id: accepted.id }) },
    ];
    for (const { what, status, event, source, field } of refusals) {
      const response = await send(event, source);
      expect({ what, status: response.status }).toEqual({ what, status });
      if (field) {
        expect(response.body['errors']).toEqual([expect.objectContaining({ field })]);
      }
      const nhsNumber = (event as Incident).subject['nhsNumber'] as string;
      expect({ what, found: (await find(nhsNumber)).status }).toEqual({ what, found: 404 });
    }
    expect(await identityTables()).toBe(before);
  });

  it('never files one NHS number under another because both carry the same local id', async () => {
    const [x, y] = [aNhsNumber(), aNhsNumber()];
    const shared = [{ system: 'met-person-id', value: `P-${x}` }];
    const first = incident({ nhsNumber: x, localIds: shared });
    const second = incident({ nhsNumber: y, localIds: shared });
    expect((await send(first)).status).toBe(202);
    expect((await send(second)).status).toBe(202);

    expect(await entriesOf(x)).toEqual([first.id]);
    expect(await entriesOf(y)).toEqual([second.id]);
    const [childX, childY] = [(await find(x)).body.childId, (await find(y)).body.childId];
    expect(childY).not.toBe(childX);
    expect(await matchBetween(childX, childY)).toEqual([
      expect.objectContaining({ evidence: 'identifier-conflict' }),
    ]);
  });

  it('never files one NHS number under another because both carry the same UPN', async () => {
    const [x, y, upn] = [aNhsNumber(), aNhsNumber(), aUpn()];
    const first = incident({ nhsNumber: x, upn });
    const second = incident({ nhsNumber: y, upn });
    expect((await send(first)).status).toBe(202);
    expect((await send(second)).status).toBe(202);

    expect(await entriesOf(x)).toEqual([first.id]);
    expect(await entriesOf(y)).toEqual([second.id]);
    const [childX, childY] = [(await find(x)).body.childId, (await find(y)).body.childId];
    expect(childY).not.toBe(childX);
    expect(await matchBetween(childX, childY)).toEqual([
      expect.objectContaining({ evidence: 'identifier-conflict' }),
    ]);
  });

  it('refuses a CSV cell that starts like a formula after whitespace, naming the column', async () => {
    const header =
      'incident_reference,incident_datetime,child_nhs_number,child_given_name,child_family_name,child_dob,school_urn,child_present,officer_name,officer_phone,summary';
    const when = new Date(Date.now() - 3 * 3600_000).toISOString();
    const row = (reference: string, summary: string) =>
      `${reference},${when},${aNhsNumber()},Kit,Example,02/04/2016,,yes,PC Example,+44 20 7230 1212,${summary}`;
    const csv = [
      header,
      row('CAD-2001', '"\t=HYPERLINK(""http://example.org"",""open"")"'),
      row('CAD-2002', '"=HYPERLINK(""http://example.org"",""open"")"'),
      row('CAD-2003', 'Police attended; the child was present.'),
    ].join('\r\n');
    const response = await fetch(url('police', '/v1/adapters/operation-encompass'), {
      method: 'POST',
      headers: { 'content-type': 'text/csv', ...bearer(agencySystemToken(METROPOLITAN_POLICE)) },
      body: csv,
    });
    const report = (await response.json()) as {
      rows: { row: number; status: string; errors?: { field: string; reason: string }[] }[];
    };
    expect(response.status).toBe(200);
    const summaryProblem = {
      field: 'summary',
      reason: expect.stringContaining('spreadsheet formula') as unknown,
    };
    expect(report.rows[0]).toMatchObject({ status: 'rejected', errors: [summaryProblem] });
    expect(report.rows[1]).toMatchObject({ status: 'rejected', errors: [summaryProblem] });
    expect(report.rows[2]).toMatchObject({ status: 'accepted' });
  });

  it('gives chronology cursors that hold no record data and work only where they were issued', async () => {
    const nhsNumber = aNhsNumber();
    const events = [5, 4, 3].map((hoursAgo) =>
      anIncidentNotification({
        nhsNumber,
        occurredAt: new Date(Date.now() - hoursAgo * 3600_000).toISOString(),
      }),
    );
    for (const event of events) expect((await send(event)).status).toBe(202);
    await entriesOf(nhsNumber);
    const page = (query: string, token = metOfficer) =>
      getJson<{ entries: { id: string }[]; nextCursor?: string; errors?: { field: string }[] }>(
        url('safeguarding-view', `/v1/children/${nhsNumber}/chronology?purpose=safeguarding&limit=1${query}`),
        bearer(token),
      );
    const first = await eventually(async () => {
      const response = await page('');
      return response.body.nextCursor ? response.body : undefined;
    });
    const cursor = first.nextCursor!;
    const decoded = Buffer.from(cursor, 'base64url').toString('latin1');
    for (const event of events) {
      expect(decoded).not.toContain(event.data.occurredAt.slice(0, 13));
      expect(decoded).not.toContain(event.id);
    }
    const next = await page(`&cursor=${cursor}`);
    expect(next.status).toBe(200);
    expect(next.body.entries.map((e) => e.id)).not.toEqual(first.entries.map((e) => e.id));

    const anotherOfficer = practitionerToken({
      sub: 'officer-identity-2',
      agency: 'police',
      organisation: METROPOLITAN_POLICE,
      role: 'police-officer',
      purposes: ['safeguarding'],
    });
    const altered = `${cursor.slice(0, -2)}${cursor.endsWith('AA') ? 'BA' : 'AA'}`;
    for (const [what, response] of [
      ['another viewer', await page(`&cursor=${cursor}`, anotherOfficer)],
      ['other filters', await page(`&cursor=${cursor}&agency=police`)],
      ['altered', await page(`&cursor=${altered}`)],
    ] as const) {
      expect({ what, status: response.status, field: response.body.errors?.[0]?.field }).toEqual({
        what,
        status: 400,
        field: 'cursor',
      });
    }
  });

  it('lets an erased child be found by its NHS number no more; a later record starts a new child', async () => {
    const nhsNumber = aNhsNumber();
    expect((await send(incident({ nhsNumber }))).status).toBe(202);
    const erased = await found(nhsNumber);
    const dpo = practitionerToken({
      sub: 'dpo-identity-1',
      agency: 'police',
      organisation: METROPOLITAN_POLICE,
      role: 'data-protection-officer',
      purposes: ['audit'],
    });
    const erasure = await postJson<Record<string, unknown>>(
      url('audit', '/v1/operations/erase'),
      { args: [erased], options: { reason: 'Retention decision DPO-2026-7' } },
      bearer(dpo),
    );
    expect(erasure.status).toBe(200);
    expect(erasure.body).toMatchObject({ erasures: [{ childId: erased, identifiersRemoved: 1 }] });
    const gone = await find(nhsNumber);
    expect(gone.status).toBe(404);
    expect(JSON.stringify(gone.body)).not.toContain(erased);

    expect((await send(incident({ nhsNumber }))).status).toBe(202);
    expect(await found(nhsNumber)).not.toBe(erased);
  });
});
