import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CloudEvent, HTTP, Kafka } from 'cloudevents';
import { repoRoot } from '@jigsaw/config';
import type { Agency } from '@jigsaw/envelope';
import { KafkaMessaging, type IncomingMessage, type MessageConsumer } from '@jigsaw/messaging';
import {
  aNhsNumber,
  aUpn,
  agencySystemToken,
  createTestDatabase,
  ServiceProcess,
  startServices,
  testBrokers,
  uniqueTopicPrefix,
  type ServiceName,
  type TestDatabase,
} from '@jigsaw/testing';
import { eventually } from './support/http.js';

type Json = Record<string, unknown>;

interface Answer {
  status: number;
  contentType: string;
  body: Json;
}

/** An agency's own valid example of a type, with this test's child in data.child, built by the SDK. */
function sdkEvent(type: string, id: string, child: Json, record: Json = {}): CloudEvent<Json> {
  const folder = join(repoRoot(), 'schemas', type.replace('.', '/'), 'examples/valid');
  const file = readdirSync(folder).find((f) => f.endsWith('.json'))!;
  const example = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Json & { data: Json };
  const data = { ...example.data, child, record: { ...(example.data['record'] as Json), ...record } };
  // Strict: the SDK throws unless every attribute is a valid CloudEvents attribute.
  return new CloudEvent<Json>({ ...example, id, data }, true);
}

describe('CloudEvents: every HTTP content mode in, every topic readable by the official SDK', () => {
  let db: TestDatabase;
  const services = new Map<ServiceName, ServiceProcess>();
  const prefix = uniqueTopicPrefix('cloudevents');
  const records: IncomingMessage[] = [];
  let messaging: KafkaMessaging;
  let consumer: MessageConsumer;
  const run = Date.now();
  const child = { nhsNumber: aNhsNumber(), upn: aUpn() };
  // Two children alike in name, birth date and postcode: the hub raises a possible match on its own topic.
  const twins = [aNhsNumber(), aNhsNumber()];
  const alike = {
    name: { given: 'Cloudy', family: `Eventson${run}` },
    birthDate: '2016-04-02',
    postcode: 'LS1 4AP',
  };
  const personal = [
    child.nhsNumber,
    child.upn,
    ...twins,
    alike.name.given,
    alike.name.family,
    alike.postcode,
  ];

  /** Posts as the agency system of `like`'s source: the organisation that sends it. */
  const send = async (
    like: CloudEvent<Json>,
    headers: Record<string, string>,
    body: unknown,
  ): Promise<Answer> => {
    const agency = like.type.slice(0, like.type.indexOf('.')) as Agency;
    const source = like.source;
    const response = await fetch(`${services.get(agency)!.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agencySystemToken(source)}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: (text ? JSON.parse(text) : {}) as Json,
    };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { DATABASE_URL: db.url, KAFKA_BROKERS: testBrokers(), KAFKA_TOPIC_PREFIX: prefix };
    const started = await startServices(env, 'council', 'police', 'health', 'education', 'safeguarding-view');
    started.forEach((service) => services.set(service.name, service));
    messaging = new KafkaMessaging({ brokers: testBrokers(), clientId: 'cloudevents-e2e' });
    consumer = messaging.consumer({
      groupId: `${prefix}e2e-reader`,
      topics: ['council', 'police', 'health', 'education', 'hub'].map((t) => `${prefix}${t}.events`),
    });
    await consumer.start((message) => {
      records.push(message);
      return Promise.resolve();
    });
  }, 180_000);

  afterAll(async () => {
    await consumer?.stop();
    await Promise.all([...services.values()].map((s) => s.stop()));
    await db?.drop();
  });

  it('accepts structured mode as application/cloudevents+json and as application/json', async () => {
    const plan = sdkEvent('council.child-protection-plan-started', `ce-council-${run}`, {
      nhsNumber: child.nhsNumber,
    });
    const structured = HTTP.structured(plan);
    expect(structured.headers['content-type']).toContain('application/cloudevents+json');
    expect(await send(plan, structured.headers as Record<string, string>, structured.body)).toMatchObject({
      status: 202,
      body: { id: plan.id },
    });
    const care = sdkEvent('health.unscheduled-care-attended', `ce-health-${run}`, {
      nhsNumber: child.nhsNumber,
    });
    expect(await send(care, { 'content-type': 'application/json' }, care.toJSON())).toMatchObject({
      status: 202,
      body: { id: care.id },
    });
  });

  it('accepts binary mode: the attributes in ce-* headers, the data in the body', async () => {
    const incident = sdkEvent('police.domestic-abuse-incident-notified', `ce-police-${run}`, {
      nhsNumber: child.nhsNumber,
    });
    const binary = HTTP.binary(incident);
    expect(binary.headers['ce-id']).toBe(incident.id);
    const answer = await send(incident, binary.headers as Record<string, string>, binary.body);
    expect(answer).toMatchObject({ status: 202, body: { id: incident.id } });
    // The same event again, now structured, is the same event: a duplicate, answered the same.
    const again = HTTP.structured(incident);
    expect(await send(incident, again.headers as Record<string, string>, again.body)).toMatchObject({
      status: 202,
      body: { id: incident.id },
    });
  });

  it('answers a batch with 207 and each event in order: accepted, duplicate, refused naming the field', async () => {
    const concern = sdkEvent('education.safeguarding-concern-recorded', `ce-education-${run}`, child);
    const bad = sdkEvent('education.safeguarding-concern-recorded', `ce-education-bad-${run}`, {
      nhsNumber: '9434765918',
    });
    const answer = await send(
      concern,
      { 'content-type': 'application/cloudevents-batch+json' },
      [concern, concern, bad].map((e) => e.toJSON()),
    );
    expect(answer.status).toBe(207);
    expect(answer.body).toMatchObject({
      accepted: 1,
      duplicates: 1,
      refused: 1,
      results: [
        { index: 0, id: concern.id, status: 'accepted' },
        { index: 1, id: concern.id, status: 'duplicate' },
        {
          index: 2,
          id: bad.id,
          status: 'refused',
          problem: {
            status: 400,
            code: 'VALIDATION_FAILED',
            errors: [{ field: 'data.child.nhsNumber', reason: 'fails the NHS number check digit' }],
          },
        },
      ],
    });
    const stored = await db.pool.query('SELECT id FROM event_store.events WHERE id = ANY($1)', [
      [concern.id, bad.id],
    ]);
    expect(stored.rows).toEqual([{ id: concern.id }]);
  });

  it('lets a plan whose start was retracted start again, and refuses the retracted one’s end, singly and in a batch', async () => {
    const somebody = { nhsNumber: aNhsNumber() };
    const start = (id: string, startDate: string) =>
      sdkEvent('council.child-protection-plan-started', id, somebody, { startDate });
    const end = (id: string, startDate: string) =>
      sdkEvent('council.child-protection-plan-ended', id, somebody, { startDate, endDate: '2026-11-20' });
    const post = (event: CloudEvent<Json>) => {
      const structured = HTTP.structured(event);
      return send(event, structured.headers as Record<string, string>, structured.body);
    };
    const first = start(`ce-plan-1-${run}`, '2026-06-02');
    const second = start(`ce-plan-2-${run}`, '2026-07-01');
    expect((await post(first)).status).toBe(202);
    expect(await post(second)).toMatchObject({
      status: 400,
      body: {
        errors: [
          {
            field: 'data.record.startDate',
            reason: 'a child protection plan is already open for this child; end it before starting another',
          },
        ],
      },
    });
    const retraction = new CloudEvent<Json>(
      {
        ...first.toJSON(),
        id: `ce-plan-1-retracted-${run}`,
        type: 'council.record-retracted',
        dataschema: 'urn:jigsaw:schema:record-retracted:v1',
        data: {
          child: somebody,
          sharing: (first.data as Json)['sharing'],
          record: { targetEventId: first.id, reason: 'Entered against the wrong child.' },
        },
      },
      true,
    );
    expect((await post(retraction)).status).toBe(202);
    expect((await post(second)).status).toBe(202);
    const answer = await send(
      first,
      { 'content-type': 'application/cloudevents-batch+json' },
      [end(`ce-plan-1-end-${run}`, '2026-06-02'), end(`ce-plan-2-end-${run}`, '2026-07-01')].map((e) =>
        e.toJSON(),
      ),
    );
    expect(answer).toMatchObject({
      status: 207,
      body: {
        accepted: 1,
        refused: 1,
        results: [
          {
            index: 0,
            status: 'refused',
            problem: {
              errors: [
                {
                  field: 'data.record.startDate',
                  reason:
                    "must be the start date of an open child protection plan (council.child-protection-plan-started) in this child's history",
                },
              ],
            },
          },
          { index: 1, status: 'accepted' },
        ],
      },
    });
  });

  it('refuses what no content mode reads, naming the mode and what is missing', async () => {
    const incident = sdkEvent('police.domestic-abuse-incident-notified', `ce-police-refused-${run}`, {
      nhsNumber: child.nhsNumber,
    });
    const text = await send(incident, { 'content-type': 'text/plain' }, 'hello');
    expect(text.status).toBe(415);
    expect(text.contentType).toContain('application/problem+json');
    expect(text.body['errors']).toEqual([expect.objectContaining({ field: 'content-type' })]);

    const { 'ce-source': _source, ...headers } = HTTP.binary(incident).headers as Record<string, string>;
    const binary = await send(incident, headers, HTTP.binary(incident).body);
    expect(binary.status).toBe(400);
    expect(binary.body['errors']).toEqual([{ field: 'ce-source', reason: 'is required in binary mode' }]);

    const oneEvent = await send(
      incident,
      { 'content-type': 'application/cloudevents-batch+json' },
      incident.toJSON(),
    );
    expect(oneEvent.status).toBe(400);
    expect(oneEvent.body['errors']).toEqual([
      { field: '(body)', reason: 'must be a JSON array of CloudEvents in batched mode' },
    ]);

    // The old envelope (the child as subject, sharing as an attribute) is told where each part goes now.
    const { child: oldSubject, sharing, record } = incident.data as Json;
    const old = { ...incident.toJSON(), subject: oldSubject, sharing, data: record };
    const refused = await send(incident, { 'content-type': 'application/json' }, old);
    expect(refused.status).toBe(400);
    const fields = (refused.body['errors'] as { field: string; reason: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['sharing', 'subject', 'data.child', 'data.sharing']));

    const named = await send(
      incident,
      { 'content-type': 'application/cloudevents+json' },
      {
        ...incident.toJSON(),
        subject: `child ${child.nhsNumber}`,
      },
    );
    expect(named.status).toBe(400);
    expect(named.body['errors']).toEqual([
      {
        field: 'subject',
        reason: "must not hold the child's personal data (identifiers, name, birth date, postcode)",
      },
    ]);
    const stored = await db.pool.query('SELECT 1 FROM event_store.events WHERE id = $1', [incident.id]);
    expect(stored.rows).toEqual([]);
  });

  it('publishes on every agency topic and the hub topic what the SDK Kafka binding reads and validates', async () => {
    for (const [i, nhsNumber] of twins.entries()) {
      const twin = sdkEvent('police.domestic-abuse-incident-notified', `ce-twin-${i}-${run}`, {
        nhsNumber,
        ...alike,
      });
      const structured = HTTP.structured(twin);
      expect((await send(twin, structured.headers as Record<string, string>, structured.body)).status).toBe(
        202,
      );
    }
    const topics = ['council', 'police', 'health', 'education', 'hub'].map((t) => `${prefix}${t}.events`);
    await eventually(
      () => Promise.resolve(topics.every((t) => records.some((r) => r.topic === t)) ? true : undefined),
      60_000,
      'a record on every agency topic and the hub topic',
    );
    for (const record of records) {
      const value = record.value?.toString('utf8') ?? '';
      const message = { key: record.key ?? '', value, body: value, headers: record.headers };
      expect({ topic: record.topic, recognised: Kafka.isEvent(message) }).toEqual({
        topic: record.topic,
        recognised: true,
      });
      const event = Kafka.toEvent(message) as CloudEvent<Json>;
      expect(event.validate()).toBe(true);
      expect(new CloudEvent({ ...event.toJSON() }, true).type).toBe(event.type);
      expect(event['childid']).toBe(record.key);
      const { data: _data, ...attributes } = event.toJSON();
      const exposed = JSON.stringify([attributes, record.headers, record.key]);
      for (const value of personal) expect(exposed).not.toContain(value);
      expect(record.headers['content-type']).toBe('application/cloudevents+json');
    }
    const types = new Set(
      records.map((r) => (JSON.parse(r.value!.toString('utf8')) as { type: string }).type),
    );
    expect(types).toContain('hub.possible-match-raised');
  });
});
