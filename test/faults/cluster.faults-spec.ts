import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, type Admin } from 'kafkajs';
import { AGENCIES } from '@jigsaw/envelope';
import { recordTopics } from '@jigsaw/erasure';
import { agencyTopic, deadLetterTopic } from '@jigsaw/messaging';
import { ServiceProcess, type ServiceName } from '@jigsaw/testing';
import { NOTIFICATIONS_SCHEMA_NAME, VIEW_SCHEMA } from '@jigsaw/view-model';
import {
  clusterNodes,
  kafkaTool,
  startKafkaNode,
  stopKafkaCluster,
  stopKafkaNode,
} from '../../infra/kafka/kafka.mjs';
import {
  HILLSIDE,
  LEEDS,
  LTH,
  MET,
} from '../../apps/notifications/src/testing/notification-events.factory.js';
import { aWebhookSecret } from '../../apps/notifications/src/testing/standard-webhooks.js';
import { WebhookReceiver } from '../../apps/notifications/src/testing/webhook-receiver.js';
import { eventually, inParallel } from './support/agency-client.js';
import { startFaultKafka, stopFaultKafka } from './support/cluster.mjs';
import { startFaultKafkaCluster } from './support/kafka-cluster.js';
import { compareWithReplay, eventCounts } from './support/replay.js';
import { eventuallyOrReport, type StallScene } from './support/stall-report.js';
import { createWorld, keepOutput, type World } from './support/world.js';
import {
  aDistinctChild,
  aFillerBatch,
  aFillerEvent,
  anOperationEncompassBatch,
  incidentsAbout,
  rollsOf,
  send,
  type Post,
} from './support/workload.js';

// Sizes, configurable for a smaller run on a slow machine: EVENTS in all (at least 20,000 in CI), sent by
// CONCURRENCY senders and spread over at least SECONDS, so that every fault lands mid-flow. Every incident raises
// one Operation Encompass notification: NOTIFIED children on Hillside's roll get an incident each, and so one
// notification each to the school; the children of OE_BATCHES Operation Encompass batches of BATCH rows are on
// no roll, so theirs go to the council. The rest are filler events from the council, health and education, which
// raise nothing: SINGLES of them (a share) posted one at a time, the others as batched CloudEvents of FILLER_BATCH.
const EVENTS = Number(process.env['FAULTS_CLUSTER_EVENTS'] ?? 20_000);
const SECONDS = Number(process.env['FAULTS_CLUSTER_SECONDS'] ?? 120);
const CONCURRENCY = Number(process.env['FAULTS_CLUSTER_CONCURRENCY'] ?? 12);
const SINGLES_SHARE = Number(process.env['FAULTS_CLUSTER_SINGLES_SHARE'] ?? 0.2);
const BATCH = 50;
const OE_BATCHES = Math.max(1, Math.floor(EVENTS / 2_000));
const FILLER_BATCH = 100;
// How long a sender waits for one answer: a batch is one transaction, slow on a busy machine.
const BATCH_WITHIN_MS = 120_000;
const NOTIFIED = Math.min(100, Math.floor(EVENTS / 20));
// Each service exits by its own deadline (SHUTDOWN_TIMEOUT_MS, 7 s) whatever Kafka and PostgreSQL are
// doing; the margin is for a process starved of CPU among fifteen others at a load average near 20, where
// exits took 10.1 and 11.1 s. A process that waited on a dead broker would take minutes, not seconds.
const EXIT_WITHIN_MS = 15_000;
// A start while brokers recover and four other services retry them is slow on a busy two-core machine.
const RESTART_WITHIN_MS = 300_000;
// Every service with an HTTP ingest or a consumer of the agencies' topics; notifications deliver the webhooks.
const REPLICATED: ServiceName[] = [
  'police',
  'council',
  'health',
  'education',
  'safeguarding-view',
  'notifications',
];
const INGEST: ServiceName[] = ['police', 'council', 'health', 'education'];
const SECRET = aWebhookSecret();

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
              // As long as a sender waits for a batch: a retry through another replica would only repeat it.
              signal: AbortSignal.timeout(BATCH_WITHIN_MS),
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

interface Fault {
  name: string;
  from: number;
  to: number;
}

// In every run of the fault suite; FAULTS_CLUSTER=0 leaves it out of a local one.
const suite = process.env['FAULTS_CLUSTER'] === '0' ? describe.skip : describe;

suite(
  'a three-broker cluster, two replicas of every service behind round-robin proxies, brokers and replicas failing mid-run',
  () => {
    let world: World;
    let options: { basePort: number; dataDir: string };
    let brokers: string;
    const replicas: Partial<Record<ServiceName, ServiceProcess[]>> = {};
    const proxies: Server[] = [];
    /** Where the schools, the force, the council and the trust take their notifications. */
    const receiver = new WebhookReceiver();

    beforeAll(async () => {
      // The suite's single broker is not used here: its CPU goes to the cluster until the end.
      await stopFaultKafka();
      ({ options, brokers } = await startFaultKafkaCluster('cluster'));
      const url = await receiver.listen();
      world = await createWorld('cluster', [], {
        KAFKA_BROKERS: brokers,
        KAFKA_REPLICATION_FACTOR: '3',
        KAFKA_MIN_INSYNC_REPLICAS: '2',
        SHUTDOWN_DRAIN_MS: '500',
        NOTIFICATION_WEBHOOKS: JSON.stringify(
          [HILLSIDE, MET, LEEDS, LTH].map((organisation) => ({ organisation, url, secret: SECRET })),
        ),
        NOTIFICATION_TICK_MS: '500',
        NOTIFICATION_RETRY_BASE_MS: '500',
        NOTIFICATION_RETRY_MAX_MS: '5000',
        NOTIFICATION_MAX_ATTEMPTS: '1000',
        NOTIFICATION_HTTP_TIMEOUT_MS: '5000',
      });
      // One replica of each first (the view applies its migrations), then the second ones.
      for (const round of [0, 1])
        for (const name of REPLICATED)
          (replicas[name] ??= [])[round] = await ServiceProcess.start(name, world.env);
    }, 900_000);
    afterAll(async () => {
      for (const server of proxies) server.close();
      await Promise.all(
        Object.values(replicas)
          .flat()
          .map((s) => s?.stop('SIGKILL')),
      );
      for (const [name, list] of Object.entries(replicas)) {
        keepOutput('cluster', Object.fromEntries(list.map((replica, i) => [`${name}-${i + 1}`, replica])));
      }
      await receiver.close();
      await world?.close();
      if (options) await stopKafkaCluster(options);
      await startFaultKafka();
    }, 180_000);

    const admin = async <T>(work: (admin: Admin) => Promise<T>): Promise<T> => {
      const client = new Kafka({ brokers: brokers.split(','), clientId: 'faults-admin' }).admin();
      await client.connect();
      try {
        return await work(client);
      } finally {
        await client.disconnect();
      }
    };

    /** The node leading most partitions of the hub's topics. */
    const busiestBroker = (): Promise<number> =>
      admin(async (a) => {
        const topics = AGENCIES.map((agency) => agencyTopic(world.prefix, agency));
        const { topics: described } = await a.fetchTopicMetadata({ topics });
        const counts = new Map<number, number>();
        for (const t of described)
          for (const p of t.partitions) counts.set(p.leader, (counts.get(p.leader) ?? 0) + 1);
        return [...counts].sort((x, y) => y[1] - x[1])[0]![0];
      });

    /** Messages on each agency's topic, and how far a consumer group is behind their ends. */
    const topicFigures = (group: string): Promise<{ published: Record<string, number>; lag: number }> =>
      admin(async (a) => {
        const published: Record<string, number> = {};
        let lag = 0;
        for (const agency of AGENCIES) {
          const topic = agencyTopic(world.prefix, agency);
          const ends = await a.fetchTopicOffsets(topic);
          const [committed] = await a.fetchOffsets({
            groupId: `${world.prefix}${group}`,
            topics: [topic],
          });
          published[agency] = 0;
          for (const end of ends) {
            published[agency] += Number(end.high) - Number(end.low);
            const at = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
            lag += Number(end.high) - Math.max(0, Number(at));
          }
        }
        return { published, lag };
      });

    /** What a wait that gives up prints: the outbox, both groups' lag and members, every replica's output. */
    const scene = (): StallScene => ({
      pool: world.pool,
      brokers,
      prefix: world.prefix,
      groups: ['safeguarding-view', 'notifications'],
      topics: recordTopics(world.prefix),
      readModels: [
        {
          name: 'view chronology',
          table: `"${VIEW_SCHEMA}".chronology`,
          applied: `"${VIEW_SCHEMA}".applied_events`,
          group: 'safeguarding-view',
        },
        {
          name: 'notifications history',
          table: 'notifications.child_history',
          applied: 'notifications.applied_events',
          group: 'notifications',
        },
      ],
      deadLetterTopic: deadLetterTopic(world.prefix),
      processes: () =>
        Object.fromEntries(
          Object.entries(replicas).flatMap(([name, list]) => list.map((r, i) => [`${name}-${i + 1}`, r])),
        ),
    });

    it('stores every acknowledged event once, projects it once, notifies once, and catches up with no lag', async () => {
      const t0 = Date.now();
      const say = (what: string): void =>
        void process.stderr.write(`[faults] cluster +${((Date.now() - t0) / 1000).toFixed(0)} s: ${what}\n`);
      const urls: Partial<Record<ServiceName, string>> = {};
      for (const name of INGEST) {
        const proxy = await roundRobin(() => replicas[name]!);
        proxies.push(proxy.server);
        urls[name] = proxy.url;
      }
      const acknowledged = new Map<string, number>();
      const refused: { service: ServiceName; status: number }[] = [];
      const deliver = async (post: Post): Promise<void> => {
        const answer = await send(urls[post.service]!, post, {
          deadline: Date.now() + 600_000,
          timeoutMs: BATCH_WITHIN_MS,
        });
        for (const key of answer.keys) acknowledged.set(key, (acknowledged.get(key) ?? 0) + 1);
        if (answer.keys.length !== post.events)
          refused.push({ service: post.service, status: answer.status });
      };

      // First the rolls, so the view can route each incident to the school.
      const notified = Array.from({ length: NOTIFIED }, () => aDistinctChild());
      await inParallel(rollsOf(notified), CONCURRENCY, deliver);
      await eventually(
        async () => ((await eventCounts(world.pool)).chronology >= NOTIFIED ? true : undefined),
        300_000,
        'the rolls in the view',
        1000,
      );
      // And in the notifications' own history, which routes each incident by its own consumer's progress.
      await eventually(
        async () => {
          const { rows } = await world.pool.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM notifications.child_history',
          );
          return rows[0]!.n >= NOTIFIED ? true : undefined;
        },
        300_000,
        'the rolls in the notifications',
        1000,
      );
      say(`${NOTIFIED} children on a roll in the view and the notifications`);

      // Then the rest: incidents about those children, the Operation Encompass batches, and the fillers, a share
      // of them single and the others batched.
      const incidents = NOTIFIED + OE_BATCHES * BATCH;
      const fillers = EVENTS - NOTIFIED - incidents;
      const fillerBatches = Math.floor((fillers * (1 - SINGLES_SHARE)) / FILLER_BATCH);
      const singles = Array.from({ length: fillers - fillerBatches * FILLER_BATCH }, (_, i) =>
        aFillerEvent(i),
      );
      // Kept for while two brokers are down, so that some posts are sure to arrive then, however fast the rest.
      const whileDown = singles.splice(0, Math.min(30, Math.floor(singles.length / 2)));
      const posts: Post[] = [
        ...Array.from({ length: OE_BATCHES }, () => anOperationEncompassBatch(BATCH)),
        ...Array.from({ length: fillerBatches }, (_, i) => aFillerBatch(i, FILLER_BATCH)),
        ...incidentsAbout(notified),
        ...singles,
      ].sort(() => Math.random() - 0.5);
      const started = Date.now();
      let sent = NOTIFIED;
      const sending = inParallel(posts, CONCURRENCY, async (post, i) => {
        const due = started + (i * SECONDS * 1000) / posts.length;
        if (due > Date.now()) await sleep(due - Date.now());
        await deliver(post);
        sent += post.events;
      });
      const at = (seconds: number): Promise<void> =>
        sleep(Math.max(0, started + seconds * 1000 - Date.now()));
      const faults: Fault[] = [];
      const exits: Record<string, number> = {};

      await at(15);
      const killed = await busiestBroker();
      const killedAt = Date.now();
      await stopKafkaNode(killed, { ...options, signal: 'SIGKILL' });
      say(`broker ${killed} killed; ${sent} events answered`);

      // Every service, SIGTERM to one replica, during the outage: gone within 10 s, then back one by one (five
      // starting at once on two cores take longer than a start may).
      const termAt = Date.now();
      await Promise.all(
        REPLICATED.map(async (name) => {
          const begun = Date.now();
          await replicas[name]![0]!.stop('SIGTERM');
          exits[name] = Date.now() - begun;
        }),
      );
      const backIn: Record<string, number> = {};
      for (const name of REPLICATED) {
        const begun = Date.now();
        await replicas[name]![0]!.start(RESTART_WITHIN_MS);
        backIn[name] = Date.now() - begun;
      }
      faults.push({ name: 'SIGTERM to one replica of each service', from: termAt, to: Date.now() });
      say(`SIGTERM exits ms ${JSON.stringify(exits)}, replicas back in ms ${JSON.stringify(backIn)}`);

      // A second broker, stopped cleanly while the first is still down: Kafka refuses writes now.
      const second = clusterNodes(options).find((n) => n.nodeId !== killed)!.nodeId;
      const secondAt = Date.now();
      await stopKafkaNode(second, options);
      say(`broker ${second} stopped`);
      // One broker of three is below min in-sync: the relays wait and the outbox holds what is accepted.
      // What a load balancer's probe sees meanwhile: the replicas stay ready while one broker answers.
      let heldAtMost = 0;
      const readiness = new Set<number>();
      const acceptedBefore = acknowledged.size;
      while (Date.now() < Math.max(secondAt + 15_000, killedAt + 30_000)) {
        const post = whileDown.shift();
        if (post) await deliver(post);
        heldAtMost = Math.max(heldAtMost, (await eventCounts(world.pool)).outbox);
        const probe = await fetch(`${replicas.police![1]!.url}/health/ready`).catch(() => undefined);
        readiness.add(probe?.status ?? 0);
        await sleep(1000);
      }
      const acceptedWhileDown = acknowledged.size - acceptedBefore;
      await inParallel(whileDown.splice(0), CONCURRENCY, deliver);

      await startKafkaNode(killed, options);
      say(
        `broker ${killed} back; meanwhile ${acceptedWhileDown} accepted, outbox held ${heldAtMost}, police ready answered ${[...readiness].join(', ')}`,
      );
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
      await Promise.all(
        (['police', 'safeguarding-view', 'notifications'] as const).map(async (name) => {
          await replicas[name]![1]!.stop('SIGKILL');
          await replicas[name]![1]!.start(RESTART_WITHIN_MS);
        }),
      );
      say('the other police, view and notifications replicas killed (SIGKILL) and back');
      faults.push({
        name: 'one police, one view and one notifications replica killed (SIGKILL)',
        from: crashAt,
        to: Date.now(),
      });

      await sending;
      const sentIn = Date.now() - started;
      say(`all ${sent} events answered`);
      // Agency systems are never refused: with two brokers down the relays wait and the HTTP answer stays 202.
      expect(refused).toEqual([]);
      expect([...acknowledged.values()].filter((n) => n !== 1)).toEqual([]);
      expect(acknowledged.size).toBe(EVENTS);
      for (const name of REPLICATED) expect(exits[name]).toBeLessThan(EXIT_WITHIN_MS);
      // Accepted while Kafka refused writes, held in the outbox, published later: none lost (counts below).
      expect(acceptedWhileDown).toBeGreaterThan(0);
      expect(heldAtMost).toBeGreaterThan(0);

      const counts = await eventuallyOrReport(
        scene(),
        async () => {
          const c = await eventCounts(world.pool);
          return c.chronology >= EVENTS && c.outbox === 0 ? c : undefined;
        },
        600_000,
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
      // Each acknowledged event is the one stored, under its own (source, id).
      const { rows: stored } = await world.pool.query<{ key: string; agency: string }>(
        `SELECT source || '|' || id AS key, split_part(source, ':', 4) AS agency
       FROM event_store.events WHERE type NOT LIKE 'hub.%'`,
      );
      expect(stored.filter((r) => !acknowledged.has(r.key))).toEqual([]);
      say('all in the view');

      // Published at least once: each agency's topic holds at least the events it stored.
      const { published, lag } = await eventuallyOrReport(
        scene(),
        async () => {
          const figures = await topicFigures('safeguarding-view');
          return figures.lag === 0 ? figures : undefined;
        },
        120_000,
        'no lag in the view’s consumer group',
        1000,
      );
      expect(lag).toBe(0);
      const notificationsFigures = await eventuallyOrReport(
        scene(),
        async () => {
          const figures = await topicFigures('notifications');
          return figures.lag === 0 ? figures : undefined;
        },
        120_000,
        'no lag in the notifications’ consumer group',
        1000,
      );
      expect(notificationsFigures.lag).toBe(0);
      // And as Kafka's own tools see it: every topic replicated three times with two in sync required, every
      // replica back in sync after the faults, and no message of the agencies' topics left for the view's group.
      const cli = { dataDir: clusterNodes(options)[0]!.dataDir };
      const bootstrap = ['--bootstrap-server', brokers];
      const topics = AGENCIES.map((agency) => agencyTopic(world.prefix, agency));
      const described = await eventually(
        async () => {
          const out = await kafkaTool(
            'org.apache.kafka.tools.TopicCommand',
            [...bootstrap, '--describe', '--topic', topics.join('|')],
            cli,
          );
          const partitions = out.split('\n').filter((line) => /\tPartition: \d+/.test(line));
          const inSync = partitions.every((line) => /\tIsr: \d+,\d+,\d+(\t|$)/.test(line));
          return inSync && partitions.length > 0 ? out : undefined;
        },
        180_000,
        'every replica back in sync (kafka-topics --describe)',
        5_000,
      );
      for (const topic of topics) {
        const header = described.split('\n').find((line) => line.startsWith(`Topic: ${topic}\t`)) ?? '';
        expect({ topic, header }).toEqual({
          topic,
          header: expect.stringMatching(/ReplicationFactor: 3\t.*min\.insync\.replicas=2/),
        });
      }
      const groups = await kafkaTool(
        'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
        [...bootstrap, '--describe', '--group', `${world.prefix}safeguarding-view`],
        cli,
      );
      const lagRows = groups
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .filter((cols) => topics.includes(cols[1] ?? ''));
      expect(lagRows.length).toBeGreaterThanOrEqual(topics.length);
      expect(lagRows.filter((cols) => cols[5] !== '0')).toEqual([]);
      for (const agency of AGENCIES)
        expect({
          agency,
          published: published[agency]! >= stored.filter((r) => r.agency === agency).length,
        }).toEqual({ agency, published: true });

      const replay = await compareWithReplay(world.pool, world.store);
      for (const diff of Object.values(replay.differences))
        expect(diff).toEqual({ liveOnly: 0, replayOnly: 0 });

      // Every notification raised once, and delivered to its webhook under one webhook-id.
      const notifications = await eventually(
        async () => {
          const { rows } = await world.pool.query<{
            id: string;
            kind: string;
            trigger: string;
            recipient: string;
            status: string;
          }>(
            `SELECT n.id, n.kind, n.trigger_event_key AS trigger, n.recipient_organisation AS recipient, d.status
           FROM "${NOTIFICATIONS_SCHEMA_NAME}".notifications n
           LEFT JOIN "${NOTIFICATIONS_SCHEMA_NAME}".notification_deliveries d ON d.notification_id = n.id AND d.kind = 'notification'`,
          );
          const raised = rows.filter((r) => r.kind === 'operation-encompass').length;
          return raised >= incidents && rows.every((r) => r.status === 'delivered') ? rows : undefined;
        },
        120_000,
        `${incidents} notifications delivered`,
        1000,
      );
      const encompass = notifications.filter((n) => n.kind === 'operation-encompass');
      expect(encompass).toHaveLength(incidents);
      expect(encompass.filter((n) => n.recipient === HILLSIDE)).toHaveLength(NOTIFIED);
      expect(new Set(notifications.map((n) => `${n.kind}|${n.trigger}`)).size).toBe(notifications.length);
      const webhookIds = new Map<string, Set<string>>();
      for (const r of receiver.accepted) {
        const id = r.headers['jigsaw-notification-id'] ?? '';
        webhookIds.set(id, (webhookIds.get(id) ?? new Set()).add(r.headers['webhook-id'] ?? ''));
      }
      expect(notifications.filter((n) => webhookIds.get(n.id)?.size !== 1)).toEqual([]);
      expect(webhookIds.size).toBe(notifications.length);
      const deliveries = receiver.accepted.length;

      // Visibility: from the hub recording an event to the view showing it.
      const { rows } = await world.pool.query<{ recorded: Date; latency: number }>(
        `SELECT e.recorded_at AS recorded, extract(epoch FROM c.projected_at - e.recorded_at)::float8 AS latency
       FROM event_store.events e JOIN "${VIEW_SCHEMA}".chronology c
         ON c.event_key = e.source || '|' || e.id
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
        `[faults] cluster: ${EVENTS} events (${OE_BATCHES} Operation Encompass batches of ${BATCH}, ${fillerBatches} CloudEvents batches of ${FILLER_BATCH}, the rest single) in ${(sentIn / 1000).toFixed(0)} s, ` +
          `all in the view ${((Date.now() - started) / 1000).toFixed(0)} s after the first; ` +
          `${notifications.length} notifications, ${deliveries} deliveries accepted; ` +
          `SIGTERM exits ms ${JSON.stringify(exits)}, back in ms ${JSON.stringify(backIn)}; with two brokers down ${acceptedWhileDown} accepted (202), outbox held ${heldAtMost}, ready answered ${[...readiness].join(', ')}\n` +
          report.map((line) => `[faults]   ${line}\n`).join(''),
      );
    }, 1_800_000);
  },
);
