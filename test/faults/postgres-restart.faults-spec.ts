import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { aNhsNumber, anIncidentNotification, METROPOLITAN_POLICE } from '@jigsaw/testing';
import { eventually, inParallel, postUntilAnswered, type Answer } from './support/agency-client.js';
import { startFaultPostgres, stopFaultPostgres } from './support/cluster.mjs';
import { compareWithReplay, eventCounts } from './support/replay.js';
import { createWorld, isAlive, type World } from './support/world.js';

const OUTAGE_MS = 5_000;

describe('PostgreSQL restarted under the services', () => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld('pg-restart', ['police', 'safeguarding-view']);
  }, 120_000);
  afterAll(async () => world?.close());

  const ready = async (url: string): Promise<true | undefined> =>
    (await fetch(`${url}/health/ready`).catch(() => undefined))?.status === 200 ? true : undefined;

  it.each([
    ['fast', 'a clean restart that disconnects every client'],
    ['immediate', 'a crash, recovered from the WAL'],
  ] as const)('%s: %s; the services reconnect by themselves and nothing is lost', async (mode, _what) => {
    const police = world.service('police');
    const view = world.service('safeguarding-view');
    const pids = [police.pid, view.pid];
    const before = await eventCounts(world.pool);
    const children = Array.from({ length: 40 }, () => aNhsNumber());
    const events = Array.from({ length: 500 }, (_, i) =>
      anIncidentNotification({ nhsNumber: children[i % children.length]! }),
    );

    let answered = 0;
    // One deadline for the whole run: a service that died would otherwise be retried event by event.
    const deadline = Date.now() + 150_000;
    const posting = inParallel(events, 8, async (event): Promise<Answer> => {
      const answer = await postUntilAnswered(`${police.url}/v1/events`, METROPOLITAN_POLICE, event, {
        deadline,
      });
      answered++;
      return answer;
    });
    await eventually(
      () => Promise.resolve(answered >= 100 ? true : undefined),
      60_000,
      '100 events accepted',
    );
    await stopFaultPostgres(mode);
    const down = Date.now();
    // While the database is down the services answer 5xx (or time out) and the senders retry.
    await sleep(OUTAGE_MS);
    await startFaultPostgres();
    const outage = Date.now() - down;
    const answers = await posting;

    expect(answers.filter((a) => a.status !== 202)).toEqual([]);
    // The outage was felt: some events needed more than one attempt.
    expect(answers.some((a) => a.attempts > 1)).toBe(true);
    // Nobody restarted the services: the same processes answer again.
    expect([police.pid, view.pid]).toEqual(pids);
    expect(isAlive(police) && isAlive(view)).toBe(true);
    await eventually(() => ready(police.url), 30_000, 'police ready again');
    await eventually(() => ready(view.url), 30_000, 'safeguarding-view ready again');

    const expected = before.stored + events.length;
    const counts = await eventually(
      async () => {
        const c = await eventCounts(world.pool);
        return c.chronology >= expected && c.outbox === 0 ? c : undefined;
      },
      120_000,
      `${expected} events projected after a ${outage} ms outage`,
    );
    expect(counts).toEqual({
      stored: expected,
      storedDistinct: expected,
      chronology: expected,
      chronologyDistinct: expected,
      outbox: 0,
    });
    const ids = await world.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM event_store.events WHERE id = ANY($1::text[])`,
      [events.map((e) => e.id)],
    );
    expect(ids.rows[0]?.n).toBe(events.length);
    const replay = await compareWithReplay(world.pool, world.store);
    expect(replay).toMatchObject({ replayed: expected, replayedDistinct: expected });
    for (const diff of Object.values(replay.differences))
      expect(diff).toEqual({ liveOnly: 0, replayOnly: 0 });
  });
});
