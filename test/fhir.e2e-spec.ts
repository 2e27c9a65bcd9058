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
  type TestDatabase,
} from '@jigsaw/testing';
import {
  asEmergencyAttendance,
  ukCoreBundle,
  ukCoreEntries,
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
  let db: TestDatabase;
  let health: ServiceProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    health = await ServiceProcess.start('health', {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers(),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('fhir'),
    });
  }, 120_000);
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
    const validator = hapiFhirValidator();
    if (!validator) return;
    const trust = aTrust();
    const transaction = ukCoreBundle('transaction', aNhsNumber());
    const answers = [
      (await post<ResponseBundle>(trust, ukCoreBundle('batch', aNhsNumber()))).body,
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
