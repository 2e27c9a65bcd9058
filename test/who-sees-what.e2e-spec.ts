import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { JigsawEnvelope, SharingDecision } from '@jigsaw/envelope';
import {
  agencySystemToken,
  aNhsNumber,
  anIncidentNotification,
  aPoliceSharingDecision,
  createTestDatabase,
  METROPOLITAN_POLICE,
  practitionerToken,
  testBrokers,
  uniqueTopicPrefix,
  type PractitionerClaims,
  type TestDatabase,
} from '@jigsaw/testing';
import { getJson, type JsonResponse, postEvent, eventually } from './support/http.js';
import { claimAccess } from './support/access-claims.js';
import { ServiceProcess, startServices } from './support/service-process.js';

interface Entry {
  id: string;
  level: string;
  reason: string;
  data?: Record<string, unknown>;
  sharing: Record<string, unknown>;
  [field: string]: unknown;
}
interface Chronology {
  childId: string;
  purpose: string;
  entries: Entry[];
}
interface AccessData {
  view: string;
  childId: string;
  lookup?: string;
  viewer: { sub: string; organisation: string; agency: string; role: string };
  purpose: string;
  shown: { event: string; level: string; reason: string; lawfulBasis: string; regime: string }[];
}

const SCHOOL = 'urn:jigsaw:org:education:school-100001';
const TRUST = 'urn:jigsaw:org:health:rj1';
const COUNCIL = 'urn:jigsaw:org:council:leeds';

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
  organisation: TRUST,
  role: 'clinician',
  purposes: ['health-care', 'safeguarding'],
};
const socialWorker: PractitionerClaims = {
  sub: 'sw-3',
  agency: 'council',
  organisation: COUNCIL,
  role: 'social-worker',
  purposes: ['safeguarding', 'child-protection'],
};
const auditor: PractitionerClaims = {
  sub: 'aud-1',
  agency: 'council',
  organisation: COUNCIL,
  role: 'auditor',
  purposes: ['audit'],
};

/** Every field an entry may carry for a non-owner at full level, and for an auditor's skeleton. */
const FULL_ENTRY = [
  'agency',
  'childid',
  'corrected',
  'data',
  'id',
  'level',
  'markers',
  'occurredAt',
  'reason',
  'recordedAt',
  'sharing',
  'source',
  'summary',
  'time',
  'type',
];
const SKELETON_ENTRY = [...FULL_ENTRY.filter((f) => f !== 'data'), 'standing'].sort();

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

describe('who sees what: one child, four practitioners, every read logged', () => {
  let db: TestDatabase;
  let police: ServiceProcess;
  let view: ServiceProcess;
  const nhsNumber = aNhsNumber();
  const family = 'Quillfeather';
  let childId: string;

  const asPolice = bearer(agencySystemToken(METROPOLITAN_POLICE));
  const policeEvent = (sharing: Partial<SharingDecision>, summary: string): JigsawEnvelope => {
    const event = anIncidentNotification({ nhsNumber, summary });
    return {
      ...event,
      subject: { nhsNumber, name: { given: 'Zephyrine', family } },
      sharing: aPoliceSharingDecision(sharing),
    };
  };
  const shared = policeEvent(
    { purposes: ['safeguarding', 'child-protection', 'health-care'] },
    'Police attended a domestic abuse incident at home; the child was present.',
  );
  const policeOnly = policeEvent(
    { audience: [{ agency: 'police' }], sensitivity: 'restricted' },
    'Intelligence about an adult in the household.',
  );
  const entered = policeEvent({}, 'Recorded against the wrong child.');
  const retraction: JigsawEnvelope = {
    ...policeEvent({}, ''),
    id: `retract-${entered.id}`,
    type: 'police.record-retracted',
    dataschema: 'urn:jigsaw:schema:record-retracted:v1',
    data: { targetEventId: entered.id, reason: 'Entered in error against the wrong child.' },
  };

  const accessEvents = async (): Promise<AccessData[]> =>
    (
      await db.pool.query<{ payload: { data: { record: AccessData } } }>(
        `SELECT payload FROM event_store.events WHERE type = 'hub.record-accessed' AND stream_id = $1
         ORDER BY stream_position`,
        [`access-${childId}`],
      )
    ).rows.map((row) => row.payload.data.record);

  /** Reads the chronology and returns the access events the read added, queried as soon as it answered. */
  const read = async (
    headers: Record<string, string>,
    purpose: string | undefined,
    ref = nhsNumber,
  ): Promise<{ response: JsonResponse<Chronology>; logged: AccessData[]; challenge: string | null }> => {
    const before = (await accessEvents()).length;
    const query = purpose === undefined ? '' : `?purpose=${purpose}`;
    const response = await fetch(`${view.url}/v1/children/${ref}/chronology${query}`, { headers });
    const text = await response.text();
    const logged = (await accessEvents()).slice(before);
    return {
      response: {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        body: JSON.parse(text) as Chronology,
      },
      logged,
      challenge: response.headers.get('www-authenticate'),
    };
  };

  const expectNoIdentifiers = (body: unknown): void => {
    const text = JSON.stringify(body);
    expect(text).not.toContain(nhsNumber);
    expect(text).not.toContain(family);
    expect(text).not.toContain('Zephyrine');
    expect(text).not.toContain('"subject"');
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers(),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('who-sees-what'),
    };
    [police, view] = (await startServices(env, 'police', 'safeguarding-view')) as [
      ServiceProcess,
      ServiceProcess,
    ];
    for (const event of [shared, policeOnly, entered, retraction]) {
      const response = await postEvent(`${police.url}/v1/events`, event, asPolice);
      expect(response.status).toBe(202);
    }
    const stored = await db.pool.query<{ childid: string }>(
      "SELECT payload->>'childid' AS childid FROM event_store.events WHERE id = $1",
      [shared.id],
    );
    childId = stored.rows[0]!.childid;
    // Wait on the read model itself: reading through the API would log reads.
    await eventually(
      async () => {
        const { rows } = await db.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM view.chronology WHERE child_id = $1',
          [childId],
        );
        return rows[0]!.n >= 4 ? true : undefined;
      },
      20_000,
      'four chronology rows',
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${view.output.join('').slice(-3000)}`);
    });
    // None of the readers' organisations works with the child: each claims access, as in an emergency.
    // Claimed once the view holds the child: a claim naming a child it does not know yet opens nothing.
    for (const claims of [schoolDsl, aeClinician, socialWorker, auditor])
      await claimAccess(view.url, claims, nhsNumber);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([police?.stop(), view?.stop()]);
    await db?.drop();
  });

  it('shows a school DSL that something happened and whom to call: no narrative, risk or reference', async () => {
    const { response, logged } = await read(bearer(practitionerToken(schoolDsl)), 'safeguarding');
    expect(response.status).toBe(200);
    expect(response.body.childId).toBe(childId);
    expect(response.body.entries.map((e) => e.id)).toEqual([shared.id]);
    const [entry] = response.body.entries;
    expect(Object.keys(entry!).sort()).toEqual(FULL_ENTRY);
    expect(Object.keys(entry!.data!).sort()).toEqual(
      ['childInHousehold', 'childPresent', 'contact', 'force', 'occurredAt', 'summary'].sort(),
    );
    expect(entry!.data!['force']).toEqual({ name: 'Metropolitan Police Service' });
    expect(Object.keys(entry!.sharing).sort()).toEqual(['basis', 'purposes']);
    expectNoIdentifiers(response.body);

    expect(logged).toHaveLength(1);
    expect(logged[0]).toEqual({
      view: 'chronology',
      childId,
      lookup: 'nhs-number',
      viewer: {
        sub: 'dsl-1',
        organisation: SCHOOL,
        agency: 'education',
        role: 'designated-safeguarding-lead',
      },
      purpose: 'safeguarding',
      accessedAt: expect.any(String),
      shown: [
        {
          event: `${METROPOLITAN_POLICE}#${shared.id}`,
          level: 'full',
          reason: 'shared',
          lawfulBasis: 'legal-obligation',
          regime: 'dpa-2018-part-3',
        },
      ],
    });
  });

  it('shows an A&E clinician, reading for health care, only what helps them ask the right question', async () => {
    const { response, logged } = await read(bearer(practitionerToken(aeClinician)), 'health-care', childId);
    expect(response.status).toBe(200);
    expect(response.body.entries.map((e) => e.id)).toEqual([shared.id]);
    expect(Object.keys(response.body.entries[0]!.data!).sort()).toEqual([
      'childPresent',
      'occurredAt',
      'summary',
    ]);
    expectNoIdentifiers(response.body);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ lookup: 'hub-child-id', purpose: 'health-care' });
    expect(logged[0]!.shown.map((s) => s.event)).toEqual([`${METROPOLITAN_POLICE}#${shared.id}`]);
  });

  it('shows a social worker the risk level and reference, never the narrative, nor the retracted record', async () => {
    const { response, logged } = await read(bearer(practitionerToken(socialWorker)), 'child-protection');
    expect(response.status).toBe(200);
    expect(response.body.entries.map((e) => e.id)).toEqual([shared.id]);
    expect(Object.keys(response.body.entries[0]!.data!).sort()).toEqual(
      [
        'childInHousehold',
        'childPresent',
        'contact',
        'force',
        'incidentReference',
        'occurredAt',
        'riskLevel',
        'summary',
      ].sort(),
    );
    expectNoIdentifiers(response.body);
    expect(logged).toHaveLength(1);
  });

  it('shows an auditor skeletons of every record, with standing and no data', async () => {
    const { response, logged } = await read(bearer(practitionerToken(auditor)), 'audit');
    expect(response.status).toBe(200);
    expect(response.body.entries.map((e) => e.id).sort()).toEqual(
      [shared.id, policeOnly.id, entered.id].sort(),
    );
    for (const entry of response.body.entries) {
      expect(Object.keys(entry).sort()).toEqual(SKELETON_ENTRY);
      expect(entry.level).toBe('skeleton');
    }
    const retracted = response.body.entries.find((e) => e.id === entered.id)!;
    expect(retracted['standing']).toMatchObject({ retracted: true });
    expectNoIdentifiers(response.body);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.shown.every((s) => s.level === 'skeleton' && s.reason === 'audit-skeleton')).toBe(true);
    expect(logged[0]!.shown).toHaveLength(3);
  });

  it('finds a child by NHS number for a practitioner, and logs that as a read', async () => {
    const before = (await accessEvents()).length;
    const response = await getJson<{ childId: string }>(
      `${view.url}/v1/children?nhsNumber=${nhsNumber}&purpose=safeguarding`,
      bearer(practitionerToken(schoolDsl)),
    );
    expect(response).toMatchObject({ status: 200, body: { childId } });
    const logged = (await accessEvents()).slice(before);
    expect(logged).toEqual([
      expect.objectContaining({ view: 'find-child', lookup: 'nhs-number', shown: [] }),
    ]);
  });

  it('keeps every identifier out of the access log', async () => {
    const { rows } = await db.pool.query<{ payload: unknown }>(
      "SELECT payload FROM event_store.events WHERE type = 'hub.record-accessed'",
    );
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expectNoIdentifiers(rows.map((r) => (r.payload as { data: { record: unknown } }).data.record));
    expect(JSON.stringify(rows)).not.toContain(nhsNumber);
  });

  describe('refusals show nothing and log nothing', () => {
    const expired = practitionerToken(schoolDsl, { ttlSeconds: -120 });
    const forged = practitionerToken(schoolDsl, { secret: 'not-the-hub-secret-but-long-enough-to-sign' });

    it.each([
      ['no token', {}],
      ['an expired token', bearer(expired)],
      ['a forged token', bearer(forged)],
      ['a malformed header', { authorization: 'Basic ZHNsOnBhc3N3b3Jk' }],
    ])('answers %s with 401 problem+json and a Bearer challenge', async (_what, headers) => {
      const { response, logged, challenge } = await read(headers, 'safeguarding');
      expect(response.status).toBe(401);
      expect(response.contentType).toContain('application/problem+json');
      expect(challenge).toMatch(/^Bearer realm="jigsaw"/);
      expect(response.body).not.toHaveProperty('entries');
      expect(logged).toEqual([]);
    });

    it('answers a purpose the sign-in does not grant with 403', async () => {
      const { response, logged } = await read(bearer(practitionerToken(schoolDsl)), 'child-protection');
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ code: 'FORBIDDEN', errors: [{ field: 'purpose' }] });
      expect(logged).toEqual([]);
    });

    it('answers a read without a purpose with 400 naming purpose', async () => {
      const { response, logged } = await read(bearer(practitionerToken(schoolDsl)), undefined);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ errors: [{ field: 'purpose', reason: 'is required' }] });
      expect(logged).toEqual([]);
    });

    it('answers an agency system reading with 403, and a practitioner posting with 403', async () => {
      const { response } = await read(asPolice, 'safeguarding');
      expect(response.status).toBe(403);
      const posted = await postEvent(
        `${police.url}/v1/events`,
        anIncidentNotification(),
        bearer(practitionerToken(socialWorker)),
      );
      expect(posted.status).toBe(403);
    });

    it('refuses a post without a token, and one posting as another force', async () => {
      const incident = anIncidentNotification();
      expect((await postEvent(`${police.url}/v1/events`, incident)).status).toBe(401);
      const otherForce = bearer(agencySystemToken('urn:jigsaw:org:police:west-yorkshire'));
      const response = await postEvent(`${police.url}/v1/events`, incident, otherForce);
      expect(response.status).toBe(403);
      const stored = await db.pool.query('SELECT 1 FROM event_store.events WHERE id = $1', [incident.id]);
      expect(stored.rows).toEqual([]);
    });

    it('fails the read with 500 and shows nothing when the access event cannot be stored', async () => {
      await db.pool.query(`
        CREATE FUNCTION public.refuse_access_log() RETURNS trigger LANGUAGE plpgsql AS
          $$ BEGIN RAISE EXCEPTION 'access log unavailable'; END $$;
        CREATE TRIGGER refuse_access_log BEFORE INSERT ON event_store.events
          FOR EACH ROW WHEN (NEW.type = 'hub.record-accessed') EXECUTE FUNCTION public.refuse_access_log();`);
      try {
        const { response, logged } = await read(bearer(practitionerToken(schoolDsl)), 'safeguarding');
        expect(response.status).toBe(500);
        expect(response.contentType).toContain('application/problem+json');
        expect(JSON.stringify(response.body)).not.toContain(shared.id);
        expect(logged).toEqual([]);
      } finally {
        await db.pool.query(`DROP TRIGGER refuse_access_log ON event_store.events;
          DROP FUNCTION public.refuse_access_log();`);
      }
    });

    it('leaves health checks open', async () => {
      expect((await fetch(`${view.url}/health/live`)).status).toBe(200);
      expect((await fetch(`${police.url}/health/ready`)).status).toBe(200);
    });
  });
});
