import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  agencySystemToken,
  aNhsNumber,
  aUpn,
  createTestDatabase,
  METROPOLITAN_POLICE,
  practitionerToken,
  testBrokers,
  uniqueTopicPrefix,
  type PractitionerClaims,
  type TestDatabase,
} from '@jigsaw/testing';
import { claimAccessOnceKnown } from './support/access-claims.js';
import { eventually, getJson, type JsonResponse } from './support/http.js';
import { ServiceProcess, startServices } from './support/service-process.js';

interface BatchReport {
  accepted: number;
  duplicates: number;
  rejected: number;
  rows: (
    | { row: number; status: 'accepted' | 'duplicate'; id: string }
    | { row: number; status: 'rejected'; code: string; errors: { field: string; reason: string }[] }
  )[];
}

interface Problem {
  status: number;
  code: string;
  errors?: { field: string; reason: string }[];
}

interface Chronology {
  childId: string;
  entries: { id: string; agency: string; type: string }[];
}

const SCHOOL = 'urn:jigsaw:org:education:hillside-primary';

/** Agency systems post signed in as their own organisation. */
const asSystemOf = (organisation: string): Record<string, string> => ({
  authorization: `Bearer ${agencySystemToken(organisation)}`,
});

/** A council social worker reading for safeguarding: both agencies share these records with the council. */
const socialWorker: PractitionerClaims = {
  sub: 'sw-1',
  agency: 'council',
  organisation: 'urn:jigsaw:org:council:leeds',
  role: 'social-worker',
  purposes: ['safeguarding'],
};
const asSocialWorker = (): Record<string, string> => ({
  authorization: `Bearer ${practitionerToken(socialWorker)}`,
});

async function postExport<T>(
  url: string,
  organisation: string,
  body: string,
  contentType: string,
): Promise<JsonResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType, ...asSystemOf(organisation) },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}

const OE_HEADER =
  'incident_reference,incident_datetime,child_nhs_number,child_given_name,child_family_name,child_dob,school_urn,child_present,officer_name,officer_phone,summary';

/** A time a few hours ago as a UK force writes it: DD/MM/YYYY HH:MM, local time. */
function ukLocal(hoursAgo: number): string {
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

describe('police and education: Operation Encompass and school concern exports', () => {
  let db: TestDatabase;
  let police: ServiceProcess;
  let education: ServiceProcess;
  let view: ServiceProcess;
  const amara = aNhsNumber();
  const bo = aNhsNumber();
  const amaraUpn = aUpn();

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers(),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('police-education'),
    };
    [police, education, view] = (await startServices(env, 'police', 'education', 'safeguarding-view')) as [
      ServiceProcess,
      ServiceProcess,
      ServiceProcess,
    ];
  }, 120_000);

  afterAll(async () => {
    await Promise.all([police?.stop(), education?.stop(), view?.stop()]);
    await db?.drop();
  });

  // What the agencies' adapters stored: the hub's own events (the notifications raised for an
  // incident, the reads the view records) arrive later, so they are left out.
  const storedCount = async (): Promise<number> =>
    (
      await db.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM event_store.events WHERE type NOT LIKE 'hub.%'",
      )
    ).rows[0]!.n;

  const chronologyOnceThere = (ref: string, ids: readonly string[]): Promise<Chronology> =>
    eventually(
      async () => {
        const response = await getJson<Chronology>(
          `${view.url}/v1/children/${ref}/chronology?purpose=safeguarding`,
          asSocialWorker(),
        );
        // The council does not work with these children: once the hub knows one, its social worker claims access.
        if (response.status === 404 && /^\d{10}$/.test(ref))
          await claimAccessOnceKnown(view.url, socialWorker, ref);
        const seen = new Set(response.status === 200 ? response.body.entries.map((e) => e.id) : []);
        return ids.every((id) => seen.has(id)) ? response.body : undefined;
      },
      20_000,
      `chronology entries ${ids.join(', ')}`,
    );

  const oeCsv = [
    OE_HEADER,
    `CAD-1001,${ukLocal(10)},${amara},Amara,Example,02/04/2016,123456,yes,PC Example,020 7230 1212,Police attended a domestic incident at home last night; Amara was present.`,
    `CAD-1002,${ukLocal(9)},${bo},Bo,Example,30/09/2012,,no,PC Example,020 7230 1212,Incident at home; Bo was asleep upstairs.`,
    `CAD-1003,${ukLocal(9)},9434765918,Cai,Example,01/06/2019,,yes,PC Example,020 7230 1212,Incident.`,
    `CAD-1004,2026-02-30 22:15,${aNhsNumber()},Dee,Example,01/06/2019,,yes,PC Example,020 7230 1212,Incident.`,
    `CAD-1005,${ukLocal(-48)},${aNhsNumber()},Eli,Example,01/06/2019,,yes,PC Example,020 7230 1212,Incident.`,
    `CAD-1006,${ukLocal(8)},${aNhsNumber()},Fay,Example,01/06/2019,,perhaps,PC Example,020 7230 1212,Incident.`,
  ].join('\r\n');

  let oeIds: string[] = [];

  it('records the good rows of an Operation Encompass CSV and reports each bad row by column', async () => {
    const response = await postExport<BatchReport>(
      `${police.url}/v1/adapters/operation-encompass`,
      METROPOLITAN_POLICE,
      oeCsv,
      'text/csv',
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: 4,
      rows: [
        { row: 1, status: 'accepted', id: expect.stringMatching(/^oe-CAD-1001-[0-9a-f]{16}$/) },
        { row: 2, status: 'accepted', id: expect.stringMatching(/^oe-CAD-1002-[0-9a-f]{16}$/) },
        {
          row: 3,
          status: 'rejected',
          code: 'VALIDATION_FAILED',
          errors: [{ field: 'child_nhs_number', reason: 'fails the NHS number check digit' }],
        },
        {
          row: 4,
          status: 'rejected',
          code: 'VALIDATION_FAILED',
          errors: [
            {
              field: 'incident_datetime',
              reason:
                'must be a real date and time (YYYY-MM-DDTHH:MM with a zone, or UK local DD/MM/YYYY HH:MM)',
            },
          ],
        },
        {
          row: 5,
          status: 'rejected',
          code: 'VALIDATION_FAILED',
          errors: [{ field: 'incident_datetime', reason: 'must not be in the future' }],
        },
        {
          row: 6,
          status: 'rejected',
          code: 'VALIDATION_FAILED',
          errors: [{ field: 'child_present', reason: 'must be yes or no' }],
        },
      ],
    });
    // Personal data never comes back in a report.
    expect(JSON.stringify(response.body)).not.toContain(amara);
    oeIds = response.body.rows.flatMap((r) => (r.status === 'accepted' ? [r.id] : []));

    const stored = await db.pool.query<{ id: string; type: string }>(
      "SELECT id, type FROM event_store.events WHERE type NOT LIKE 'hub.%' ORDER BY global_position",
    );
    expect(stored.rows).toEqual(oeIds.map((id) => ({ id, type: 'police.domestic-abuse-incident-notified' })));

    const chronology = await chronologyOnceThere(amara, [oeIds[0]!]);
    expect(chronology.entries).toContainEqual(
      expect.objectContaining({
        id: oeIds[0],
        agency: 'police',
        type: 'police.domestic-abuse-incident-notified',
      }),
    );
    await chronologyOnceThere(bo, [oeIds[1]!]);
  });

  it('stores nothing new when the same CSV is sent again', async () => {
    const before = await storedCount();
    const response = await postExport<BatchReport>(
      `${police.url}/v1/adapters/operation-encompass`,
      METROPOLITAN_POLICE,
      oeCsv,
      'text/csv',
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 0, duplicates: 2, rejected: 4 });
    expect(response.body.rows.slice(0, 2)).toEqual(
      oeIds.map((id, i) => ({ row: i + 1, status: 'duplicate', id })),
    );
    expect(await storedCount()).toBe(before);
  });

  it('answers a CSV missing a column with 400 problem+json naming it, and stores nothing', async () => {
    const before = await storedCount();
    const headerless = oeCsv.replace(',child_present,', ',').split('\r\n').slice(0, 1).join('\r\n');
    const response = await postExport<Problem>(
      `${police.url}/v1/adapters/operation-encompass`,
      METROPOLITAN_POLICE,
      `${headerless}\r\n`,
      'text/csv',
    );
    expect(response.status).toBe(400);
    expect(response.contentType).toContain('application/problem+json');
    expect(response.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'child_present', reason: 'is a required column missing from the header' }],
    });
    expect(await storedCount()).toBe(before);
  });

  it("records a school's concern export into the same child's chronology, refusing rows it cannot identify", async () => {
    const before = await storedCount();
    const csv = [
      'Concern ID,Pupil UPN,Pupil NHS Number,Pupil Given Name,Pupil Family Name,Pupil DOB,Concern Date,Category,Summary,Recorded By,Actions',
      // Amara: the UPN and her NHS number link the concern to the police record above.
      `CP-501,${amaraUpn},${amara},Amara,Example,02/04/2016,${ukLocal(2)},Domestic Abuse,"Quiet and tearful after the Operation Encompass call; spoke to the DSL.",Ms Example,Key adult check-in; Monitor`,
      `CP-502,UN2,,Gus,Example,11/11/2015,${ukLocal(2)},Neglect,Hungry again.,Mr Example,`,
      `CP-503,${amaraUpn.startsWith('A') ? 'B' : 'A'}${amaraUpn.slice(1)},,Hal,Example,11/11/2015,${ukLocal(2)},Neglect,Hungry again.,Mr Example,`,
    ].join('\n');
    const response = await postExport<BatchReport>(
      `${education.url}/v1/adapters/concern-export`,
      SCHOOL,
      csv,
      'text/csv',
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 1, duplicates: 0, rejected: 2 });
    expect(response.body.rows.slice(1)).toEqual([
      {
        row: 2,
        status: 'rejected',
        code: 'VALIDATION_FAILED',
        errors: [
          {
            field: 'pupil_upn',
            reason: 'is an unknown-UPN code (UN1 to UN5): the row needs pupil_nhs_number or pupil_mis_id',
          },
        ],
      },
      {
        row: 3,
        status: 'rejected',
        code: 'VALIDATION_FAILED',
        errors: [
          {
            field: 'pupil_upn',
            reason: 'fails the UPN check letter',
          },
        ],
      },
    ]);
    const [accepted] = response.body.rows;
    expect(accepted).toMatchObject({ row: 1, status: 'accepted' });
    const concernId = (accepted as { id: string }).id;
    expect(await storedCount()).toBe(before + 1);

    const chronology = await chronologyOnceThere(amara, [oeIds[0]!, concernId]);
    expect(chronology.entries.map((e) => [e.agency, e.type])).toEqual(
      expect.arrayContaining([
        ['police', 'police.domestic-abuse-incident-notified'],
        ['education', 'education.safeguarding-concern-recorded'],
      ]),
    );
  });

  it('takes the Operation Encompass batch as JSON too', async () => {
    const child = aNhsNumber();
    const response = await postExport<BatchReport>(
      `${police.url}/v1/adapters/operation-encompass`,
      METROPOLITAN_POLICE,
      JSON.stringify([
        {
          incidentReference: 'CAD-2001',
          incidentDateTime: new Date(Date.now() - 6 * 3600_000).toISOString(),
          childNhsNumber: child,
          childGivenName: 'Ivy',
          childFamilyName: 'Example',
          childDateOfBirth: '2014-05-05',
          childPresent: true,
          officerName: 'PC Example',
          officerPhone: '020 7230 1212',
          summary: 'Incident at home; Ivy was present.',
        },
        { incidentReference: 'CAD-2002' },
      ]),
      'application/json',
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      accepted: 1,
      rejected: 1,
      rows: [
        { row: 1, status: 'accepted' },
        { row: 2, status: 'rejected', code: 'VALIDATION_FAILED' },
      ],
    });
  });
});
