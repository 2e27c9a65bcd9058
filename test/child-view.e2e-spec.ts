import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Agency, Purpose, SharingDecision } from '@jigsaw/envelope';
import {
  agencySystemToken,
  aNhsNumber,
  aUpn,
  createTestDatabase,
  practitionerToken,
  ServiceProcess,
  startServices,
  testBrokers,
  uniqueTopicPrefix,
  type PractitionerClaims,
  type ServiceName,
  type TestDatabase,
} from '@jigsaw/testing';
import { getJson, postEvent, eventually } from './support/http.js';

const LEEDS = 'urn:jigsaw:org:council:leeds';
const POLICE = 'urn:jigsaw:org:police:west-yorkshire';
const HOSPITAL = 'urn:jigsaw:org:health:leeds-teaching-hospitals';
const COMMUNITY = 'urn:jigsaw:org:health:leeds-community';
const SCHOOL = 'urn:jigsaw:org:education:hillside-primary';

const socialWorker: PractitionerClaims = {
  sub: 'sw-3',
  agency: 'council',
  organisation: LEEDS,
  role: 'social-worker',
  purposes: ['safeguarding', 'child-protection'],
};
const schoolDsl: PractitionerClaims = {
  sub: 'dsl-1',
  agency: 'education',
  organisation: SCHOOL,
  role: 'designated-safeguarding-lead',
  purposes: ['safeguarding'],
};
const aeClinician: PractitionerClaims = {
  sub: 'clin-7',
  agency: 'health',
  organisation: HOSPITAL,
  role: 'clinician',
  purposes: ['health-care', 'safeguarding'],
};

interface Status {
  current: boolean;
  since?: string;
  ended?: string;
  organisation?: string;
  details?: Record<string, unknown>;
}
interface ChildView {
  childId: string;
  purpose: string;
  statuses: Record<string, Status>;
  agencies: {
    agency: string;
    organisation: string;
    records: number;
    leadPractitioner?: Record<string, string>;
  }[];
  counts: Record<string, number | string>;
  signals: { code: string; explanation: string; evidence: { id: string; source: string }[] }[];
  cpis?: { flagged: boolean; council?: { organisation: string; contact?: Record<string, string> } };
}
interface Chronology {
  entries: {
    id: string;
    source: string;
    agency: string;
    type: string;
    occurredAt: string;
    summary: string;
  }[];
  nextCursor?: string;
}
interface AccessData {
  view: string;
  childId: string;
  viewer: { sub: string };
  purpose: string;
  shown: { event: string }[];
}
interface OpenApi {
  paths: Record<string, Record<string, Record<string, unknown>>>;
}

const DAY = 86_400_000;
const now = Date.now();
const at = (daysAgo: number): string => new Date(now - daysAgo * DAY).toISOString();
const day = (daysAgo: number): string => at(daysAgo).slice(0, 10);

const BASIS: Record<Agency, SharingDecision['basis']> = {
  council: {
    lawfulBasis: 'public-task',
    regime: 'uk-gdpr',
    specialCategory: true,
    condition: 'dpa-2018-sch1-para18',
  },
  police: { lawfulBasis: 'legal-obligation', regime: 'dpa-2018-part-3', specialCategory: false },
  health: {
    lawfulBasis: 'public-task',
    regime: 'uk-gdpr',
    specialCategory: true,
    condition: 'dpa-2018-sch1-para18',
  },
  education: { lawfulBasis: 'public-task', regime: 'uk-gdpr', specialCategory: false },
};

const bearer = (claims: PractitionerClaims): Record<string, string> => ({
  authorization: `Bearer ${practitionerToken(claims)}`,
});

describe('the child view: four agencies, three practitioners, three different answers', () => {
  let db: TestDatabase;
  const services = new Map<ServiceName, ServiceProcess>();
  const nhsNumber = aNhsNumber();
  const upn = aUpn();
  const run = `cv-${now}`;
  let childId: string;

  const service = (agency: Agency): ServiceProcess => services.get(agency)!;
  const view = (): ServiceProcess => services.get('safeguarding-view')!;

  let n = 0;
  /** `time` is when it happened (CloudEvents), which orders the chronology. */
  const event = (
    source: string,
    type: string,
    time: string,
    data: Record<string, unknown>,
    share: { purposes: Purpose[]; audience: Agency[] },
    subject: Record<string, unknown> = { nhsNumber },
  ) => {
    const agency = source.split(':')[3] as Agency;
    return {
      specversion: '1.0',
      id: `${run}-${++n}`,
      source,
      type,
      time,
      dataschema: `urn:jigsaw:schema:${type}:v1`,
      subject,
      sharing: {
        basis: BASIS[agency],
        consent: {
          status: 'not-sought',
          reason: 'Shared to safeguard a child; seeking consent could place them at risk',
        },
        purposes: share.purposes,
        audience: share.audience.map((a) => ({ agency: a })),
        sensitivity: 'sensitive',
        decidedBy: { role: 'Safeguarding lead', organisation: source },
      },
      data,
    };
  };

  const CPIS: Purpose[] = ['safeguarding', 'child-protection', 'health-care'];
  const policeContact = { name: 'DC Example', role: 'Safeguarding officer', phone: '0113 241 3000' };
  const referral = event(
    LEEDS,
    'council.referral-received',
    at(70),
    {
      receivedAt: at(70),
      referralSource: '6',
      primaryNeedCode: 'N1',
      summary: 'Police referral after a call-out.',
    },
    { purposes: ['safeguarding', 'child-protection'], audience: ['police'] },
  );
  const plan = event(
    LEEDS,
    'council.child-protection-plan-started',
    `${day(60)}T00:00:00Z`,
    {
      startDate: day(60),
      category: 'NEG',
      contact: {
        team: 'Social Work Service, East',
        phone: '0113 222 4403',
        outOfHoursPhone: '0113 240 9536',
      },
    },
    { purposes: CPIS, audience: ['health', 'education', 'police'] },
  );
  const lead = event(
    LEEDS,
    'council.lead-practitioner-assigned',
    `${day(60)}T00:00:00Z`,
    {
      assignedDate: day(60),
      name: 'Sam Example',
      role: 'Social worker',
      team: 'East Locality Team',
      phone: '0113 222 4410',
      secureEmail: 'sam.example@leeds.example.gov.uk',
    },
    { purposes: CPIS, audience: ['health', 'education', 'police'] },
  );
  const missing = event(
    POLICE,
    'police.missing-episode-started',
    at(30),
    {
      episodeReference: `${run}-M1`,
      missingSince: at(30),
      reportedAt: at(30),
      riskLevel: 'medium',
      summary: 'Did not come home from school.',
      contact: policeContact,
    },
    { purposes: ['safeguarding'], audience: ['council', 'education'] },
  );
  const found = event(
    POLICE,
    'police.missing-episode-ended',
    at(29),
    {
      episodeReference: `${run}-M1`,
      foundAt: at(29),
      howEnded: 'found-by-police',
      summary: 'Found safe.',
    },
    { purposes: ['safeguarding'], audience: ['council', 'education'] },
  );
  const incident = event(
    POLICE,
    'police.domestic-abuse-incident-notified',
    at(20),
    {
      incidentReference: `${run}-CAD-1`,
      occurredAt: at(20),
      childPresent: true,
      force: { name: 'West Yorkshire Police' },
      contact: policeContact,
      summary: 'Police attended a domestic abuse incident at home; the child was present.',
      narrative: 'Police-only narrative about the adults.',
      riskLevel: 'high',
    },
    { purposes: ['safeguarding', 'child-protection'], audience: ['education', 'council', 'health'] },
  );
  const wrongChild = event(
    POLICE,
    'police.domestic-abuse-incident-notified',
    at(10),
    {
      incidentReference: `${run}-CAD-2`,
      occurredAt: at(10),
      childPresent: false,
      force: { name: 'West Yorkshire Police' },
      contact: policeContact,
      summary: 'Recorded against the wrong child.',
    },
    { purposes: ['safeguarding', 'child-protection'], audience: ['education', 'council', 'health'] },
  );
  const retraction = {
    ...event(
      POLICE,
      'police.record-retracted',
      at(9),
      { targetEventId: wrongChild.id, reason: 'Entered in error.' },
      {
        purposes: ['safeguarding'],
        audience: ['education', 'council', 'health'],
      },
    ),
    dataschema: 'urn:jigsaw:schema:record-retracted:v1',
  };
  const attendance = event(
    HOSPITAL,
    'health.unscheduled-care-attended',
    at(0.1),
    {
      setting: 'emergency-department',
      arrivedAt: at(0.1),
      reason: { system: 'http://snomed.info/sct', code: '125605004', display: 'Fracture of bone' },
      site: { name: 'Leeds General Infirmary', odsCode: 'RR801' },
      outcome: 'admitted',
    },
    { purposes: ['safeguarding', 'health-care'], audience: ['council', 'health'] },
  );
  const nurseConcern = event(
    COMMUNITY,
    'health.practitioner-concern-raised',
    at(25),
    {
      raisedAt: at(25),
      role: 'school-nurse',
      category: 'neglect',
      summary: 'Child hungry at school most days.',
    },
    { purposes: ['safeguarding'], audience: ['council', 'education'] },
  );
  const onRoll = event(
    SCHOOL,
    'education.pupil-on-roll',
    at(1),
    {
      school: { urn: '123456', name: 'Hillside Primary School' },
      onRollFrom: '2021-09-01',
      yearGroup: '5',
      dsl: { name: 'Ms Example', phone: '0113 496 0000', secureEmail: 'dsl@hillside.example.sch.uk' },
    },
    {
      purposes: ['safeguarding', 'education-welfare'],
      audience: ['council', 'police', 'health', 'education'],
    },
    {
      nhsNumber,
      upn,
    },
  );
  const schoolConcern = event(
    SCHOOL,
    'education.safeguarding-concern-recorded',
    at(15),
    {
      concernReference: `${run}-C1`,
      occurredAt: at(15),
      category: 'domestic-abuse',
      summary: 'Told her teacher about shouting at home.',
      actions: ['Spoke to the DSL'],
      recordedBy: { name: 'Mr Teacher', role: 'Class teacher' },
    },
    { purposes: ['safeguarding'], audience: ['council', 'police', 'health'] },
    { upn },
  );
  const suspension = event(
    SCHOOL,
    'education.suspension-recorded',
    `${day(5)}T08:00:00Z`,
    {
      startDate: day(5),
      days: 2,
      reasonCode: 'PD',
      summary: 'Persistent disruption.',
    },
    { purposes: ['safeguarding', 'education-welfare'], audience: ['council'] },
    { upn },
  );

  const posts: [Agency, ReturnType<typeof event>][] = [
    ['council', referral],
    ['council', plan],
    ['council', lead],
    ['education', onRoll],
    ['police', missing],
    ['police', found],
    ['police', incident],
    ['police', wrongChild],
    ['police', retraction],
    ['health', attendance],
    ['health', nurseConcern],
    ['education', schoolConcern],
    ['education', suspension],
  ];

  const accessEvents = async (): Promise<AccessData[]> =>
    (
      await db.pool.query<{ payload: { data: { record: AccessData } } }>(
        `SELECT payload FROM event_store.events WHERE type = 'hub.record-accessed' AND stream_id = $1
         ORDER BY stream_position`,
        [`access-${childId}`],
      )
    ).rows.map((row) => row.payload.data.record);

  const readView = async (
    claims: PractitionerClaims,
    purpose: string,
  ): Promise<{ body: ChildView; logged: AccessData[] }> => {
    const before = (await accessEvents()).length;
    const response = await getJson<ChildView>(
      `${view().url}/v1/children/${nhsNumber}/view?purpose=${purpose}`,
      bearer(claims),
    );
    expect(response.status).toBe(200);
    return { body: response.body, logged: (await accessEvents()).slice(before) };
  };
  const readChronology = async (
    claims: PractitionerClaims,
    purpose: string,
    query = '',
  ): Promise<Chronology> => {
    const response = await getJson<Chronology>(
      `${view().url}/v1/children/${childId}/chronology?purpose=${purpose}${query}`,
      bearer(claims),
    );
    expect(response.status).toBe(200);
    return response.body;
  };
  const expectNoIdentifiers = (body: unknown): void => {
    const text = JSON.stringify(body);
    expect(text).not.toContain(nhsNumber);
    expect(text).not.toContain(upn);
    expect(text).not.toContain('Police-only narrative');
    expect(text).not.toContain('"subject"');
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers(),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('child-view'),
    };
    const started = await startServices(env, 'council', 'police', 'health', 'education', 'safeguarding-view');
    started.forEach((s) => services.set(s.name, s));
    for (const [agency, body] of posts) {
      const response = await postEvent(`${service(agency).url}/v1/events`, body, {
        authorization: `Bearer ${agencySystemToken(body.source)}`,
      });
      expect({ id: body.id, status: response.status, body: response.body }).toEqual({
        id: body.id,
        status: 202,
        body: { id: body.id },
      });
    }
    const stored = await db.pool.query<{ childid: string }>(
      "SELECT DISTINCT payload->>'childid' AS childid FROM event_store.events WHERE id = ANY($1::text[])",
      [posts.map(([, e]) => e.id)],
    );
    expect(stored.rows).toHaveLength(1);
    childId = stored.rows[0]!.childid;
    // Wait on the read model itself: reading through the API would log reads.
    await eventually(
      async () => {
        const { rows } = await db.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM view.chronology WHERE child_id = $1',
          [childId],
        );
        return rows[0]!.n >= posts.length ? true : undefined;
      },
      30_000,
      'every event in the read model',
    );
  }, 240_000);

  afterAll(async () => {
    await Promise.all([...services.values()].map((s) => s.stop()));
    await db?.drop();
  });

  it("shows the council's social worker the whole picture: plan category, every count, both signals", async () => {
    const { body, logged } = await readView(socialWorker, 'safeguarding');
    expect(body.childId).toBe(childId);
    expect(body.statuses['childProtectionPlan']).toMatchObject({
      current: true,
      since: day(60),
      organisation: LEEDS,
      details: { category: 'NEG' },
    });
    expect(body.statuses['schoolOnRoll']).toMatchObject({ current: true, organisation: SCHOOL });
    expect(body.statuses['missing']).toMatchObject({ current: false, since: at(30), ended: at(29) });
    expect(body.counts).toMatchObject({
      emergencyAttendances: 1,
      domesticAbuseIncidents: 1,
      missingEpisodes: 1,
      exclusions: 1,
    });
    expect(body.signals.map((s) => s.code)).toEqual([
      'multi-agency-concerns',
      'emergency-attendance-on-plan',
    ]);
    expect(body.signals[0]!.explanation).toMatch(/^4 agencies raised concerns within 90 days/);
    expect(
      Object.fromEntries(body.agencies.map((a) => [a.organisation, a.leadPractitioner?.name ?? null])),
    ).toEqual({
      [LEEDS]: 'Sam Example',
      [POLICE]: 'DC Example',
      [COMMUNITY]: null,
      [HOSPITAL]: null,
      [SCHOOL]: 'Ms Example',
    });
    expect(body).not.toHaveProperty('cpis');
    expectNoIdentifiers(body);
    expect(logged).toEqual([
      expect.objectContaining({
        view: 'child-view',
        childId,
        purpose: 'safeguarding',
        viewer: expect.objectContaining({ sub: 'sw-3' }),
      }),
    ]);
    expect(logged[0]!.shown.map((s) => s.event).sort()).toEqual(
      posts
        .filter(([, e]) => e !== wrongChild && e !== retraction)
        .map(([, e]) => `${e.source}#${e.id}`)
        .sort(),
    );
  });

  it("shows the school's safeguarding lead the plan without its category, and no hospital visit or referral", async () => {
    const { body, logged } = await readView(schoolDsl, 'safeguarding');
    expect(body.statuses['childProtectionPlan']).toEqual({
      current: true,
      since: day(60),
      organisation: LEEDS,
      details: {
        contact: {
          team: 'Social Work Service, East',
          phone: '0113 222 4403',
          outOfHoursPhone: '0113 240 9536',
        },
      },
    });
    expect(body.statuses['missing']!.details).toEqual({ riskLevel: 'medium' });
    expect(body.counts).toMatchObject({
      emergencyAttendances: 0,
      domesticAbuseIncidents: 1,
      missingEpisodes: 1,
      exclusions: 1,
    });
    expect(body.signals.map((s) => s.code)).toEqual(['multi-agency-concerns']);
    expect(body.agencies.map((a) => [a.organisation, a.records])).toEqual([
      [LEEDS, 2],
      [POLICE, 3],
      [COMMUNITY, 1],
      [SCHOOL, 3],
    ]);
    expect(body).not.toHaveProperty('cpis');
    expectNoIdentifiers(body);
    const shown = logged[0]!.shown.map((s) => s.event);
    expect(shown).not.toContain(`${LEEDS}#${referral.id}`);
    expect(shown).not.toContain(`${HOSPITAL}#${attendance.id}`);
    expect(shown).toHaveLength(9);
  });

  it('shows an A&E clinician the CP-IS flag with the council to call, and nothing shared only for safeguarding', async () => {
    const { body, logged } = await readView(aeClinician, 'health-care');
    expect(body.cpis).toEqual({
      flagged: true,
      childProtectionPlan: { current: true, since: day(60), organisation: LEEDS },
      council: {
        organisation: LEEDS,
        contact: {
          team: 'Social Work Service, East',
          phone: '0113 222 4403',
          outOfHoursPhone: '0113 240 9536',
        },
      },
    });
    expect(body.statuses['childProtectionPlan']!.details).not.toHaveProperty('category');
    expect(body.statuses['schoolOnRoll']).toEqual({ current: false });
    expect(body.statuses['missing']).toEqual({ current: false });
    expect(body.counts).toMatchObject({
      emergencyAttendances: 1,
      domesticAbuseIncidents: 0,
      missingEpisodes: 0,
      exclusions: 0,
    });
    expect(body.signals.map((s) => s.code)).toEqual(['emergency-attendance-on-plan']);
    expect(body.agencies.map((a) => a.organisation)).toEqual([LEEDS, HOSPITAL]);
    expectNoIdentifiers(body);
    expect(logged[0]!.shown.map((s) => s.event).sort()).toEqual(
      [plan, lead, attendance].map((e) => `${e.source}#${e.id}`).sort(),
    );
  });

  it("rests each view on the viewer's own chronology and nothing beyond it", async () => {
    for (const [claims, purpose] of [
      [socialWorker, 'safeguarding'],
      [schoolDsl, 'safeguarding'],
      [aeClinician, 'health-care'],
    ] as const) {
      const { body, logged } = await readView(claims, purpose);
      const chronology = await readChronology(claims, purpose);
      const keys = new Set(chronology.entries.map((e) => `${e.source}#${e.id}`));
      for (const s of logged[0]!.shown) expect(keys).toContain(s.event);
      for (const e of body.signals.flatMap((s) => s.evidence)) expect(keys).toContain(`${e.source}#${e.id}`);
      expect(chronology.entries.map((e) => e.id)).not.toContain(wrongChild.id);
    }
  });

  it('pages the chronology with a cursor, filters it, and refuses bad parameters by name', async () => {
    const whole = await readChronology(schoolDsl, 'safeguarding', '&limit=200');
    expect(whole).not.toHaveProperty('nextCursor');
    const paged: Chronology['entries'] = [];
    let cursor = '';
    for (let pages = 0; pages < 20; pages++) {
      const page = await readChronology(
        schoolDsl,
        'safeguarding',
        `&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.entries.length).toBeLessThanOrEqual(2);
      paged.push(...page.entries);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(paged).toEqual(whole.entries);
    const police = await readChronology(
      schoolDsl,
      'safeguarding',
      `&agency=police&from=${day(31)}&to=${day(0)}`,
    );
    expect(police.entries.map((e) => e.id)).toEqual([missing.id, found.id, incident.id]);
    expect(police.entries[2]!.summary).toBe(
      'Domestic abuse incident: Police attended a domestic abuse incident at home; the child was present.',
    );
    for (const [query, field] of [
      ['&limit=1000', 'limit'],
      ['&cursor=nonsense', 'cursor'],
      ['&agency=fire-service', 'agency'],
      ['&from=2026-13-01', 'from'],
      ['&from=2026-05-02&to=2026-05-01', 'to'],
      ['&colour=blue', 'colour'],
    ]) {
      const response = await getJson<{ errors: { field: string }[] }>(
        `${view().url}/v1/children/${childId}/chronology?purpose=safeguarding${query}`,
        bearer(schoolDsl),
      );
      expect({ query, status: response.status, type: response.contentType }).toEqual({
        query,
        status: 400,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(response.body.errors.map((e) => e.field)).toEqual([field]);
    }
  });

  it('serves the OpenAPI document without a token, with examples for every endpoint, while the API still needs one', async () => {
    const page = await fetch(`${view().url}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
    const docs = await getJson<OpenApi>(`${view().url}/docs-json`);
    expect(docs.status).toBe(200);
    for (const path of ['/v1/children/{ref}/view', '/v1/children/{ref}/chronology', '/v1/children']) {
      const operation = docs.body.paths[path]!['get']! as {
        parameters: { name: string; example?: unknown; examples?: unknown; schema?: { example?: unknown } }[];
        responses: Record<string, { content?: Record<string, { example?: unknown; examples?: unknown }> }>;
        security: unknown[];
      };
      expect(operation.security).toEqual([{ bearer: [] }]);
      for (const parameter of operation.parameters) {
        expect({
          path,
          parameter: parameter.name,
          example: parameter.example ?? parameter.examples ?? parameter.schema?.example,
        }).toEqual({
          path,
          parameter: parameter.name,
          example: expect.anything(),
        });
      }
      for (const status of ['200', '400', '401', '403', '404']) {
        const content = Object.values(operation.responses[status]!.content!)[0]!;
        expect({ path, status, example: content.example ?? content.examples }).toEqual({
          path,
          status,
          example: expect.anything(),
        });
      }
    }
    const unauthenticated = await getJson(`${view().url}/v1/children/${nhsNumber}/view?purpose=safeguarding`);
    expect(unauthenticated.status).toBe(401);
    // The agency services publish theirs the same way, with their own events as the examples.
    const police = await getJson<OpenApi>(`${service('police').url}/docs-json`);
    const ingest = police.body.paths['/v1/events']!['post'] as {
      requestBody: { content: Record<string, { examples: Record<string, unknown> }> };
    };
    expect(Object.keys(ingest.requestBody.content['application/json']!.examples)).toContain(
      'domestic-abuse-incident-notified/child-present',
    );
  });
});
