// The health service's FHIR adapter as an integration engine uses it: UK Core's published example resources
// (apps/health/src/fhir/testing/uk-core) sent in collection, searchset, batch and transaction Bundles, and
// every refusal read as a FHIR OperationOutcome.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  agencySystemToken,
  aNhsNumber,
  createTestDatabase,
  hapiFhirValidator,
  testBrokers,
  uniqueTopicPrefix,
  type FhirValidator,
  type TestDatabase,
} from '@jigsaw/testing';
import { randomUUID } from 'node:crypto';
import {
  asEmergencyAttendance,
  ukCoreBundle,
  ukCoreEntries,
  ukCoreBaby,
  ukCoreExample,
  ukCorePatient,
  type UkCoreExample,
} from '../apps/health/src/fhir/testing/uk-core.js';
import { ServiceProcess } from './support/service-process.js';

type Json = Record<string, unknown>;
interface Outcome {
  resourceType: 'OperationOutcome';
  issue: { severity: string; code: string; diagnostics?: string; expression?: string[] }[];
}
interface ResponseBundle {
  resourceType: 'Bundle';
  type: string;
  entry: { response: { status: string; location?: string; outcome?: Outcome } }[];
}
interface Answer<T> {
  status: number;
  contentType: string;
  body: T;
}

let trusts = 0;
/** Each test sends as a trust of its own: the published resources' identifiers are then new to the hub. */
const aTrust = (): string => `urn:jigsaw:org:health:uk-core-trust-${++trusts}`;

describe('the FHIR adapter, with UK Core examples', () => {
  /**
   * Fifteen Bundles of UK Core's published examples (apps/health/src/fhir/testing/uk-core), each resource as
   * published but for the Patient's NHS number (and Richard Smith's birth year, SOURCE.md): what the hub
   * records of each, and what it refuses, naming the element.
   */
  type Resource = UkCoreExample | 'richard' | 'baby';
  const resourceOf = (name: Resource, nhsNumber: string): Json =>
    name === 'richard'
      ? ukCorePatient(nhsNumber)
      : name === 'baby'
        ? ukCoreBaby(nhsNumber)
        : ukCoreExample(name);
  /** Richard Smith made a child, his trust, his inpatient stay and his flag: the first four published. */
  const ADULT_STAY: Resource[] = [
    'richard',
    'UKCore-Organization-LeedsTeachingHospital-Example',
    'UKCore-Encounter-InpatientEncounter-Example',
    'UKCore-Flag-FoodAllergy-Example',
  ];
  const ADULT_STAY_RECORDED = ['passive', 'ignored', 'Bundle.entry[2].resource.class.code', 'recorded'];
  const PUBLISHED: {
    name: string;
    type: string;
    resources: Resource[];
    /** Per entry: `recorded`, `passive` (read, not recorded), `ignored`, or the FHIRPath of the refusal. */
    expected: string[];
  }[] = [
    {
      name: 'an adult made a child, an inpatient stay and a flag',
      type: 'collection',
      resources: ADULT_STAY,
      expected: ADULT_STAY_RECORDED,
    },
    {
      name: 'the same as search results',
      type: 'searchset',
      resources: ADULT_STAY,
      expected: ADULT_STAY_RECORDED,
    },
    {
      name: 'the same as a discharge message',
      type: 'message',
      resources: ['UKCore-MessageHeader-Discharge-Example', ...ADULT_STAY],
      expected: ['passive', 'passive', 'ignored', 'Bundle.entry[3].resource.class.code', 'recorded'],
    },
    {
      name: 'the same as a batch',
      type: 'batch',
      resources: ADULT_STAY,
      expected: ADULT_STAY_RECORDED,
    },
    {
      name: 'the same as a transaction: refused whole for the inpatient stay',
      type: 'transaction',
      resources: ADULT_STAY,
      expected: ['passive', 'passive', 'Bundle.entry[2].resource.class.code', 'passive'],
    },
    {
      name: 'the flag alone with the adult made a child, and a GP practice',
      type: 'collection',
      resources: [
        'richard',
        'UKCore-Organization-WhiteRoseMedicalCentre-Example',
        'UKCore-Flag-FoodAllergy-Example',
      ],
      expected: ['passive', 'ignored', 'recorded'],
    },
    {
      name: 'the baby with the flag, which names Richard Smith as its subject',
      type: 'collection',
      resources: ['baby', 'UKCore-Flag-FoodAllergy-Example'],
      expected: ['passive', 'Bundle.entry[1].resource.subject.reference'],
    },
    {
      name: 'the baby and the flag as search results',
      type: 'searchset',
      resources: ['baby', 'UKCore-Flag-FoodAllergy-Example'],
      expected: ['passive', 'Bundle.entry[1].resource.subject.reference'],
    },
    {
      name: 'the baby and an emergency care discharge, published with no start',
      type: 'collection',
      resources: [
        'baby',
        'UKCore-Organization-WhiteRoseMedicalCentre-Example',
        'Extension-UKCore-EmergencyCareDischargeStatus-Example',
      ],
      expected: ['passive', 'ignored', 'Bundle.entry[2].resource.period.start'],
    },
    {
      name: 'the baby and an outpatient outcome, published with no start',
      type: 'collection',
      resources: ['baby', 'Extension-UKCore-OutcomeOfAttendance-Example'],
      expected: ['passive', 'Bundle.entry[1].resource.period.start'],
    },
    {
      name: 'the baby and both encounters as a discharge message',
      type: 'message',
      resources: [
        'UKCore-MessageHeader-Discharge-Example',
        'baby',
        'Extension-UKCore-EmergencyCareDischargeStatus-Example',
        'Extension-UKCore-OutcomeOfAttendance-Example',
      ],
      expected: [
        'passive',
        'passive',
        'Bundle.entry[2].resource.period.start',
        'Bundle.entry[3].resource.period.start',
      ],
    },
    {
      name: 'the baby and both encounters as a batch',
      type: 'batch',
      resources: [
        'baby',
        'UKCore-Organization-WhiteRoseMedicalCentre-Example',
        'Extension-UKCore-EmergencyCareDischargeStatus-Example',
        'Extension-UKCore-OutcomeOfAttendance-Example',
      ],
      expected: [
        'passive',
        'ignored',
        'Bundle.entry[2].resource.period.start',
        'Bundle.entry[3].resource.period.start',
      ],
    },
    {
      name: 'the baby and both encounters as a transaction',
      type: 'transaction',
      resources: [
        'baby',
        'Extension-UKCore-EmergencyCareDischargeStatus-Example',
        'Extension-UKCore-OutcomeOfAttendance-Example',
      ],
      expected: ['passive', 'Bundle.entry[1].resource.period.start', 'Bundle.entry[2].resource.period.start'],
    },
    {
      name: 'the flag with no Patient',
      type: 'collection',
      resources: ['UKCore-Organization-LeedsTeachingHospital-Example', 'UKCore-Flag-FoodAllergy-Example'],
      expected: ['ignored', 'Bundle.entry'],
    },
    {
      name: 'the flag with two Patients',
      type: 'collection',
      resources: ['richard', 'baby', 'UKCore-Flag-FoodAllergy-Example'],
      expected: ['passive', 'passive', 'Bundle.entry'],
    },
  ];

  let db: TestDatabase;
  let health: ServiceProcess;
  let validator: FhirValidator | undefined;
  let publishedFindings: string[] = [];

  beforeAll(async () => {
    // HAPI FHIR blocks while it runs (a minute when first fetched): before any connection to the service
    // is open, which the pause would break.
    validator = hapiFhirValidator();
    const nhsNumber = aNhsNumber();
    const names = [...new Set(PUBLISHED.flatMap((b) => b.resources))];
    publishedFindings = validator?.validate(names.map((name) => resourceOf(name, nhsNumber))) ?? [];
    db = await createTestDatabase();
    health = await ServiceProcess.start('health', {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers(),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('fhir'),
    });
  }, 720_000);
  afterAll(async () => {
    await health?.stop();
    await db?.drop();
  });

  const post = async <T>(
    trust: string | undefined,
    body: unknown,
    contentType = 'application/fhir+json',
  ): Promise<Answer<T>> => {
    const response = await fetch(`${health.url}/v1/adapters/fhir`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        accept: 'application/fhir+json',
        ...(trust ? { authorization: `Bearer ${agencySystemToken(trust)}` } : {}),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: JSON.parse(text) as T,
    };
  };
  const stored = async (source: string): Promise<string[]> =>
    (
      await db.pool.query<{ type: string }>(
        'SELECT type FROM event_store.events WHERE source = $1 ORDER BY global_position',
        [source],
      )
    ).rows.map((r) => r.type);

  const isOutcome = (body: unknown, expression: string) => {
    const outcome = body as Outcome;
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue.length).toBeGreaterThan(0);
    for (const issue of outcome.issue) {
      expect(issue.severity).toMatch(/^(fatal|error|warning|information)$/);
      expect(issue.code).toMatch(/^[a-z-]+$/);
    }
    expect(outcome.issue.some((i) => i.expression?.includes(expression))).toBe(true);
  };

  it.each(['collection', 'searchset'])(
    'records the published Flag from a %s, and refuses the inpatient Encounter with an OperationOutcome',
    async (type) => {
      const trust = aTrust();
      const answer = await post<{ entries: { resourceType: string; status: string; outcome?: Outcome }[] }>(
        trust,
        ukCoreBundle(type, aNhsNumber()),
      );
      expect(answer.status).toBe(200);
      expect(answer.body.entries.map((e) => [e.resourceType, e.status])).toEqual([
        ['Encounter', 'rejected'],
        ['Flag', 'accepted'],
      ]);
      isOutcome(answer.body.entries[0]!.outcome, 'Bundle.entry[2].resource.class.code');
      expect(await stored(trust)).toEqual(['health.practitioner-concern-raised']);
    },
  );

  it('answers a batch with a batch-response: one entry per request entry, each with its status', async () => {
    const trust = aTrust();
    const batch = ukCoreBundle('batch', aNhsNumber());
    const answer = await post<ResponseBundle>(trust, batch);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toContain('application/fhir+json');
    expect(answer.body.resourceType).toBe('Bundle');
    expect(answer.body.type).toBe('batch-response');
    expect(answer.body.entry.map((e) => e.response.status)).toEqual([
      '200 OK',
      '200 OK',
      '400 Bad Request',
      '201 Created',
    ]);
    isOutcome(answer.body.entry[2]!.response.outcome, 'Bundle.entry[2].resource.class.code');
    expect(await stored(trust)).toEqual(['health.practitioner-concern-raised']);
    // Sent again: nothing new, and the Flag answers 200.
    const again = await post<ResponseBundle>(trust, batch);
    expect(again.body.entry.map((e) => e.response.status)).toEqual([
      '200 OK',
      '200 OK',
      '400 Bad Request',
      '200 OK',
    ]);
    expect(await stored(trust)).toHaveLength(1);
  });

  it('records a transaction all or nothing', async () => {
    const trust = aTrust();
    const nhsNumber = aNhsNumber();
    const refused = await post<Outcome>(trust, ukCoreBundle('transaction', nhsNumber));
    expect(refused.status).toBe(400);
    expect(refused.contentType).toContain('application/fhir+json');
    isOutcome(refused.body, 'Bundle.entry[2].resource.class.code');
    expect(await stored(trust)).toEqual([]);

    const transaction = { ...ukCoreBundle('transaction', nhsNumber) };
    transaction['entry'] = asEmergencyAttendance(transaction['entry'] as Json[]);
    const answer = await post<ResponseBundle>(trust, transaction);
    expect(answer.status).toBe(200);
    expect(answer.body.type).toBe('transaction-response');
    expect(answer.body.entry.map((e) => e.response.status)).toEqual([
      '200 OK',
      '200 OK',
      '201 Created',
      '201 Created',
    ]);
    expect(await stored(trust)).toEqual([
      'health.unscheduled-care-attended',
      'health.practitioner-concern-raised',
    ]);
    const again = await post<ResponseBundle>(trust, transaction);
    expect(again.body.entry.map((e) => e.response.status)).toEqual(['200 OK', '200 OK', '200 OK', '200 OK']);
    expect(await stored(trust)).toHaveLength(2);
  });

  /** A Flag shaped as UK Core publishes it, with an identifier and summary of its own. */
  const aFlag = (summary: string, start = '2025-03-01T10:00:00+00:00'): Json => {
    const published = ukCoreExample('UKCore-Flag-FoodAllergy-Example');
    return {
      ...published,
      id: randomUUID(),
      identifier: [{ system: 'https://tools.ietf.org/html/rfc4122', value: randomUUID() }],
      code: { ...(published['code'] as Json), text: summary },
      period: { start },
    };
  };
  const bundleOf = (type: 'transaction' | 'batch', resources: Json[]): Json => ({
    resourceType: 'Bundle',
    type,
    entry: resources.map((resource) => ({
      fullUrl: `urn:uuid:${randomUUID()}`,
      resource,
      request: { method: 'POST', url: String(resource['resourceType']) },
    })),
  });
  const idsFrom = async (source: string): Promise<string[]> =>
    (
      await db.pool.query<{ id: string }>(
        'SELECT id FROM event_store.events WHERE source = $1 ORDER BY global_position',
        [source],
      )
    ).rows.map((r) => r.id);

  it('records nothing of a transaction whose fourth entry the store refuses: its id was used for other content', async () => {
    const trust = aTrust();
    const patient = ukCorePatient(aNhsNumber());
    const flags = [1, 2, 3, 4].map((n) => aFlag(`concern ${n}`));
    const first = await post<ResponseBundle>(trust, bundleOf('batch', [patient, flags[2]!]));
    expect(first.body.entry.map((e) => e.response.status)).toEqual(['200 OK', '201 Created']);
    const recorded = await idsFrom(trust);
    expect(recorded).toHaveLength(1);

    // The same identifier, other content: entries 1, 2 and 4 pass every check, entry 3 is refused.
    flags[2] = { ...flags[2]!, code: { text: 'changed since it was sent' } };
    const refused = await post<Outcome>(trust, bundleOf('transaction', [patient, ...flags]));
    expect(refused.status).toBe(409);
    expect(refused.contentType).toContain('application/fhir+json');
    isOutcome(refused.body, 'Bundle.entry[3].resource.identifier[0]');
    expect(refused.body.issue[0]).toMatchObject({ severity: 'error', code: 'conflict' });
    expect(await idsFrom(trust)).toEqual(recorded);

    // As a batch, each entry stands alone: the other three are recorded, the third is refused.
    const batch = await post<ResponseBundle>(trust, bundleOf('batch', [patient, ...flags]));
    expect(batch.body.entry.map((e) => e.response.status)).toEqual([
      '200 OK',
      '201 Created',
      '201 Created',
      '409 Conflict',
      '201 Created',
    ]);
    isOutcome(batch.body.entry[3]!.response.outcome, 'Bundle.entry[3].resource.identifier[0]');
    expect(await idsFrom(trust)).toHaveLength(4);
  });

  it("records nothing of a transaction whose last entry a rule refuses, and all of it once it's put right", async () => {
    const trust = aTrust();
    const patient = ukCorePatient(aNhsNumber());
    const flags = [1, 2, 3, 4].map((n) => aFlag(`concern ${n}`));
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const refused = await post<Outcome>(
      trust,
      bundleOf('transaction', [patient, ...flags.slice(0, 3), { ...flags[3]!, period: { start: future } }]),
    );
    expect(refused.status).toBe(400);
    isOutcome(refused.body, 'Bundle.entry[4].resource.period.start');
    expect(await idsFrom(trust)).toEqual([]);

    const answer = await post<ResponseBundle>(trust, bundleOf('transaction', [patient, ...flags]));
    expect(answer.status).toBe(200);
    expect(answer.body.entry.map((e) => e.response.status)).toEqual([
      '200 OK',
      '201 Created',
      '201 Created',
      '201 Created',
      '201 Created',
    ]);
    const stored = await idsFrom(trust);
    expect(stored).toHaveLength(4);
    expect(answer.body.entry.slice(1).map((e) => e.response.location)).toEqual(
      stored.map((id) => `urn:jigsaw:event:${id}`),
    );
    // One append: the four events hold consecutive places in the child's stream.
    const { rows } = await db.pool.query<{ stream_id: string; stream_position: string }>(
      'SELECT stream_id, stream_position FROM event_store.events WHERE source = $1 ORDER BY stream_position',
      [trust],
    );
    expect(new Set(rows.map((r) => r.stream_id)).size).toBe(1);
    expect(rows.map((r) => Number(r.stream_position))).toEqual([1, 2, 3, 4]);
  });

  it('sends UK Core’s published examples in fifteen Bundles', () => {
    expect(PUBLISHED).toHaveLength(15);
  });

  it.each(PUBLISHED)('$type: $name', async ({ type, resources, expected }) => {
    const trust = aTrust();
    const nhsNumber = aNhsNumber();
    const entry = resources.map((name) => {
      const resource = resourceOf(name, nhsNumber);
      const url = `${String(resource['resourceType'])}/${String(resource['id'])}`;
      return {
        fullUrl: `https://fhir.example.nhs.uk/${url}`,
        resource,
        ...(type === 'transaction' || type === 'batch' ? { request: { method: 'PUT', url } } : {}),
        ...(type === 'searchset'
          ? { search: { mode: resource['resourceType'] === 'Patient' ? 'include' : 'match' } }
          : {}),
      };
    });
    const answer = await post<Json>(trust, { resourceType: 'Bundle', type, entry });
    const refusals = expected.filter((e) => e.startsWith('Bundle.'));
    const recorded = expected.filter((e) => e === 'recorded').length;
    if (type === 'transaction') {
      expect(answer.status).toBe(400);
      for (const expression of refusals) isOutcome(answer.body, expression);
    } else if (type === 'batch') {
      const statuses = (answer.body as unknown as ResponseBundle).entry.map((e) => e.response);
      expect(statuses.map((r) => r.status)).toEqual(
        expected.map((e) =>
          e === 'recorded' ? '201 Created' : e.startsWith('Bundle.') ? '400 Bad Request' : '200 OK',
        ),
      );
      expected.forEach((e, i) => e.startsWith('Bundle.') && isOutcome(statuses[i]!.outcome, e));
    } else {
      expect(answer.status).toBe(200);
      const report = answer.body as {
        entries: { entry: number; status: string; outcome?: Outcome }[];
        ignored: { entry: number }[];
      };
      expect(report.ignored.map((e) => e.entry)).toEqual(
        expected.flatMap((e, i) => (e === 'ignored' ? [i] : [])),
      );
      expect(
        report.entries.map((e) => [e.entry, e.status === 'rejected' ? expected[e.entry] : e.status]),
      ).toEqual(
        expected.flatMap((e, i) =>
          e === 'recorded' ? [[i, 'accepted']] : e.startsWith('Bundle.') ? [[i, e]] : [],
        ),
      );
      for (const e of report.entries.filter((e) => e.outcome)) isOutcome(e.outcome, expected[e.entry]!);
    }
    expect(await stored(trust)).toHaveLength(type === 'transaction' ? 0 : recorded);
  });

  it('holds published examples that HAPI FHIR finds valid R4, as sent', () => {
    if (!validator) return;
    expect(publishedFindings).toEqual([]);
  });

  it('answers FHIR XML with 415, naming the types it takes, and records nothing', async () => {
    const trust = aTrust();
    const answer = await post<Outcome>(
      trust,
      '<Bundle xmlns="http://hl7.org/fhir"/>',
      'application/fhir+xml',
    );
    expect(answer.status).toBe(415);
    expect(answer.contentType).toContain('application/fhir+json');
    isOutcome(answer.body, 'http.content-type');
    expect(answer.body.issue[0]).toMatchObject({ code: 'not-supported' });
    expect(answer.body.issue[0]!.diagnostics).toContain('application/fhir+json or application/json');
    expect(await stored(trust)).toEqual([]);
  });

  it('answers a caller without a token with an OperationOutcome too', async () => {
    const answer = await post<Outcome>(undefined, ukCoreBundle('collection', aNhsNumber()));
    expect(answer.status).toBe(401);
    expect(answer.contentType).toContain('application/fhir+json');
    expect(answer.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'login' }] });
  });

  it('answers in resources HAPI FHIR finds valid R4: batch and transaction responses, OperationOutcomes', async () => {
    if (!validator) return;
    const trust = aTrust();
    const transaction = ukCoreBundle('transaction', aNhsNumber());
    const answers = [
      (await post<ResponseBundle>(aTrust(), ukCoreBundle('batch', aNhsNumber()))).body,
      (await post<Outcome>(trust, transaction)).body,
      (
        await post<ResponseBundle>(trust, {
          ...transaction,
          entry: asEmergencyAttendance(transaction['entry'] as Json[]),
        })
      ).body,
      (await post<Outcome>(trust, '<Bundle/>', 'application/fhir+xml')).body,
      (await post<Outcome>(undefined, transaction)).body,
    ];
    expect(answers.map((a) => (a as { resourceType: string }).resourceType)).toEqual([
      'Bundle',
      'OperationOutcome',
      'Bundle',
      'OperationOutcome',
      'OperationOutcome',
    ]);
    expect(validator.validate(answers)).toEqual([]);
  }, 600_000);

  it('sends the published examples whole: only the NHS number differs', () => {
    const entries = ukCoreEntries(aNhsNumber());
    expect(entries.map((e) => (e['resource'] as Json)['id'])).toEqual([
      'UKCore-Patient-RichardSmith-Example',
      'UKCore-Organization-LeedsTeachingHospital-Example',
      'UKCore-Encounter-InpatientEncounter-Example',
      'UKCore-Flag-FoodAllergy-Example',
    ]);
  });
});
