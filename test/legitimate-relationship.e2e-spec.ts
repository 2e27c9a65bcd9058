import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { repoRoot } from '@jigsaw/config';
import {
  aNhsNumber,
  aUpn,
  agencySystemToken,
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
import { postEvent, postJson, eventually, exampleEvent } from './support/http.js';

interface Envelope {
  id: string;
  source: string;
  type: string;
  subject: Record<string, unknown>;
  sharing: { decidedBy: Record<string, unknown> };
}

type Agency = 'council' | 'police' | 'health' | 'education';

/** An agency's own valid example of a type, from another organisation of the agency, about this child. */
function exampleFor(type: string, source: string, subject: Record<string, unknown>): Envelope {
  const folder = join(repoRoot(), 'schemas', type.replace('.', '/'), 'examples/valid');
  const file = readdirSync(folder).find((f) => f.endsWith('.json'))!;
  const example = exampleEvent<Envelope>(join(folder, file));
  return {
    ...example,
    id: `lr-${type}-${source.split(':')[4]}-${Date.now()}`,
    source,
    subject,
    sharing: { ...example.sharing, decidedBy: { ...example.sharing.decidedBy, organisation: source } },
  };
}

/** What each agency records that makes it work with a child, and who reads there. */
const AGENCY: Record<Agency, { type: string; role: PractitionerClaims['role'] }> = {
  education: { type: 'education.pupil-on-roll', role: 'designated-safeguarding-lead' },
  council: { type: 'council.referral-received', role: 'social-worker' },
  health: { type: 'health.unscheduled-care-attended', role: 'clinician' },
  police: { type: 'police.missing-episode-started', role: 'police-officer' },
};
const ORGANISATIONS: Record<Agency, [string, string]> = {
  education: ['urn:jigsaw:org:education:school-lr-a', 'urn:jigsaw:org:education:school-lr-b'],
  council: ['urn:jigsaw:org:council:lr-a', 'urn:jigsaw:org:council:lr-b'],
  health: ['urn:jigsaw:org:health:lr-trust-a', 'urn:jigsaw:org:health:lr-trust-b'],
  police: ['urn:jigsaw:org:police:lr-force-a', 'urn:jigsaw:org:police:lr-force-b'],
};
const AGENCIES = Object.keys(AGENCY) as Agency[];

const practitioner = (agency: Agency, organisation: string, sub: string): PractitionerClaims => ({
  sub,
  agency,
  organisation,
  role: AGENCY[agency].role,
  purposes: ['safeguarding'],
});
const bearer = (claims: PractitionerClaims): Record<string, string> => ({
  authorization: `Bearer ${practitionerToken(claims)}`,
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

describe('legitimate relationships: each organisation sees exactly the children it works with', () => {
  let db: TestDatabase;
  const services = new Map<ServiceName, ServiceProcess>();
  // Child 0 is known to every "a" organisation, child 1 to every "b" one.
  const children = [0, 1].map(() => ({ nhsNumber: aNhsNumber(), upn: aUpn(), childId: '' }));
  const viewUrl = (): string => services.get('safeguarding-view')!.url;

  const get = async (path: string, headers: Record<string, string>): Promise<Answer> => {
    const response = await fetch(`${viewUrl()}${path}`, { headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** The problem without the request's own address: everything else must match the unknown child's. */
  const problem = ({ status, body }: Answer): Answer => {
    const { instance: _instance, ...rest } = body;
    return { status, body: rest };
  };
  const reads = (ref: string): string[] => [
    `/v1/children?nhsNumber=${ref}&purpose=safeguarding`,
    `/v1/children/${ref}/view?purpose=safeguarding`,
    `/v1/children/${ref}/chronology?purpose=safeguarding`,
  ];
  const accessData = async (childId: string): Promise<Record<string, unknown>[]> =>
    (
      await db.pool.query<{ payload: { data: { record: Record<string, unknown> } } }>(
        `SELECT payload FROM event_store.events WHERE stream_id = $1 ORDER BY stream_position`,
        [`access-${childId}`],
      )
    ).rows.map((row) => row.payload.data.record);

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers(),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('lr'),
    };
    // One at a time: five services starting at once on a busy machine can miss the readiness deadline.
    for (const name of ['safeguarding-view', 'council', 'police', 'health', 'education'] as const) {
      const [service] = await startServices(env, name);
      services.set(name, service!);
    }
    for (const [index, child] of children.entries()) {
      for (const agency of AGENCIES) {
        const source = ORGANISATIONS[agency][index]!;
        const subject =
          agency === 'education'
            ? { upn: child.upn, nhsNumber: child.nhsNumber }
            : { nhsNumber: child.nhsNumber };
        const event = exampleFor(AGENCY[agency].type, source, subject);
        const response = await postEvent(`${services.get(agency)!.url}/v1/events`, event, {
          authorization: `Bearer ${agencySystemToken(source)}`,
        });
        expect({ agency, status: response.status, body: response.body }).toEqual({
          agency,
          status: 202,
          body: { id: event.id },
        });
      }
      // Wait on the read model itself: reading through the API would log reads.
      child.childId = await eventually(
        async () => {
          const { rows } = await db.pool.query<{ child_id: string; n: number }>(
            `SELECT child_id::text, count(*)::int AS n FROM view.chronology
             WHERE source = ANY($1::text[]) GROUP BY child_id`,
            [AGENCIES.map((agency) => ORGANISATIONS[agency][index]!)],
          );
          return rows.length === 1 && rows[0]!.n === 4 ? rows[0]!.child_id : undefined;
        },
        60_000,
        `four records of child ${index} in the chronology`,
      );
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all([...services.values()].map((s) => s.stop()));
    await db?.drop();
  });

  it('shows every organisation its own child, and answers the other exactly as an unknown child', async () => {
    const unknown = aNhsNumber();
    for (const agency of AGENCIES) {
      for (const [index, organisation] of ORGANISATIONS[agency].entries()) {
        const headers = bearer(practitioner(agency, organisation, `${agency}-${index}`));
        const mine = children[index]!;
        const other = children[1 - index]!;
        const found = await get(reads(mine.nhsNumber)[0]!, headers);
        expect({ organisation, found }).toEqual({
          organisation,
          found: { status: 200, body: { childId: mine.childId } },
        });
        for (const path of reads(mine.nhsNumber).slice(1)) {
          expect({ organisation, path, status: (await get(path, headers)).status }).toEqual({
            organisation,
            path,
            status: 200,
          });
        }
        const chronology = await get(reads(mine.nhsNumber)[2]!, headers);
        expect((chronology.body['entries'] as { source: string }[]).map((e) => e.source)).toContain(
          organisation,
        );
        for (const [n, path] of reads(other.nhsNumber).entries()) {
          const refused = problem(await get(path, headers));
          const missing = problem(await get(reads(unknown)[n]!, headers));
          expect({ organisation, path, refused }).toEqual({ organisation, path, refused: missing });
          expect(refused.status).toBe(404);
        }
        const byHubId = await get(`/v1/children/${other.childId}/view?purpose=safeguarding`, headers);
        expect(byHubId.status).toBe(404);
      }
    }
  }, 120_000);

  it('records a refused read on the child’s access stream, for the access log', async () => {
    const headers = bearer(practitioner('education', ORGANISATIONS.education[1], 'dsl-b-trawl'));
    expect((await get(reads(children[0]!.nhsNumber)[2]!, headers)).status).toBe(404);
    const refused = (await accessData(children[0]!.childId)).filter(
      (data) =>
        data['refused'] === 'no-relationship' && (data['viewer'] as { sub: string }).sub === 'dsl-b-trawl',
    );
    expect(refused).toEqual([
      expect.objectContaining({
        view: 'chronology',
        childId: children[0]!.childId,
        purpose: 'safeguarding',
        shown: [],
        viewer: expect.objectContaining({ organisation: ORGANISATIONS.education[1] }),
      }),
    ]);
    expect(JSON.stringify(refused)).not.toContain(children[0]!.nhsNumber);
  });

  it("refuses a data protection officer of an unrelated organisation another organisation's child", async () => {
    const dpo: PractitionerClaims = {
      sub: 'dpo-b',
      agency: 'council',
      organisation: ORGANISATIONS.council[1],
      role: 'data-protection-officer',
      purposes: ['audit'],
    };
    const answer = await get(`/v1/children/${children[0]!.nhsNumber}/chronology?purpose=audit`, bearer(dpo));
    expect(answer.status).toBe(404);
    const own = await get(`/v1/children/${children[1]!.nhsNumber}/chronology?purpose=audit`, bearer(dpo));
    expect(own.status).toBe(200);
  });

  it('opens a child for 24 hours to a practitioner who claims access with a reason, records it and tells the DPOs', async () => {
    const clinician = practitioner('health', ORGANISATIONS.health[1], 'clin-b-ed');
    const headers = { ...bearer(clinician), 'content-type': 'application/json' };
    const child = children[0]!;
    const claim = (body: Record<string, unknown>): Promise<{ status: number; body: unknown }> =>
      postJson(`${viewUrl()}/v1/children/access-claims?purpose=safeguarding`, body, bearer(clinician));

    expect(
      (await claim({ nhsNumber: child.nhsNumber, purpose: 'safeguarding', reason: 'urgent' })).status,
    ).toBe(400);
    const withNumber = await claim({
      nhsNumber: child.nhsNumber,
      purpose: 'safeguarding',
      reason: `Treating the child, NHS number ${child.nhsNumber}`,
    });
    expect(withNumber.status).toBe(400);
    expect(JSON.stringify(withNumber.body)).toContain('reason');
    expect((await get(reads(child.nhsNumber)[2]!, headers)).status).toBe(404);

    const made = await claim({
      nhsNumber: child.nhsNumber,
      purpose: 'safeguarding',
      reason: 'Brought to the emergency department by a neighbour; treating now.',
    });
    expect(made.status).toBe(201);
    const { until } = made.body as { until: string };
    // The answer names no child: a claim on a child the hub does not know answers alike.
    expect(made.body).toEqual({ until: expect.any(String) });
    expect(Date.parse(until) - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect(Date.parse(until) - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);

    expect((await get(reads(child.nhsNumber)[2]!, headers)).status).toBe(200);
    // The claim is the claimant's alone: a colleague at the same trust still finds nobody.
    const colleague = bearer(practitioner('health', ORGANISATIONS.health[1], 'clin-b-other'));
    expect((await get(reads(child.nhsNumber)[2]!, colleague)).status).toBe(404);

    const { rows } = await db.pool.query<{ payload: { data: { record: Record<string, unknown> } } }>(
      `SELECT payload FROM event_store.events WHERE type = 'hub.access-claimed' AND stream_id = $1`,
      [`access-claims-${child.childId}`],
    );
    expect(rows.map((r) => r.payload.data.record)).toEqual([
      expect.objectContaining({
        childId: child.childId,
        claimant: expect.objectContaining({ sub: 'clin-b-ed', organisation: ORGANISATIONS.health[1] }),
        reportedTo: AGENCIES.map((agency) => ORGANISATIONS[agency][0]).sort(),
      }),
    ]);

    for (const agency of AGENCIES) {
      const dpo: PractitionerClaims = {
        sub: `dpo-${agency}`,
        agency,
        organisation: ORGANISATIONS[agency][0],
        role: 'data-protection-officer',
        purposes: ['audit'],
      };
      const inbox = await get('/v1/children/access-claims?purpose=audit', bearer(dpo));
      expect({ agency, status: inbox.status }).toEqual({ agency, status: 200 });
      expect(inbox.body['claims']).toEqual([
        expect.objectContaining({ childId: child.childId, reason: expect.stringContaining('emergency') }),
      ]);
    }
    const unrelatedDpo: PractitionerClaims = {
      sub: 'dpo-b',
      agency: 'police',
      organisation: ORGANISATIONS.police[1],
      role: 'data-protection-officer',
      purposes: ['audit'],
    };
    expect((await get('/v1/children/access-claims?purpose=audit', bearer(unrelatedDpo))).body).toEqual({
      claims: [],
      partnershipReads: [],
    });
  });
  it('answers a claim on an unknown child exactly as on a known one, and keeps unknown-child reads in a security log', async () => {
    const trawler = practitioner('police', ORGANISATIONS.police[1], 'pc-b-trawl');
    const claim = (nhsNumber: string) =>
      postJson(
        `${viewUrl()}/v1/children/access-claims?purpose=safeguarding`,
        { nhsNumber, purpose: 'safeguarding', reason: 'Checking whether this child is known, for the test.' },
        bearer(trawler),
      );
    const unknownNumber = aNhsNumber();
    const [known, unknown] = [await claim(children[0]!.nhsNumber), await claim(unknownNumber)];
    expect(unknown.status).toBe(known.status);
    expect(Object.keys(unknown.body as object)).toEqual(Object.keys(known.body as object));

    expect((await get(reads(unknownNumber)[1]!, bearer(trawler))).status).toBe(404);
    const { rows } = await db.pool.query<{ view: string; lookup: string; viewer: { sub: string } }>(
      `SELECT view, lookup, viewer FROM view.security_log WHERE organisation = $1 ORDER BY at`,
      [ORGANISATIONS.police[1]],
    );
    expect(rows.filter((r) => r.viewer.sub === 'pc-b-trawl').map((r) => [r.view, r.lookup])).toEqual([
      ['access-claim', 'nhs-number'],
      ['child-view', 'nhs-number'],
    ]);
    expect(JSON.stringify(rows)).not.toContain(unknownNumber);

    // The organisation's data protection officer reads its security log, and only its own.
    const securityLog = async (organisation: string) => {
      const officer: PractitionerClaims = {
        sub: `dpo-${organisation}`,
        agency: 'police',
        organisation,
        role: 'data-protection-officer',
        purposes: ['audit'],
      };
      const answer = await get('/v1/security-log?purpose=audit', bearer(officer));
      expect(answer.status).toBe(200);
      return (answer.body as { entries: { viewer: { sub: string }; view: string; lookup: string }[] })
        .entries;
    };
    const own = (await securityLog(ORGANISATIONS.police[1])).filter((e) => e.viewer.sub === 'pc-b-trawl');
    expect(own.map((e) => [e.view, e.lookup])).toEqual([
      ['child-view', 'nhs-number'],
      ['access-claim', 'nhs-number'],
    ]);
    expect(JSON.stringify(own)).not.toContain(unknownNumber);
    const other = await securityLog(ORGANISATIONS.police[0]);
    expect(other.filter((e) => e.viewer.sub === 'pc-b-trawl')).toEqual([]);
    expect((await get('/v1/security-log?purpose=safeguarding', bearer(trawler))).status).toBe(403);

    // Misses are counted by organisation only: the metric names no practitioner and no agency.
    const exposition = await (await fetch(`${viewUrl()}/metrics`)).text();
    const misses = exposition.split('\n').filter((l) => l.startsWith('jigsaw_child_reads_refused_total{'));
    expect(misses.length).toBeGreaterThan(0);
    for (const line of misses)
      expect(line).toMatch(/^jigsaw_child_reads_refused_total\{organisation="[^"]+"\} \d+$/);
  });
});
