import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '@jigsaw/config';
import {
  aNhsNumber,
  anIncidentNotification,
  freePort,
  METROPOLITAN_POLICE,
  type ServiceName,
} from '@jigsaw/testing';
import { eventually, postUntilAnswered } from './support/agency-client.js';
import { startFaultKafka, stopFaultKafka } from './support/cluster.mjs';
import { eventCounts } from './support/replay.js';
import { createWorld, type World } from './support/world.js';

/** Orchestrators send SIGKILL 30 s after SIGTERM; each service must be gone within 10. */
const EXIT_WITHIN_MS = 10_000;
// An agency service (the four share their ingest and relay), the view (consumers, relay, scheduler), the audit.
const SERVICES: ServiceName[] = ['police', 'safeguarding-view', 'audit'];

async function timedStop(world: World, name: ServiceName, signal: NodeJS.Signals): Promise<number> {
  const started = Date.now();
  await world.service(name).stop(signal);
  return Date.now() - started;
}

describe('shutdown within 10 seconds of SIGTERM or SIGINT, whatever Kafka is doing', () => {
  let world: World;

  beforeAll(async () => {
    // A drain long enough to watch readiness turn while requests are still served.
    world = await createWorld('shutdown', SERVICES, { SHUTDOWN_DRAIN_MS: '3000' });
  }, 180_000);
  afterAll(async () => world?.close());

  it('turns readiness to 503 at once, still serves requests while draining, and exits cleanly', async () => {
    const police = world.service('police');
    expect((await fetch(`${police.url}/health/ready`)).status).toBe(200);
    const started = Date.now();
    const stopping = police.stop('SIGTERM');
    await sleep(200);
    const ready = await fetch(`${police.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toContain('shutting down');
    // A request that arrives while the load balancer is still noticing is served, not dropped.
    const accepted = await postUntilAnswered(
      `${police.url}/v1/events`,
      METROPOLITAN_POLICE,
      anIncidentNotification({ nhsNumber: aNhsNumber() }),
      { retry: false },
    );
    expect(accepted.status).toBe(202);
    await stopping;
    expect(Date.now() - started).toBeLessThan(EXIT_WITHIN_MS);
    expect(police.exitCode).toBe(0);
    await police.start();
  });

  it('every service exits within 10 s of SIGTERM or SIGINT during a broker outage, and comes back', async () => {
    const police = world.service('police');
    await eventually(
      async () => ((await eventCounts(world.pool)).chronology >= 1 ? true : undefined),
      60_000,
      'the first event in the view',
    );
    await stopFaultKafka();
    // Accepted into the outbox while the broker is down: nothing of it may be lost by the stops below.
    const held = Array.from({ length: 20 }, () => anIncidentNotification({ nhsNumber: aNhsNumber() }));
    for (const event of held) {
      expect((await postUntilAnswered(`${police.url}/v1/events`, METROPOLITAN_POLICE, event)).status).toBe(
        202,
      );
    }
    // Long enough for kafkajs to be deep in its retries everywhere.
    await sleep(5_000);
    const took: Record<string, number> = {};
    await Promise.all(
      SERVICES.map(async (name, i) => {
        took[name] = await timedStop(world, name, i % 2 === 0 ? 'SIGTERM' : 'SIGINT');
      }),
    );
    process.stderr.write(`[faults] shutdown during a broker outage, ms: ${JSON.stringify(took)}\n`);
    for (const name of SERVICES) expect(took[name]).toBeLessThan(EXIT_WITHIN_MS);

    await startFaultKafka();
    await Promise.all(SERVICES.map((name) => world.service(name).start()));
    const counts = await eventually(
      async () => {
        const c = await eventCounts(world.pool);
        return c.outbox === 0 && c.chronology === c.stored ? c : undefined;
      },
      120_000,
      'everything accepted during the outage in the view',
      1000,
    );
    expect(counts.stored).toBe(held.length + 1);
    expect(counts.chronologyDistinct).toBe(counts.stored);
  });

  it('a service still waiting for an unreachable broker at start exits at once on SIGTERM', async () => {
    const nothingThere = `127.0.0.1:${await freePort()}`;
    const child = spawn(process.execPath, [join(repoRoot(), 'dist/apps/safeguarding-view/src/main.js')], {
      env: { ...process.env, ...world.env, KAFKA_BROKERS: nothingThere, PORT: String(await freePort()) },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Past migrations, into kafkajs's retries: it logs each failed connection.
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(
      () => Promise.resolve(output.includes('"context":"kafkajs"') ? true : undefined),
      60_000,
      'kafkajs retrying the broker',
    );
    expect(child.exitCode).toBeNull();
    const started = Date.now();
    child.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(EXIT_WITHIN_MS).then(() => 'hung' as const)]);
    if (code === 'hung') child.kill('SIGKILL');
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
