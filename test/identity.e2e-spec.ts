import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { repoRoot } from '@jigsaw/config';
import { KafkaMessaging, type IncomingMessage, type MessageConsumer } from '@jigsaw/messaging';
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
  type ServiceName,
  type PractitionerClaims,
  type TestDatabase,
} from '@jigsaw/testing';
import { claimAccessOnceKnown } from './support/access-claims.js';
import { getJson, type JsonResponse, postEvent, postJson, eventually, exampleEvent } from './support/http.js';

interface Envelope {
  id: string;
  source: string;
  type: string;
  time: string;
  subject: Record<string, unknown>;
  data: Record<string, unknown>;
}

interface Entry {
  id: string;
  type: string;
}

interface Chronology {
  childId: string;
  entries: Entry[];
}

/** An agency's own valid example of a type, re-addressed to this test's child under a fresh id. */
function exampleFor(
  type: string,
  subject: Record<string, unknown>,
  data: Record<string, unknown> = {},
): Envelope {
  const folder = join(repoRoot(), 'schemas', type.replace('.', '/'), 'examples/valid');
  const file = readdirSync(folder).find((f) => f.endsWith('.json'))!;
  const example = exampleEvent<Envelope>(join(folder, file));
  return { ...example, id: `identity-${randomUUID()}`, subject, data: { ...example.data, ...data } };
}

const COUNCIL = 'urn:jigsaw:org:council:leeds';
const socialWorkerClaims: PractitionerClaims = {
  sub: 'sw-identity-1',
  agency: 'council',
  organisation: COUNCIL,
  role: 'social-worker',
  purposes: ['safeguarding'],
};
const socialWorker = practitionerToken(socialWorkerClaims);
const schoolLead = practitionerToken({
  sub: 'dsl-identity-1',
  agency: 'education',
  organisation: 'urn:jigsaw:org:education:school-100001',
  role: 'designated-safeguarding-lead',
  purposes: ['safeguarding'],
});
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const person = { name: { given: 'Amara', family: 'Okafor' }, birthDate: '2016-04-02', postcode: 'LS1 4AP' };

describe('knowing it is the same child', () => {
  let db: TestDatabase;
  const prefix = uniqueTopicPrefix('identity');
  const services = new Map<ServiceName, ServiceProcess>();
  let messaging: KafkaMessaging;
  let hubConsumer: MessageConsumer;
  const hubMessages: IncomingMessage[] = [];
  const url = (service: ServiceName, path: string): string => `${services.get(service)!.url}${path}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { DATABASE_URL: db.url, KAFKA_BROKERS: testBrokers(), KAFKA_TOPIC_PREFIX: prefix };
    const started = await startServices(env, 'health', 'education', 'safeguarding-view');
    started.forEach((service) => services.set(service.name, service));
    messaging = new KafkaMessaging({ brokers: testBrokers(), clientId: 'identity-e2e' });
    hubConsumer = messaging.consumer({ groupId: `${prefix}e2e-reader`, topics: [`${prefix}hub.events`] });
    await hubConsumer.start((message) => {
      hubMessages.push(message);
      return Promise.resolve();
    });
  }, 180_000);

  afterAll(async () => {
    await hubConsumer?.stop();
    await Promise.all([...services.values()].map((s) => s.stop()));
    await db?.drop();
  });

  const post = async (service: ServiceName, event: Envelope): Promise<void> => {
    const response = await postEvent(
      url(service, '/v1/events'),
      event,
      bearer(agencySystemToken(event.source)),
    );
    expect({ status: response.status, body: response.body }).toEqual({ status: 202, body: { id: event.id } });
  };

  const chronology = async (ref: string, token = socialWorker): Promise<JsonResponse<Chronology>> => {
    const read = (): Promise<JsonResponse<Chronology>> =>
      getJson<Chronology>(
        url('safeguarding-view', `/v1/children/${ref}/chronology?purpose=safeguarding`),
        bearer(token),
      );
    const response = await read();
    // The council does not work with these children: once the hub knows one, its social worker claims access.
    if (response.status !== 404 || token !== socialWorker || !/^\d{10}$/.test(ref)) return response;
    const claimed = await claimAccessOnceKnown(url('safeguarding-view', ''), socialWorkerClaims, ref);
    return claimed ? read() : response;
  };

  /** Polls until the chronology's entries are exactly these event ids. */
  const chronologyOf = (ref: string, ids: string[], what: string): Promise<Chronology> =>
    eventually(
      async () => {
        const response = await chronology(ref);
        const seen = response.status === 200 ? response.body.entries.map((e) => e.id).sort() : [];
        return JSON.stringify(seen) === JSON.stringify([...ids].sort()) ? response.body : undefined;
      },
      30_000,
      what,
    );

  const decide = (path: string, body: Record<string, unknown>, token = socialWorker) =>
    postJson<Record<string, unknown>>(
      url('safeguarding-view', `/v1/identity/${path}?purpose=safeguarding`),
      body,
      bearer(token),
    );

  const find = (query: string) =>
    getJson<{ childId: string; code?: string }>(
      url('safeguarding-view', `/v1/children?${query}&purpose=safeguarding`),
      bearer(socialWorker),
    );

  const accessEvents = async (childId: string): Promise<Record<string, unknown>[]> =>
    (
      await db.pool.query<{ payload: { data: { record: Record<string, unknown> } } }>(
        `SELECT payload FROM event_store.events WHERE type = 'hub.record-accessed' AND stream_id = $1
         ORDER BY global_position`,
        [`access-${childId}`],
      )
    ).rows.map((r) => r.payload.data.record);

  const nhsNumber = aNhsNumber();
  const upn = aUpn();
  const attendance = exampleFor('health.unscheduled-care-attended', { nhsNumber, ...person });
  const concern = exampleFor('education.safeguarding-concern-recorded', { upn, ...person });
  let healthChild: string;
  let schoolChild: string;
  let alone: { health: Chronology; school: Chronology };
  let matchId: string;
  let linkId: string;

  it('records two agencies’ records of one child apart, and finds the school’s by UPN as a logged read', async () => {
    await post('health', attendance);
    await post('education', concern);
    healthChild = (await chronologyOf(nhsNumber, [attendance.id], 'the health record')).childId;
    // The council does not work with the school's record either: its social worker claims access first.
    await eventually(async () =>
      (await claimAccessOnceKnown(url('safeguarding-view', ''), socialWorkerClaims, { upn }))
        ? true
        : undefined,
    );
    const found = await eventually(async () => {
      const response = await find(`upn=${upn}`);
      return response.status === 200 ? response.body : undefined;
    });
    schoolChild = found.childId;
    expect(schoolChild).not.toBe(healthChild);
    const logged = await accessEvents(schoolChild);
    expect(logged).toEqual([
      expect.objectContaining({
        view: 'find-child',
        childId: schoolChild,
        lookup: 'upn',
        purpose: 'safeguarding',
      }),
    ]);
    expect(JSON.stringify(logged)).not.toContain(upn);
    alone = {
      health: await chronologyOf(healthChild, [attendance.id], 'the health record alone'),
      school: await chronologyOf(schoolChild, [concern.id], 'the school record alone'),
    };
  });

  it('raises a possible match from name, date of birth and postcode, and changes nothing until confirmed', async () => {
    const pending = await eventually(
      async () => {
        const response = await getJson<{
          matches: { matchId: string; childId: string; candidateId: string; evidence: string }[];
        }>(
          url('safeguarding-view', '/v1/identity/possible-matches?purpose=safeguarding'),
          bearer(socialWorker),
        );
        return response.body.matches.find(
          (m) => [m.childId, m.candidateId].sort().join() === [healthChild, schoolChild].sort().join(),
        );
      },
      30_000,
      'a possible match',
    );
    expect(pending).toMatchObject({
      childId: schoolChild,
      candidateId: healthChild,
      evidence: 'name-birth-date-postcode',
    });
    matchId = pending.matchId;
    expect(JSON.stringify(pending)).not.toMatch(/amara|okafor|LS1|2016-04-02/i);

    // Raised is not linked: each chronology is still exactly its own.
    expect((await chronology(healthChild)).body).toEqual(alone.health);
    expect((await chronology(schoolChild)).body).toEqual(alone.school);

    // Only the council decides, and always with a reason.
    const refused = await decide(
      `possible-matches/${matchId}/confirm`,
      { reason: 'Looks the same.' },
      schoolLead,
    );
    expect(refused.status).toBe(403);
    const noReason = await decide(`possible-matches/${matchId}/confirm`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body['errors']).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'reason' })]),
    );
    const identifierInReason = await decide(`possible-matches/${matchId}/confirm`, {
      reason: `Same child as ${nhsNumber}`,
    });
    expect(identifierInReason.status).toBe(400);
    await new Promise((r) => setTimeout(r, 500));
    expect((await chronology(schoolChild)).body).toEqual(alone.school);
  });

  it('merges on confirmation: one chronology with both records, whichever record it is asked by', async () => {
    const confirmed = await decide(`possible-matches/${matchId}/confirm`, {
      reason: 'Same date of birth, address and family; checked with the school and the trust.',
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ matchId, status: 'confirmed', changed: true });
    linkId = confirmed.body['linkId'] as string;
    const again = await decide(`possible-matches/${matchId}/confirm`, { reason: 'Confirming twice.' });
    expect(again.body).toMatchObject({ linkId, changed: false });

    const merged = await chronologyOf(schoolChild, [attendance.id, concern.id], 'the merged chronology');
    expect(merged.childId).toBe(healthChild);
    expect((await chronologyOf(nhsNumber, [attendance.id, concern.id], 'by NHS number')).childId).toBe(
      healthChild,
    );
    expect((await find(`upn=${upn}`)).body.childId).toBe(healthChild);
  });

  it('splits the merge: each record returns to exactly its own chronology, as it was', async () => {
    const split = await decide(`links/${linkId}/split`, {
      reason: 'Merged in error: twins at the same address.',
    });
    expect(split.status).toBe(200);
    expect(split.body).toMatchObject({ linkId, childId: healthChild, linkedId: schoolChild, changed: true });
    await chronologyOf(schoolChild, [concern.id], 'the school record alone again');
    expect((await chronology(healthChild)).body).toEqual(alone.health);
    expect((await chronology(schoolChild)).body).toEqual(alone.school);
  });

  it('renumbers: the new NHS number finds the child, the old one is retired and finds nobody', async () => {
    const renewed = aNhsNumber();
    const renumbered = await decide('renumberings', {
      previousNhsNumber: nhsNumber,
      nhsNumber: renewed,
      reason: 'Adoption order made; the NHS issued a new number.',
    });
    expect(renumbered.status).toBe(200);
    expect(renumbered.body).toEqual({ childId: healthChild, changed: true });
    expect((await find(`nhsNumber=${renewed}`)).body.childId).toBe(healthChild);
    const retired = await find(`nhsNumber=${nhsNumber}`);
    expect(retired.status).toBe(410);
    expect(retired.body.code).toBe('IDENTIFIER_RETIRED');
    expect(JSON.stringify(retired.body)).not.toContain(healthChild);
    expect((await chronology(nhsNumber)).status).toBe(410);
    // A record sent under the new number joins the same child.
    const later = exampleFor('health.unscheduled-care-attended', { nhsNumber: renewed });
    await post('health', later);
    await chronologyOf(renewed, [attendance.id, later.id], 'the renumbered chronology');
  });

  it('links an unborn child’s record to the baby when health records the birth', async () => {
    const mother = aNhsNumber();
    const baby = aNhsNumber();
    const pregnancy = {
      system: 'urn:jigsaw:org:health:leeds-teaching-hospitals/pregnancy',
      value: `PREG-${randomUUID()}`,
    };
    const preBirth = exampleFor('health.pre-birth-concern-raised', {
      nhsNumber: mother,
      localIds: [pregnancy],
    });
    await post('health', preBirth);
    // The mother's number is not the unborn child's: it finds nobody.
    await new Promise((r) => setTimeout(r, 300));
    expect((await find(`nhsNumber=${mother}`)).status).toBe(404);
    const today = new Date().toISOString().slice(0, 10);
    const birth = {
      ...exampleFor('health.birth-linked', { nhsNumber: baby }, { birthDate: today, unbornRef: pregnancy }),
      time: new Date().toISOString(),
    };
    await post('health', birth);
    const born = await chronologyOf(
      baby,
      [preBirth.id, birth.id],
      'the baby’s chronology with the pre-birth record',
    );
    const unbornLinked = await db.pool.query<{ payload: { data: { record: Record<string, unknown> } } }>(
      "SELECT payload FROM event_store.events WHERE type = 'hub.unborn-linked'",
    );
    expect(unbornLinked.rows.map((r) => r.payload.data.record)).toEqual([
      expect.objectContaining({
        childId: born.childId,
        birthEvent: `${birth.source}#${birth.id}`,
        decidedBy: expect.objectContaining({ organisation: birth.source, role: 'agency-system' }),
      }),
    ]);
  });

  it('keeps every identifier and name out of the identity events and their Kafka keys', async () => {
    const expected = [
      'hub.possible-match-raised',
      'hub.possible-match-confirmed',
      'hub.children-merged',
      'hub.children-split',
      'hub.child-renumbered',
      'hub.unborn-linked',
    ];
    await eventually(
      () => {
        const types = new Set(
          hubMessages.map((m) => (JSON.parse(m.value!.toString()) as { type: string }).type),
        );
        return Promise.resolve(expected.every((t) => types.has(t)) ? true : undefined);
      },
      30_000,
      'every kind of identity event on hub.events',
    );
    for (const message of hubMessages) {
      expect(message.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    const everything = JSON.stringify(hubMessages.map((m) => m.value!.toString()));
    for (const secret of [nhsNumber, upn, 'Amara', 'Okafor', 'LS1 4AP', '2016-04-02']) {
      expect(everything).not.toContain(secret);
    }
    const logs = [...services.values()].flatMap((s) => s.output).join('');
    for (const secret of [nhsNumber, upn, 'Okafor']) expect(logs).not.toContain(secret);
  });
});
