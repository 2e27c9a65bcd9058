import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { contentHash } from '@jigsaw/envelope';
import {
  agencySystemToken,
  aNhsNumber,
  anIncidentNotification,
  createTestDatabase,
  METROPOLITAN_POLICE,
  practitionerToken,
  testBrokers,
  uniqueTopicPrefix,
  type PractitionerClaims,
  type TestDatabase,
} from '@jigsaw/testing';
import { claimAccessOnceKnown } from './support/access-claims.js';
import { eventually, getJson, postEvent } from './support/http.js';
import { ServiceProcess, startServices } from './support/service-process.js';

interface Chronology {
  childId: string;
  entries: { id: string; agency: string; type: string; data?: { summary?: string } }[];
}

interface Problem {
  type: string;
  status: number;
  code: string;
  errors?: { field: string; reason: string }[];
}

/** The police force's system posts; a school's DSL reads for safeguarding. */
const asPolice = { authorization: `Bearer ${agencySystemToken(METROPOLITAN_POLICE)}` };
const schoolDsl: PractitionerClaims = {
  sub: 'dsl-1',
  agency: 'education',
  organisation: 'urn:jigsaw:org:education:school-100001',
  role: 'designated-safeguarding-lead',
  purposes: ['safeguarding'],
};
const asSchoolDsl = { authorization: `Bearer ${practitionerToken(schoolDsl)}` };
const post = <T = unknown>(url: string, body: object) => postEvent<T>(url, body, asPolice);

describe('the spine: a police system to the shared chronology', () => {
  let db: TestDatabase;
  let police: ServiceProcess;
  let view: ServiceProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers(),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('spine'),
    };
    [police, view] = (await startServices(env, 'police', 'safeguarding-view')) as [
      ServiceProcess,
      ServiceProcess,
    ];
  }, 120_000);

  afterAll(async () => {
    await Promise.all([police?.stop(), view?.stop()]);
    await db?.drop();
  });

  const chronologyOf = (ref: string): Promise<Chronology> =>
    getJson<Chronology>(`${view.url}/v1/children/${ref}/chronology?purpose=safeguarding`, asSchoolDsl).then(
      (r) => r.body,
    );

  const entriesOnceThere = (ref: string, count: number): Promise<Chronology> =>
    eventually(
      async () => {
        const response = await getJson<Chronology>(
          `${view.url}/v1/children/${ref}/chronology?purpose=safeguarding`,
          asSchoolDsl,
        );
        // The school does not work with the child: once the hub knows the child, its DSL claims access.
        if (response.status === 404 && /^\d{10}$/.test(ref))
          await claimAccessOnceKnown(view.url, schoolDsl, ref);
        return response.status === 200 && response.body.entries.length >= count ? response.body : undefined;
      },
      20_000,
      `${count} chronology entries`,
    );

  it('shows an incident posted to police in the child chronology within seconds', async () => {
    const nhsNumber = aNhsNumber();
    const incident = anIncidentNotification({
      nhsNumber,
      summary: 'Incident at home last night; child present.',
    });
    const accepted = await post(`${police.url}/v1/events`, incident);
    expect(accepted).toMatchObject({ status: 202, body: { id: incident.id } });

    const chronology = await entriesOnceThere(nhsNumber, 1);
    expect(chronology.entries).toEqual([
      expect.objectContaining({
        id: incident.id,
        agency: 'police',
        type: 'police.domestic-abuse-incident-notified',
        data: expect.objectContaining({ summary: 'Incident at home last night; child present.' }),
      }),
    ]);
    // The hub child id finds the same chronology as the NHS number.
    expect((await chronologyOf(chronology.childId)).entries.map((e) => e.id)).toEqual([incident.id]);
  });

  it('answers a repeated post the same, stores it once and shows it once', async () => {
    const nhsNumber = aNhsNumber();
    const incident = anIncidentNotification({ nhsNumber });
    const first = await post(`${police.url}/v1/events`, incident);
    const second = await post(`${police.url}/v1/events`, incident);
    expect(second).toEqual(first);
    expect(second.status).toBe(202);

    const later = anIncidentNotification({ nhsNumber });
    await post(`${police.url}/v1/events`, later);
    const chronology = await entriesOnceThere(nhsNumber, 2);
    expect(chronology.entries.map((e) => e.id).sort()).toEqual([incident.id, later.id].sort());
    const stored = await db.pool.query('SELECT count(*)::int AS n FROM event_store.events WHERE id = $1', [
      incident.id,
    ]);
    expect(stored.rows[0]?.n).toBe(1);
  });

  it('refuses the same id with different content with 409 and stores nothing new', async () => {
    const incident = anIncidentNotification();
    await post(`${police.url}/v1/events`, incident);
    const changed = { ...incident, data: { ...incident.data, summary: 'Something else entirely.' } };
    const response = await post<Problem>(`${police.url}/v1/events`, changed);
    expect(response.status).toBe(409);
    expect(response.contentType).toContain('application/problem+json');
    expect(response.body).toMatchObject({
      code: 'DUPLICATE_EVENT_CONFLICT',
      errors: [{ field: 'id', reason: 'was already used for different content' }],
    });
    const stored = await db.pool.query('SELECT payload, content_hash FROM event_store.events WHERE id = $1', [
      incident.id,
    ]);
    expect(stored.rows).toHaveLength(1);
    // The first content, as received: personal data is stored sealed, and hashed as it arrived.
    expect(stored.rows[0]?.content_hash).toBe(contentHash(incident));
    expect(stored.rows[0]?.payload.data.record.summary).toBe('[sealed]');
    expect(JSON.stringify(stored.rows[0]?.payload)).not.toContain(incident.subject.nhsNumber);
  });

  it('answers invalid input with 400 problem+json naming each failing field and why', async () => {
    const incident = anIncidentNotification({ nhsNumber: '9434765918', occurredAt: '2026-02-30T10:00:00Z' });
    const broken = {
      ...incident,
      sharing: { ...incident.sharing, consent: { status: 'not-sought' } },
      data: { ...incident.data, childPresent: 'yes' },
    };
    const response = await post<Problem>(`${police.url}/v1/events`, broken);
    expect(response.status).toBe(400);
    expect(response.contentType).toContain('application/problem+json');
    expect(response.body.code).toBe('VALIDATION_FAILED');
    const byField = Object.fromEntries((response.body.errors ?? []).map((e) => [e.field, e.reason]));
    expect(byField).toMatchObject({
      'data.child.nhsNumber': 'fails the NHS number check digit',
      'data.sharing.consent.reason': 'is required',
      'data.record.childPresent': 'must be a boolean value',
      'data.record.occurredAt': 'must be a real date and time (RFC 3339)',
    });
    const stored = await db.pool.query('SELECT count(*)::int AS n FROM event_store.events WHERE id = $1', [
      incident.id,
    ]);
    expect(stored.rows[0]?.n).toBe(0);
  });

  it('loses and doubles nothing when the view process is killed and restarted', async () => {
    const children = Array.from({ length: 10 }, () => aNhsNumber());
    const posted = new Map<string, string[]>(children.map((c) => [c, []]));
    const postFor = async (nhsNumber: string): Promise<void> => {
      const incident = anIncidentNotification({ nhsNumber });
      expect((await post(`${police.url}/v1/events`, incident)).status).toBe(202);
      posted.get(nhsNumber)!.push(incident.id);
    };

    for (let i = 0; i < 60; i++) await postFor(children[i % children.length]!);
    await view.stop('SIGKILL');
    for (let i = 0; i < 60; i++) await postFor(children[i % children.length]!);
    await view.start();

    for (const nhsNumber of children) {
      const chronology = await entriesOnceThere(nhsNumber, 12);
      const ids = chronology.entries.map((e) => e.id);
      expect(ids.sort()).toEqual([...posted.get(nhsNumber)!].sort());
    }
  });
});
