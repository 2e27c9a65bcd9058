import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  agencyTopic,
  deadLetterTopic,
  KafkaMessaging,
  type IncomingMessage,
  type MessageConsumer,
} from '@jigsaw/messaging';
import { anIncidentNotification, aRecordedEvent, METROPOLITAN_POLICE, testBrokers } from '@jigsaw/testing';
import { eventually, postUntilAnswered } from './support/agency-client.js';
import { compareWithReplay, eventCounts } from './support/replay.js';
import { createWorld, isAlive, type World } from './support/world.js';

describe('a poison message on an agency topic', () => {
  let world: World;
  let messaging: KafkaMessaging;
  let deadLetterReader: MessageConsumer;
  const deadLetters: IncomingMessage[] = [];

  beforeAll(async () => {
    world = await createWorld('poison', ['police', 'safeguarding-view']);
    messaging = new KafkaMessaging({ brokers: testBrokers(), clientId: 'poison-test' });
    deadLetterReader = messaging.consumer({
      groupId: `${world.prefix}dead-letter-reader`,
      topics: [deadLetterTopic(world.prefix)],
    });
    await deadLetterReader.start((message) => {
      deadLetters.push(message);
      return Promise.resolve();
    });
  }, 120_000);
  afterAll(async () => {
    await deadLetterReader?.stop();
    await world?.close();
  });

  it('goes to the dead-letter topic with the reason, and consumption goes on past it', async () => {
    const police = world.service('police');
    const view = world.service('safeguarding-view');
    const post = (): Promise<unknown> =>
      postUntilAnswered(`${police.url}/v1/events`, METROPOLITAN_POLICE, anIncidentNotification());
    for (let i = 0; i < 3; i++) await post();

    const notSchema = { ...aRecordedEvent(), sharing: { purposes: ['curiosity'] } };
    const noChild = { ...aRecordedEvent() } as Record<string, unknown>;
    delete noChild['childid'];
    const unknownType = { ...aRecordedEvent(), type: 'police.something-else', id: `x-${randomUUID()}` };
    const poison = [
      {
        topic: agencyTopic(world.prefix, 'police'),
        value: '{"specversion": "1.0", "id": ',
        why: /not valid JSON/,
      },
      {
        topic: agencyTopic(world.prefix, 'council'),
        value: 'plain text, not an event',
        why: /not valid JSON/,
      },
      { topic: agencyTopic(world.prefix, 'police'), value: '', why: /not valid JSON/ },
      {
        topic: agencyTopic(world.prefix, 'police'),
        value: JSON.stringify(notSchema),
        why: /fails its schema: .*sharing\.basis is required/,
      },
      {
        topic: agencyTopic(world.prefix, 'health'),
        value: JSON.stringify(noChild),
        why: /childid is required/,
      },
      {
        topic: agencyTopic(world.prefix, 'police'),
        value: JSON.stringify(unknownType),
        why: /fails its schema/,
      },
      { topic: agencyTopic(world.prefix, 'education'), value: '[1, 2, 3]', why: /fails its schema/ },
    ];
    const publisher = messaging.publisher();
    await publisher.publish(poison.map(({ topic, value }) => ({ topic, key: randomUUID(), value })));
    await publisher.close();
    for (let i = 0; i < 3; i++) await post();

    const letters = await eventually(
      () => Promise.resolve(deadLetters.length >= poison.length ? deadLetters : undefined),
      60_000,
      `${poison.length} dead letters`,
    );
    expect(letters).toHaveLength(poison.length);
    for (const sent of poison) {
      const letter = letters.find((l) => (l.value?.toString('utf8') ?? '') === sent.value);
      expect(letter?.headers).toMatchObject({
        'dlq-code': 'POISON_MESSAGE',
        'dlq-reason': expect.stringMatching(sent.why),
        'dlq-original-topic': sent.topic,
        'dlq-original-offset': expect.stringMatching(/^\d+$/),
      });
    }
    // The reason names each failing field, for whoever reads the dead-letter topic.
    const schemaLetter = letters.find((l) => l.value?.toString('utf8') === JSON.stringify(notSchema))!;
    expect(JSON.parse(schemaLetter.headers['dlq-problems']!)).toEqual(
      expect.arrayContaining([{ field: 'data.sharing.basis', reason: 'is required' }]),
    );

    // The events before and after the poison were all applied, and nothing else.
    const counts = await eventually(
      async () => {
        const c = await eventCounts(world.pool);
        return c.chronology >= 6 && c.outbox === 0 ? c : undefined;
      },
      60_000,
      'six events in the view',
    );
    expect(counts).toEqual({ stored: 6, storedDistinct: 6, chronology: 6, chronologyDistinct: 6, outbox: 0 });
    expect(isAlive(view)).toBe(true);
    const replay = await compareWithReplay(world.pool, world.store);
    expect(replay).toMatchObject({ replayed: 6, replayedDistinct: 6 });
    for (const diff of Object.values(replay.differences))
      expect(diff).toEqual({ liveOnly: 0, replayOnly: 0 });
  });
});
