import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  agencySystemToken,
  aNhsNumber,
  aUpn,
  createTestDatabase,
  practitionerToken,
  testBrokers,
  uniqueTopicPrefix,
  type TestDatabase,
} from '@jigsaw/testing';
import { eventually, getJson, postJson, type JsonResponse } from './support/http.js';
import { ServiceProcess, startServices } from './support/service-process.js';

const LEEDS = 'urn:jigsaw:org:council:leeds';
const TRUST = 'urn:jigsaw:org:health:leeds-teaching-hospitals';

type Errors = { field: string; reason: string }[];
interface CinReport {
  accepted: number;
  duplicates: number;
  rejected: number;
  eventsRecorded: number;
  rows: (
    | {
        row: number;
        status: 'accepted' | 'duplicate';
        events: { type: string; id: string; status: string }[];
      }
    | { row: number; status: 'rejected'; code: string; errors: Errors }
  )[];
}
interface FhirReport {
  accepted: number;
  duplicates: number;
  rejected: number;
  entries: {
    entry: number;
    resourceType: string;
    status: string;
    id?: string;
    code?: string;
    errors?: Errors;
    outcome?: unknown;
  }[];
}
interface Chronology {
  childId: string;
  entries: { id: string; agency: string; type: string }[];
}

/** Agency systems post signed in as their own organisation, which becomes each event's source. */
const postAs = <T>(url: string, organisation: string, body: unknown): Promise<JsonResponse<T>> =>
  postJson<T>(url, body, { authorization: `Bearer ${agencySystemToken(organisation)}` });

/** A Leeds social worker: the owner of the council's records, and in the audience of the trust's. */
const asSocialWorker = {
  authorization: `Bearer ${practitionerToken({
    sub: 'sw-1',
    agency: 'council',
    organisation: LEEDS,
    role: 'social-worker',
    purposes: ['safeguarding'],
  })}`,
};

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('council and health: a CIN census return and a FHIR Bundle to one chronology', () => {
  let db: TestDatabase;
  let council: ServiceProcess;
  let health: ServiceProcess;
  let view: ServiceProcess;

  const nhsNumber = aNhsNumber();
  const child = {
    LAchildID: 'LC-004417',
    UPN: aUpn(),
    NHSNumber: nhsNumber,
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
  const brokenIdentifier = { ...child, LAchildID: 'LC-2', NHSNumber: '9434765918' };
  // Valid in every field, but the plan's end is in the future: the whole record must be refused.
  const endsTomorrow = {
    ...child,
    LAchildID: 'LC-3',
    NHSNumber: aNhsNumber(),
    UPN: 'UN1',
    ChildProtectionPlans: [{ CPPstartDate: day(-60), CPPendDate: day(3), InitialCategoryOfAbuse: 'PHY' }],
  };
  const census = [child, brokenIdentifier, endsTomorrow];

  const bundle = {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      {
        fullUrl: 'urn:uuid:7b1f2b2e-3c9a-4c1e-9a44-1d8f0c2b6a01',
        resource: {
          resourceType: 'Patient',
          identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber }],
          name: [{ use: 'official', given: ['Test'], family: 'Child' }],
        },
      },
      {
        resource: {
          resourceType: 'Encounter',
          id: `enc-${nhsNumber.slice(-4)}-1`,
          status: 'finished',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER' },
          reasonCode: [
            {
              coding: [{ system: 'http://snomed.info/sct', code: '125605004', display: 'Fracture of bone' }],
            },
          ],
          subject: { reference: 'urn:uuid:7b1f2b2e-3c9a-4c1e-9a44-1d8f0c2b6a01' },
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
          id: `flag-${nhsNumber.slice(-4)}-1`,
          status: 'active',
          category: [
            { coding: [{ system: 'urn:jigsaw:fhir:practitioner-role', code: 'school-nurse' }] },
            { coding: [{ system: 'urn:jigsaw:fhir:concern-category', code: 'neglect' }] },
          ],
          code: { text: 'Repeatedly arrives hungry and unwashed.' },
          period: { start: new Date(Date.now() - 48 * 3600_000).toISOString() },
        },
      },
      {
        resource: {
          resourceType: 'Encounter',
          id: 'enc-no-start',
          status: 'arrived',
          class: { code: 'EMER' },
        },
      },
    ],
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers(),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('council-health'),
    };
    [council, health, view] = (await startServices(env, 'council', 'health', 'safeguarding-view')) as [
      ServiceProcess,
      ServiceProcess,
      ServiceProcess,
    ];
  }, 120_000);

  afterAll(async () => {
    await Promise.all([council?.stop(), health?.stop(), view?.stop()]);
    await db?.drop();
  });

  const storedFrom = async (source: string): Promise<{ id: string; type: string }[]> =>
    (
      await db.pool.query<{ id: string; type: string }>(
        'SELECT id, type FROM event_store.events WHERE source = $1 ORDER BY global_position',
        [source],
      )
    ).rows;

  let councilIds: string[] = [];
  let healthIds: string[] = [];

  it('records each census record whole, or not at all, and reports per record', async () => {
    const response = await postAs<CinReport>(`${council.url}/v1/adapters/cin-census`, LEEDS, census);
    expect(response.status).toBe(200);
    const report = response.body;
    expect(report).toMatchObject({ accepted: 1, duplicates: 0, rejected: 2, eventsRecorded: 5 });
    const [first, second, third] = report.rows;
    expect(first).toMatchObject({ row: 1, status: 'accepted' });
    expect(first?.status === 'accepted' && first.events.map((e) => [e.type, e.status])).toEqual([
      ['council.referral-received', 'accepted'],
      ['council.referral-decided', 'accepted'],
      ['council.assessment-started', 'accepted'],
      ['council.assessment-completed', 'accepted'],
      ['council.child-protection-plan-started', 'accepted'],
    ]);
    expect(second).toEqual({
      row: 2,
      status: 'rejected',
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'NHSNumber', reason: 'fails the NHS number check digit' }],
    });
    expect(third).toEqual({
      row: 3,
      status: 'rejected',
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'ChildProtectionPlans[0].CPPendDate', reason: 'must not be in the future' }],
    });
    councilIds = first?.status === 'accepted' ? first.events.map((e) => e.id) : [];
    // Nothing of the refused records was written: only the first record's five events are stored.
    expect((await storedFrom(LEEDS)).map((e) => e.id)).toEqual(councilIds);
    for (const id of councilIds) expect(id).not.toContain(nhsNumber);
  });

  it('maps a FHIR Bundle to events per entry, naming FHIR paths for what it refuses', async () => {
    const response = await postAs<FhirReport>(`${health.url}/v1/adapters/fhir`, TRUST, bundle);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 1 });
    expect(response.body.entries.map(({ id: _id, ...rest }) => rest)).toEqual([
      { entry: 1, resourceType: 'Encounter', status: 'accepted' },
      { entry: 2, resourceType: 'Flag', status: 'accepted' },
      {
        entry: 3,
        resourceType: 'Encounter',
        status: 'rejected',
        code: 'VALIDATION_FAILED',
        errors: [
          { field: 'entry[3].resource.period.start', reason: 'is required' },
          {
            field: 'entry[3].resource.reasonCode',
            reason:
              'must carry a SNOMED CT coding (system http://snomed.info/sct) in reasonCode, type or serviceType',
          },
          {
            field: 'entry[3].resource.serviceProvider',
            reason:
              'is required: the site, as a display, an ODS identifier, or a reference to an Organization in the Bundle',
          },
        ],
        outcome: {
          resourceType: 'OperationOutcome',
          issue: [
            expect.objectContaining({
              code: 'required',
              expression: ['Bundle.entry[3].resource.period.start'],
            }),
            expect.objectContaining({ code: 'invalid', expression: ['Bundle.entry[3].resource.reasonCode'] }),
            expect.objectContaining({
              code: 'required',
              expression: ['Bundle.entry[3].resource.serviceProvider'],
            }),
          ],
        },
      },
    ]);
    healthIds = response.body.entries.flatMap((e) => (e.id ? [e.id] : []));
    expect(await storedFrom(TRUST)).toEqual([
      { id: healthIds[0], type: 'health.unscheduled-care-attended' },
      { id: healthIds[1], type: 'health.practitioner-concern-raised' },
    ]);
  });

  it("shows both agencies' events in the child's chronology at the view", async () => {
    const all = [...councilIds, ...healthIds];
    const chronology = await eventually(
      async () => {
        const response = await getJson<Chronology>(
          `${view.url}/v1/children/${nhsNumber}/chronology?purpose=safeguarding`,
          asSocialWorker,
        );
        return response.status === 200 && response.body.entries.length >= all.length
          ? response.body
          : undefined;
      },
      20_000,
      `${all.length} chronology entries`,
    );
    expect(chronology.entries.map((e) => e.id).sort()).toEqual([...all].sort());
    expect(new Set(chronology.entries.map((e) => e.agency))).toEqual(new Set(['council', 'health']));
  });

  it('stores nothing new when both are sent again', async () => {
    const census2 = await postAs<CinReport>(`${council.url}/v1/adapters/cin-census`, LEEDS, census);
    expect(census2.body).toMatchObject({ accepted: 0, duplicates: 1, rejected: 2, eventsRecorded: 0 });
    const bundle2 = await postAs<FhirReport>(`${health.url}/v1/adapters/fhir`, TRUST, bundle);
    expect(bundle2.body).toMatchObject({ accepted: 0, duplicates: 2, rejected: 1 });
    expect(bundle2.body.entries.flatMap((e) => (e.id ? [e.id] : []))).toEqual(healthIds);
    expect((await storedFrom(LEEDS)).length).toBe(councilIds.length);
    expect((await storedFrom(TRUST)).length).toBe(healthIds.length);
  });

  it('records only the new end when next month’s return shows the plan ended', async () => {
    const ended = {
      ...child,
      ChildProtectionPlans: [{ CPPstartDate: day(-60), CPPendDate: day(-1), InitialCategoryOfAbuse: 'NEG' }],
    };
    const response = await postAs<CinReport>(`${council.url}/v1/adapters/cin-census`, LEEDS, [ended]);
    expect(response.body).toMatchObject({ accepted: 1, eventsRecorded: 1 });
    const stored = await storedFrom(LEEDS);
    expect(stored.map((e) => e.type).at(-1)).toBe('council.child-protection-plan-ended');
    expect(stored).toHaveLength(councilIds.length + 1);
  });

  it('answers a body that is not an array with 400 problem+json, and one not a Bundle with an OperationOutcome', async () => {
    const notArray = await postAs<{ code: string; errors: Errors }>(
      `${council.url}/v1/adapters/cin-census`,
      LEEDS,
      child,
    );
    expect(notArray.status).toBe(400);
    expect(notArray.contentType).toContain('application/problem+json');
    expect(notArray.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: '(body)', reason: 'must be a JSON array of CIN census records' }],
    });
    // FHIR clients read a refusal as an OperationOutcome, each issue naming its element by FHIRPath.
    const notBundle = await postAs<{ resourceType: string; issue: { code: string; expression: string[] }[] }>(
      `${health.url}/v1/adapters/fhir`,
      TRUST,
      { resourceType: 'Patient' },
    );
    expect(notBundle.status).toBe(400);
    expect(notBundle.contentType).toContain('application/fhir+json');
    expect(notBundle.body.issue.map((i) => [i.code, i.expression])).toEqual([
      ['invalid', ['Bundle.resourceType']],
      ['invalid', ['Bundle.type']],
      ['required', ['Bundle.entry']],
    ]);
  });
});
