import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { aNhsNumber, anIncidentNotification, METROPOLITAN_POLICE } from '@jigsaw/testing';
import { eventually, postUntilAnswered, type Answer } from './support/agency-client.js';
import { startFaultKafka, stopFaultKafka } from './support/cluster.mjs';
import { compareWithReplay, eventCounts } from './support/replay.js';
import { createWorld, isAlive, type World } from './support/world.js';

const OUTAGE_MS = 20_000;
const EVENTS = 600;
const PER_SECOND = 15;

describe('the Kafka broker stopped for 20 seconds mid-ingest', () => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld('kafka-outage', ['police', 'safeguarding-view']);
  }, 120_000);
  afterAll(async () => world?.close());

  it('keeps accepting, holds everything in the outbox, and delivers it all once the broker is back', async () => {
    const police = world.service('police');
    const view = world.service('safeguarding-view');
    const pids = [police.pid, view.pid];
    const children = Array.from({ length: 40 }, () => aNhsNumber());
    const events = Array.from({ length: EVENTS }, (_, i) =>
      anIncidentNotification({ nhsNumber: children[i % children.length]! }),
    );

    // A steady sender, as a force's system is through a morning: one event every 1/PER_SECOND s.
    const answers: (Answer & { at: number })[] = [];
    const deadline = Date.now() + 240_000;
    const sending = (async () => {
      const inFlight: Promise<void>[] = [];
      for (const event of events) {
        inFlight.push(
          postUntilAnswered(`${police.url}/v1/events`, METROPOLITAN_POLICE, event, { deadline }).then((a) => {
            answers.push({ ...a, at: Date.now() });
          }),
        );
        await sleep(1000 / PER_SECOND);
      }
      await Promise.all(inFlight);
    })();

    await eventually(() => Promise.resolve(answers.length >= 100 ? true : undefined), 60_000, '100 accepted');
    await eventually(
      async () => ((await eventCounts(world.pool)).chronology >= 50 ? true : undefined),
      60_000,
      'the view consuming before the outage',
    );
    await stopFaultKafka();
    const down = Date.now();
    let heldAtMost = 0;
    let policeReadyDuringOutage: number | undefined;
    while (Date.now() - down < OUTAGE_MS) {
      heldAtMost = Math.max(heldAtMost, (await eventCounts(world.pool)).outbox);
      policeReadyDuringOutage ??= (await fetch(`${police.url}/health/ready`)).status;
      await sleep(500);
    }
    const sampledUntil = Date.now();
    await startFaultKafka();
    const up = Date.now();
    await sending;

    // Every event was accepted, first time, whatever the broker was doing.
    expect(answers).toHaveLength(EVENTS);
    expect(answers.filter((a) => a.status !== 202 || a.attempts !== 1)).toEqual([]);
    const duringOutage = answers.filter((a) => a.at > down && a.at < up);
    expect(duringOutage.length).toBeGreaterThan(OUTAGE_MS / 1000);
    // The outbox held them (sampled every half second); readiness said Kafka was down.
    const whileSampled = answers.filter((a) => a.at > down && a.at < sampledUntil).length;
    expect(heldAtMost).toBeGreaterThanOrEqual(whileSampled - PER_SECOND);
    expect(policeReadyDuringOutage).toBe(503);

    const counts = await eventually(
      async () => {
        const c = await eventCounts(world.pool);
        return c.chronology >= EVENTS && c.outbox === 0 ? c : undefined;
      },
      180_000,
      `${EVENTS} events in the view after the broker came back`,
      1000,
    );
    const caughtUpMs = Date.now() - up;
    expect(counts).toEqual({
      stored: EVENTS,
      storedDistinct: EVENTS,
      chronology: EVENTS,
      chronologyDistinct: EVENTS,
      outbox: 0,
    });
    expect([police.pid, view.pid]).toEqual(pids);
    expect(isAlive(police) && isAlive(view)).toBe(true);
    const replay = await compareWithReplay(world.pool, world.store);
    expect(replay).toMatchObject({ replayed: EVENTS, replayedDistinct: EVENTS });
    for (const diff of Object.values(replay.differences))
      expect(diff).toEqual({ liveOnly: 0, replayOnly: 0 });
    process.stderr.write(
      `[faults] kafka outage: ${duringOutage.length} accepted while down, outbox held ${heldAtMost}, caught up ${caughtUpMs} ms after restart\n`,
    );
  });
});
