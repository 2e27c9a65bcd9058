import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka } from 'kafkajs';
import { AGENCIES } from '@jigsaw/envelope';
import { agencyTopic } from '@jigsaw/messaging';
import {
  aNhsNumber,
  anIncidentNotification,
  METROPOLITAN_POLICE,
  ServiceProcess,
  type ServiceName,
} from '@jigsaw/testing';
import {
  clusterNodes,
  startKafkaCluster,
  startKafkaNode,
  stopKafkaCluster,
  stopKafkaNode,
} from '../../infra/kafka/kafka.mjs';
import { eventually, postUntilAnswered, type Answer } from './support/agency-client.js';
import { faultCluster, startFaultKafka, stopFaultKafka } from './support/cluster.mjs';
import { compareWithReplay, eventCounts } from './support/replay.js';
import { createWorld, keepOutput, type World } from './support/world.js';
import { VIEW_SCHEMA } from '@jigsaw/view-model';

// Paced, so that every fault lands mid-flow: PER_SECOND for SECONDS, through a round-robin proxy.
const PER_SECOND = Number(process.env['FAULTS_CLUSTER_RATE'] ?? 40);
const SECONDS = Number(process.env['FAULTS_CLUSTER_SECONDS'] ?? 100);
const EVENTS = PER_SECOND * SECONDS;
const EXIT_WITHIN_MS = 10_000;
const REPLICATED: ServiceName[] = ['police', 'safeguarding-view'];

/** A load balancer of the test's own: each request to the next replica, the following one if it refuses. */
async function roundRobin(replicas: () => ServiceProcess[]): Promise<{ url: string; server: Server }> {
  let next = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const targets = replicas();
        for (let i = 0; i < targets.length; i++) {
          const target = targets[next++ % targets.length]!;
          try {
            const answer = await fetch(`${target.url}${req.url}`, {
              method: req.method!,
              headers: {
                'content-type': req.headers['content-type'] ?? 'application/json',
                authorization: req.headers.authorization ?? '',
              },
              ...(body.length > 0 ? { body } : {}),
              signal: AbortSignal.timeout(30_000),
            });
            res.writeHead(answer.status, {
              'content-type': answer.headers.get('content-type') ?? 'text/plain',
            });
            res.end(Buffer.from(await answer.arrayBuffer()));
            return;
          } catch {
            // That replica is down: the next one.
          }
        }
        res.writeHead(502).end();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, server };
}

const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createTcpServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** Six free ports in a row: three brokers, then their three controllers. */
async function freePortRun(): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const free = await Promise.all(Array.from({ length: 6 }, (_, i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
}

interface Fault {
  name: string;
  from: number;
  to: number;
}

// Opt-in (FAULTS_CLUSTER=1) until it passes within CI's time: on the shared 2-core machine, three broker
// JVMs and the replicas left ingest far below the sending rate and most posts timed out (docs/operating.md).
const suite = process.env['FAULTS_CLUSTER'] === '1' ? describe : describe.skip;

suite(
  'a three-broker cluster, two replicas of police and the view, brokers and replicas failing mid-run',
  () => {
    let world: World;
    let options: { basePort: number; dataDir: string };
    let brokers: string;
    const replicas: Partial<Record<ServiceName, ServiceProcess[]>> = {};
    const proxies: Server[] = [];

    beforeAll(async () => {
      // The suite's single broker is not used here: its CPU goes to the cluster until the end.
      await stopFaultKafka();
      options = { basePort: await freePortRun(), dataDir: join(faultCluster().runDir, 'cluster') };
      brokers = await startKafkaCluster(options);
      world = await createWorld('cluster', [], {
        KAFKA_BROKERS: brokers,
        KAFKA_REPLICATION_FACTOR: '3',
        KAFKA_MIN_INSYNC_REPLICAS: '2',
        SHUTDOWN_DRAIN_MS: '500',
      });
      for (const name of REPLICATED) {
        const two = [
          await ServiceProcess.start(name, world.env),
          await ServiceProcess.start(name, world.env),
        ];
        replicas[name] = two;
      }
    }, 600_000);
    afterAll(async () => {
      for (const server of proxies) server.close();
      await Promise.all(
        Object.values(replicas)
          .flat()
          .map((s) => s.stop('SIGKILL')),
      );
      for (const [name, list] of Object.entries(replicas)) {
        keepOutput('cluster', Object.fromEntries(list.map((replica, i) => [`${name}-${i + 1}`, replica])));
      }
      await world?.close();
      if (options) await stopKafkaCluster(options);
      await startFaultKafka();
    }, 120_000);

    /** The node leading most partitions of the hub's topics. */
    async function busiestBroker(): Promise<number> {
      const admin = new Kafka({ brokers: brokers.split(','), clientId: 'faults-leaders' }).admin();
      await admin.connect();
      try {
        const topics = AGENCIES.map((a) => agencyTopic(world.prefix, a));
        const { topics: described } = await admin.fetchTopicMetadata({ topics });
        const counts = new Map<number, number>();
        for (const t of described)
          for (const p of t.partitions) counts.set(p.leader, (counts.get(p.leader) ?? 0) + 1);
        return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
      } finally {
        await admin.disconnect();
      }
    }

    /** How far the view's consumer group is behind the end of every agency topic. */
    async function viewLag(): Promise<number> {
      const admin = new Kafka({ brokers: brokers.split(','), clientId: 'faults-lag' }).admin();
      await admin.connect();
      try {
        let lag = 0;
        for (const agency of AGENCIES) {
          const topic = agencyTopic(world.prefix, agency);
          const ends = await admin.fetchTopicOffsets(topic);
          const [committed] = await admin.fetchOffsets({
            groupId: `${world.prefix}safeguarding-view`,
            topics: [topic],
          });
          for (const end of ends) {
            const at = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
            lag += Number(end.high) - Math.max(0, Number(at));
          }
        }
        return lag;
      } finally {
        await admin.disconnect();
      }
    }

    it('stores every acknowledged event once, projects it once, and catches up with no lag', async () => {
      const t0 = Date.now();
      const say = (what: string): void =>
        void process.stderr.write(`[faults] cluster +${((Date.now() - t0) / 1000).toFixed(0)} s: ${what}\n`);
      const police = await roundRobin(() => replicas.police!);
      proxies.push(police.server);
      const events = Array.from({ length: EVENTS }, () =>
        anIncidentNotification({ nhsNumber: aNhsNumber() }),
      );
      const answers: Answer[] = [];
      const started = Date.now();
      const sending = (async () => {
        const inFlight: Promise<void>[] = [];
        for (const [i, event] of events.entries()) {
          inFlight.push(
            postUntilAnswered(`${police.url}/v1/events`, METROPOLITAN_POLICE, event, {
              deadline: Date.now() + 300_000,
            }).then((a) => void answers.push(a)),
          );
          const due = started + ((i + 1) * 1000) / PER_SECOND;
          if (due > Date.now()) await sleep(due - Date.now());
        }
        await Promise.all(inFlight);
      })();
      const at = (seconds: number): Promise<void> =>
        sleep(Math.max(0, started + seconds * 1000 - Date.now()));
      const faults: Fault[] = [];
      const exits: Record<string, number> = {};

      await at(15);
      const killed = await busiestBroker();
      const killedAt = Date.now();
      await stopKafkaNode(killed, { ...options, signal: 'SIGKILL' });
      say(`broker ${killed} killed; ${answers.length} answered`);

      // Every service, SIGTERM, during the outage: gone within 10 s, then back.
      const termAt = Date.now();
      await Promise.all(
        REPLICATED.map(async (name) => {
          const replica = replicas[name]![0]!;
          const t0 = Date.now();
          await replica.stop('SIGTERM');
          exits[name] = Date.now() - t0;
          await replica.start();
        }),
      );
      faults.push({ name: 'SIGTERM to one replica of each service', from: termAt, to: Date.now() });
      say(`SIGTERM exits ${JSON.stringify(exits)}, replicas back`);

      // A second broker, stopped cleanly while the first is still down: Kafka refuses writes now.
      const second = clusterNodes(options).find((n) => n.nodeId !== killed)!.nodeId;
      const secondAt = Date.now();
      await stopKafkaNode(second, options);
      say(`broker ${second} stopped`);
      // With one broker of three, below min in-sync: the relays wait, the outbox holds what is accepted.
      let heldAtMost = 0;
      const acceptedBefore = answers.length;
      while (Date.now() < Math.max(secondAt + 15_000, killedAt + 30_000)) {
        heldAtMost = Math.max(heldAtMost, (await eventCounts(world.pool)).outbox);
        await sleep(1000);
      }
      const acceptedWhileDown = answers.length - acceptedBefore;

      await startKafkaNode(killed, options);
      say(`broker ${killed} back; ${acceptedWhileDown} accepted and outbox held ${heldAtMost} meanwhile`);
      faults.push({
        name: `broker ${killed} killed (SIGKILL), restarted 30 s later`,
        from: killedAt,
        to: Date.now(),
      });
      await sleep(5_000);
      await startKafkaNode(second, options);
      say(`broker ${second} back`);
      faults.push({
        name: `broker ${second} stopped cleanly while another was down`,
        from: secondAt,
        to: Date.now(),
      });

      await sleep(5_000);
      const crashAt = Date.now();
      await Promise.all(REPLICATED.map((name) => replicas[name]![1]!.restart('SIGKILL')));
      say('second replicas killed and back');
      faults.push({
        name: 'one police and one view replica killed (SIGKILL)',
        from: crashAt,
        to: Date.now(),
      });

      await sending;
      const sentIn = Date.now() - started;
      say(`all ${answers.length} answered`);
      expect(answers).toHaveLength(EVENTS);
      // Producers wait rather than refuse: every event was acknowledged, whatever the brokers were doing.
      expect(answers.filter((a) => a.status !== 202)).toEqual([]);
      for (const name of REPLICATED) expect(exits[name]).toBeLessThan(EXIT_WITHIN_MS);
      // Accepted while Kafka refused writes, held in the outbox, published later: none lost (counts below).
      expect(acceptedWhileDown).toBeGreaterThan(0);
      expect(heldAtMost).toBeGreaterThan(0);

      const counts = await eventually(
        async () => {
          const c = await eventCounts(world.pool);
          return c.chronology >= EVENTS && c.outbox === 0 ? c : undefined;
        },
        300_000,
        `${EVENTS} events in the view`,
        1000,
      );
      expect(counts).toEqual({
        stored: EVENTS,
        storedDistinct: EVENTS,
        chronology: EVENTS,
        chronologyDistinct: EVENTS,
        outbox: 0,
      });
      say('all in the view');
      await eventually(async () => ((await viewLag()) === 0 ? true : undefined), 60_000, 'no lag');
      const replay = await compareWithReplay(world.pool, world.store);
      for (const diff of Object.values(replay.differences))
        expect(diff).toEqual({ liveOnly: 0, replayOnly: 0 });

      // Visibility: from the hub recording an event to the view showing it.
      const { rows } = await world.pool.query<{ recorded: Date; latency: number }>(
        `SELECT e.recorded_at AS recorded, extract(epoch FROM c.projected_at - e.recorded_at)::float8 AS latency
       FROM event_store.events e JOIN "${VIEW_SCHEMA}".chronology c
         ON c.event->>'source' = e.source AND c.event->>'id' = e.id
       WHERE e.type NOT LIKE 'hub.%'`,
      );
      const report = faults.map((f) => {
        const during = rows.filter(
          (r) => r.recorded.getTime() >= f.from && r.recorded.getTime() <= f.to + 30_000,
        );
        const slow = during.filter((r) => r.latency > 2);
        const last = Math.max(f.from, ...slow.map((r) => r.recorded.getTime() + r.latency * 1000));
        return `${f.name}: disturbed ${((last - f.from) / 1000).toFixed(1)} s, peak visibility ${Math.max(0, ...during.map((r) => r.latency)).toFixed(1)} s`;
      });
      process.stderr.write(
        `[faults] cluster: ${EVENTS} events in ${(sentIn / 1000).toFixed(0)} s, all in the view ${((Date.now() - started) / 1000).toFixed(0)} s after the first; SIGTERM exits ms ${JSON.stringify(exits)}; outbox held ${heldAtMost} with two brokers down\n` +
          report.map((line) => `[faults]   ${line}\n`).join(''),
      );
    }, 900_000);
  },
);
