import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomInt, randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@jigsaw/event-store';
import { agencyTopic } from '@jigsaw/messaging';
import { anIncidentNotification, aRecordedEvent, METROPOLITAN_POLICE } from '@jigsaw/testing';
import { VIEW_SCHEMA } from '@jigsaw/view-model';
import { eventually, inParallel, postUntilAnswered } from './support/agency-client.js';
import { compareWithReplay, eventCounts } from './support/replay.js';
import { createWorld, isAlive, type World } from './support/world.js';

/**
 * Events written straight into the store and its outbox, as the agency services do, for volume: enough that
 * five restarts of the view (each applying thousands before it answers ready) still land mid-stream.
 */
const STORED = 48_000;
const PER_CHILD = 8;
/** And some through the police service's HTTP ingest, the whole way. */
const POSTED = 600;
const KILLS = 5;

describe('the projection processes killed with SIGKILL again and again', () => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld('projection-killed', ['police', 'safeguarding-view', 'notifications']);
  }, 120_000);
  afterAll(async () => world?.close());

  it(`applies every one of ${STORED + POSTED} events exactly once, as a clean replay does`, async () => {
    const view = world.service('safeguarding-view');
    // The notifications' own consumer group reads the same topics: killed with the view each time.
    const notifications = world.service('notifications');
    const police = world.service('police');
    const total = STORED + POSTED;
    const topic = agencyTopic(world.prefix, 'police');
    const writer = new PostgresEventStore(world.pool, { route: (e) => ({ topic, key: e.childid }) });

    const writing = inParallel(
      Array.from({ length: STORED / PER_CHILD }, () => randomUUID()),
      4,
      async (childid) => {
        const events = Array.from({ length: PER_CHILD }, () => aRecordedEvent({ childid }));
        await writer.append(`police-${childid}`, events, { expectedVersion: 'no-stream' });
      },
    );
    const deadline = Date.now() + 600_000;
    const posting = inParallel(
      Array.from({ length: POSTED }, () => anIncidentNotification()),
      2,
      (event) => postUntilAnswered(`${police.url}/v1/events`, METROPOLITAN_POLICE, event, { deadline }),
    );

    const killedAt: number[] = [];
    const chronology = async (): Promise<number> => (await eventCounts(world.pool)).chronology;
    while (killedAt.length < KILLS) {
      // Kill it while it is consuming: some way into the backlog since it (re)started, never at a pause. The
      // notifications' consumer reads the same topics and is killed with it.
      const from = await chronology();
      const step = randomInt(100, 1_000);
      const reached = await eventually(
        async () => {
          const n = await chronology();
          return n >= Math.min(from + step, total) ? n : undefined;
        },
        120_000,
        `the view consuming again after ${killedAt.length} kills`,
        50,
      );
      if (reached >= total) break;
      await Promise.all([view.stop('SIGKILL'), notifications.stop('SIGKILL')]);
      killedAt.push(reached);
      // The view last, so the next kill is measured from where it restarted.
      await notifications.start();
      await view.start();
    }
    await writing;
    const answers = await posting;
    expect(answers.filter((a) => a.status !== 202)).toEqual([]);

    // Every kill landed mid-stream, with events still to apply.
    expect(killedAt).toHaveLength(KILLS);
    expect(killedAt.every((n) => n > 0 && n < total)).toBe(true);

    const counts = await eventually(
      async () => {
        const c = await eventCounts(world.pool);
        return c.chronology >= total && c.outbox === 0 ? c : undefined;
      },
      300_000,
      `all ${total} events applied after ${KILLS} kills`,
      1000,
    );
    expect(counts).toEqual({
      stored: total,
      storedDistinct: total,
      chronology: total,
      chronologyDistinct: total,
      outbox: 0,
    });
    expect(isAlive(view)).toBe(true);
    expect(isAlive(notifications)).toBe(true);
    // The notifications' consumer applied each agency event once too, into its own history of each child.
    const own = async (): Promise<{ applied: number; history: number }> => {
      const { rows } = await world.pool.query<{ applied: number; history: number }>(
        `SELECT (SELECT count(*)::int FROM notifications.applied_events a
                 JOIN event_store.events e ON a.event_key = e.source || '|' || e.id
                 WHERE e.type NOT LIKE 'hub.%') AS applied,
                (SELECT count(*)::int FROM notifications.child_history) AS history`,
      );
      return rows[0]!;
    };
    expect(
      await eventually(
        async () => {
          const o = await own();
          return o.applied >= total ? o : undefined;
        },
        300_000,
        `all ${total} events applied by the notifications`,
        1000,
      ),
    ).toEqual({ applied: total, history: total });
    const replay = await compareWithReplay(world.pool, world.store);
    expect(replay).toMatchObject({ replayed: total, replayedDistinct: total });
    // Each agency event marked applied once; the view also marks the notification events it applies.
    const { rows: applied } = await world.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${VIEW_SCHEMA}".applied_events a
       JOIN event_store.events e ON a.event_key = e.source || '|' || e.id
       WHERE e.type NOT LIKE 'hub.%'`,
    );
    expect(applied[0]?.n).toBe(total);
    // Every table, the notifications' among them: live equals a replay of the store.
    for (const [table, diff] of Object.entries(replay.differences))
      expect({ table, ...diff }).toEqual({ table, liveOnly: 0, replayOnly: 0 });
    process.stderr.write(`[faults] projection killed at ${killedAt.join(', ')} of ${total} applied\n`);
  }, 600_000);
});
