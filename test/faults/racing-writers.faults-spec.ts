import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ServiceConfig } from '@jigsaw/config';
import { SchemaRegistry, toCloudEvent, type RecordedEvent } from '@jigsaw/envelope';
import { PersonalDataVault } from '@jigsaw/erasure';
import { ErrorCode } from '@jigsaw/errors';
import {
  PostgresEventStore,
  StreamVersionConflictError,
  type AppendOptions,
  type AppendResult,
  type StoredEvent,
} from '@jigsaw/event-store';
import { IdentityRegistry } from '@jigsaw/identity';
import { agencyTopic } from '@jigsaw/messaging';
import { controlEventTypes, RecordEvent, RecordEventHandler } from '@jigsaw/ingest';
import { aNhsNumber, anIncidentNotification, aRecordedEvent, METROPOLITAN_POLICE } from '@jigsaw/testing';
import { policeCatalogue } from '../../apps/police/src/police.catalogue.js';
import { eventually, postUntilAnswered } from './support/agency-client.js';
import { compareWithReplay, eventCounts } from './support/replay.js';
import { createWorld, type World } from './support/world.js';

/** Published as the police service publishes, so the view sees these events too. */
const routeTo =
  (world: World) =>
  (event: RecordedEvent): { topic: string; key: string } => ({
    topic: agencyTopic(world.prefix, 'police'),
    key: event.childid,
  });

/** The real store, made to let two writers read the same stream before either appends. */
class RacingStore extends PostgresEventStore {
  conflicts = 0;
  private waiting: (() => void)[] = [];
  private racers = 0;

  constructor(
    world: World,
    private readonly together: number,
  ) {
    super(world.pool, { route: routeTo(world) });
  }

  override async readStream(streamId: string): Promise<StoredEvent[]> {
    const read = await super.readStream(streamId);
    // The first `together` readers wait for each other: all of them saw the same version.
    if (this.racers < this.together) {
      this.racers++;
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        if (this.waiting.length === this.together) for (const go of this.waiting) go();
      });
    }
    return read;
  }

  override async append(
    streamId: string,
    events: readonly RecordedEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    try {
      return await super.append(streamId, events, options);
    } catch (error) {
      if (error instanceof StreamVersionConflictError) this.conflicts++;
      throw error;
    }
  }
}

describe('writers racing on one stream', () => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld('racing', ['police', 'safeguarding-view']);
  }, 120_000);
  afterAll(async () => world?.close());

  it('the store lets one of two appends at the same expected version through and refuses the other', async () => {
    const store = new PostgresEventStore(world.pool, { route: routeTo(world) });
    const childid = randomUUID();
    const stream = `police-${childid}`;
    await store.append(stream, [aRecordedEvent({ childid })], { expectedVersion: 'no-stream' });
    const racers = [aRecordedEvent({ childid }), aRecordedEvent({ childid })];
    const results = await Promise.allSettled(
      racers.map((e) => store.append(stream, [e], { expectedVersion: 1 })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(StreamVersionConflictError);
    // Over HTTP this code is a 409 (libs/http's problem mapping).
    expect((lost[0]!.reason as StreamVersionConflictError).code).toBe(ErrorCode.StreamVersionConflict);
    const stored = await world.store.readStream(stream);
    expect(stored.map((e) => e.streamPosition)).toEqual([1, 2]);
    expect(stored[1]!.event.id).toBe(racers[results.indexOf(won[0]!)]!.id);
  });

  it("the ingest's loser of a race reads the stream again and records its event after the winner's", async () => {
    const store = new RacingStore(world, 2);
    const identity = new IdentityRegistry(world.pool, 'development-only-identifier-secret');
    const handler = new RecordEventHandler(
      { ...policeCatalogue, types: [...policeCatalogue.types, ...controlEventTypes('police')] },
      new SchemaRegistry(),
      store,
      identity,
      new PersonalDataVault(world.pool, { masterKey: new ServiceConfig().ENCRYPTION_MASTER_KEY }),
    );
    const nhsNumber = aNhsNumber();
    // A child the hub knows already: the racers differ on the stream's version, not on registering it.
    await identity.resolve('police', { nhsNumber });
    const racers = [anIncidentNotification({ nhsNumber }), anIncidentNotification({ nhsNumber })];
    const results = await Promise.all(
      racers.map((e) => handler.execute(new RecordEvent(toCloudEvent(e), new Date()))),
    );
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    // Both read an empty stream; one append lost, and its retry succeeded.
    expect(store.conflicts).toBe(1);
    const event = await world.store.findEvent(METROPOLITAN_POLICE, racers[0]!.id);
    const stream = await world.store.readStream(event!.streamId);
    expect(stream.map((e) => e.streamPosition)).toEqual([1, 2]);
    expect(stream.map((e) => e.event.id).sort()).toEqual(racers.map((e) => e.id).sort());
  });

  it('twenty agency requests racing on one child are all recorded, each once, in one unbroken stream', async () => {
    const police = world.service('police');
    const nhsNumber = aNhsNumber();
    const events = Array.from({ length: 20 }, () => anIncidentNotification({ nhsNumber }));
    const answers = await Promise.all(
      events.map((e) =>
        postUntilAnswered(`${police.url}/v1/events`, METROPOLITAN_POLICE, e, { retry: false }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(events.map(() => 202));
    const first = await world.store.findEvent(METROPOLITAN_POLICE, events[0]!.id);
    const stream = await world.store.readStream(first!.streamId);
    expect(stream.map((e) => e.streamPosition)).toEqual(events.map((_, i) => i + 1));
    expect(stream.map((e) => e.event.id).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('the same event racing in twice is stored once; the same id with other content gets 409', async () => {
    const police = world.service('police');
    const url = `${police.url}/v1/events`;
    const twice = anIncidentNotification();
    const same = await Promise.all([twice, twice].map((e) => postUntilAnswered(url, METROPOLITAN_POLICE, e)));
    expect(same.map((a) => a.status)).toEqual([202, 202]);

    const original = anIncidentNotification();
    const rival = { ...original, data: { ...original.data, summary: 'A different account of it.' } };
    const raced = await Promise.all(
      [original, rival].map((e) => postUntilAnswered(url, METROPOLITAN_POLICE, e, { retry: false })),
    );
    expect(raced.map((a) => a.status).sort()).toEqual([202, 409]);
    expect(raced.find((a) => a.status === 409)?.body).toMatchObject({
      status: 409,
      code: 'DUPLICATE_EVENT_CONFLICT',
      errors: [{ field: 'id', reason: 'was already used for different content' }],
    });
    const stored = await world.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM event_store.events WHERE id = ANY($1::text[])',
      [[twice.id, original.id]],
    );
    expect(stored.rows[0]?.n).toBe(2);
  });

  it('ends with every event projected once, as a clean replay does', async () => {
    const counts = await eventually(
      async () => {
        const c = await eventCounts(world.pool);
        return c.outbox === 0 && c.chronology === c.stored ? c : undefined;
      },
      60_000,
      'the view caught up',
    );
    // 2 from the store's race, 2 from the ingest's, 20 racing requests, 2 from the duplicate races.
    expect(counts).toEqual({
      stored: 26,
      storedDistinct: 26,
      chronology: 26,
      chronologyDistinct: 26,
      outbox: 0,
    });
    const replay = await compareWithReplay(world.pool, world.store);
    for (const diff of Object.values(replay.differences))
      expect(diff).toEqual({ liveOnly: 0, replayOnly: 0 });
  });
});
