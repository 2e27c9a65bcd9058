import kafkajs, {
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type Consumer,
  type ConsumerRunConfig,
  type ICustomPartitioner,
  type Message,
  type Producer,
} from 'kafkajs';
import { JigsawError } from '@jigsaw/errors';
import { injectTraceContext, rootLogger } from '@jigsaw/telemetry';
import type {
  BatchHandler,
  IncomingMessage,
  MessageConsumer,
  MessageHandler,
  OutgoingMessage,
  Publisher,
  RejectedMessage,
} from './messaging.js';
import { deadLettered, kafkaLogCreator, reportLag } from './messaging.telemetry.js';
import { PoisonMessageError } from './poison-message.error.js';

/** Messages per handler call: one transaction each on the consuming side. */
const CHUNK = 500;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a consumer that kafkajs left stopped after a crash waits before it is started again. */
const RUN_AGAIN_MS = 5_000;

// kafkajs is CommonJS: Node finds its classes as named exports, but not this enum.
const { ConfigResourceTypes } = kafkajs;

/**
 * How long a disconnect may take at shutdown. kafkajs retries a broker that is down for far longer; a
 * service must still stop within its deadline, and whatever was not committed is delivered again.
 */
const DISCONNECT_TIMEOUT_MS = 2_000;

async function disconnectWithin(disconnect: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    disconnect().catch(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, DISCONNECT_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
}

/** A createTopics failure only because another service created the same topics first. */
function isOnlyTopicExists(error: unknown): boolean {
  const e = error as { type?: string; errors?: { type?: string }[] } | undefined;
  const types = e?.errors?.map((x) => x.type) ?? [e?.type];
  return types.length > 0 && types.every((t) => t === 'TOPIC_ALREADY_EXISTS');
}

/**
 * How the hub's topics are made: KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS,
 * KAFKA_RETENTION_MS.
 */
export interface TopicSettings {
  partitions: number;
  replicationFactor: number;
  minInsyncReplicas: number;
  /**
   * How long a topic keeps a message, or -1 for good. A consumer group new to a topic (a read model or a
   * service added later) starts from the earliest message the topic still holds, so a topic that forgets
   * leaves the new group without the history before it. Personal data in a message is sealed under the
   * child's key, so erasure reaches every copy kept here too.
   */
  retentionMs: number;
}

export const DEFAULT_TOPIC_SETTINGS: TopicSettings = {
  partitions: 6,
  replicationFactor: 1,
  minInsyncReplicas: 1,
  retentionMs: -1,
};

/** The topic-level settings, by their Kafka config names. */
const TOPIC_CONFIGS = {
  minInsyncReplicas: 'min.insync.replicas',
  retentionMs: 'retention.ms',
} as const satisfies Partial<Record<keyof TopicSettings, string>>;

type TopicConfigs = Record<keyof typeof TOPIC_CONFIGS, number>;

/** An existing topic made otherwise than the settings say; changing it is an operator's decision. */
export interface TopicMismatch {
  topic: string;
  setting: keyof TopicSettings;
  expected: number;
  actual: number;
}

/** Each topic's configs as the cluster describes them; a topic it does not answer for is absent. */
async function configsOf(admin: Admin, topics: readonly string[]): Promise<Map<string, TopicConfigs>> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({
      type: ConfigResourceTypes.TOPIC,
      name,
      configNames: Object.values(TOPIC_CONFIGS),
    })),
  });
  return new Map(
    described.resources.flatMap((r) => {
      const configs = {} as TopicConfigs;
      for (const [setting, name] of Object.entries(TOPIC_CONFIGS) as [keyof TopicConfigs, string][]) {
        const value = r.configEntries.find((e) => e.configName === name)?.configValue;
        if (value === undefined) return [];
        configs[setting] = Number(value);
      }
      return [[r.resourceName, configs] as const];
    }),
  );
}

/** What differs between the wanted settings and the topics as the cluster describes them. */
export function mismatches(
  wanted: TopicSettings,
  topics: readonly { name: string; partitions: readonly { replicas: readonly number[] }[] }[],
  configs: ReadonlyMap<string, TopicConfigs>,
): TopicMismatch[] {
  return topics.flatMap((t) => {
    const actual: TopicSettings = {
      partitions: t.partitions.length,
      replicationFactor: Math.min(...t.partitions.map((p) => p.replicas.length)),
      minInsyncReplicas: configs.get(t.name)?.minInsyncReplicas ?? wanted.minInsyncReplicas,
      retentionMs: configs.get(t.name)?.retentionMs ?? wanted.retentionMs,
    };
    return (Object.keys(wanted) as (keyof TopicSettings)[])
      .filter((setting) => actual[setting] !== wanted[setting])
      .map((setting) => ({ topic: t.name, setting, expected: wanted[setting], actual: actual[setting] }));
  });
}

export interface KafkaMessagingOptions {
  brokers: string;
  clientId: string;
}

function headersOf(
  raw: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (value === undefined) continue;
    headers[name] = (Array.isArray(value) ? value[0] : value)?.toString() ?? '';
  }
  return headers;
}

/** kafkajs's default partitioner, noting the partition it gives each message. */
function notingPartitioner(routes: WeakMap<Message, number>): ICustomPartitioner {
  return () => {
    const partition = Partitioners.DefaultPartitioner();
    return (args) => {
      const chosen = partition(args);
      routes.set(args.message, chosen);
      return chosen;
    };
  };
}

/** The partitions a send went to that Kafka gave no answer for, as `topic[partition]`. */
function unanswered(
  sent: readonly { topic: string; messages: readonly Message[] }[],
  routes: WeakMap<Message, number>,
  answers: readonly { topicName: string; partition: number }[],
): string[] {
  const answered = new Set(answers.map((a) => `${a.topicName}[${a.partition}]`));
  const missing = new Set<string>();
  for (const { topic, messages } of sent)
    for (const message of messages) {
      const at = `${topic}[${routes.get(message) ?? '?'}]`;
      if (!answered.has(at)) missing.add(at);
    }
  return [...missing];
}

class KafkajsPublisher implements Publisher {
  private producer: Producer;
  private connected: Promise<void> | undefined;

  /** `routes` is where `newProducer`'s partitioner notes each message's partition. */
  constructor(
    private readonly newProducer: () => Producer,
    private readonly routes: WeakMap<Message, number>,
  ) {
    this.producer = newProducer();
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = this.producer;
    this.connected ??= producer.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    await this.connected;
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) {
      const list = byTopic.get(m.topic);
      if (list) list.push(m);
      else byTopic.set(m.topic, [m]);
    }
    const topicMessages = [...byTopic].map(([topic, list]) => ({
      topic,
      // A message without trace context carries the active one (none while tracing is off).
      messages: list.map((m): Message => ({
        key: m.key,
        value: m.value,
        headers: m.headers?.['traceparent'] ? m.headers : injectTraceContext({ ...m.headers }),
      })),
    }));
    try {
      const answers = await producer.sendBatch({ acks: -1, topicMessages });
      // kafkajs keeps the answers of one send by broker across its retries: a partition whose leadership
      // moved to a broker that had answered already is not sent again, yet the send resolves.
      const missing = unanswered(topicMessages, this.routes, answers);
      if (missing.length > 0) {
        throw new Error(`Kafka gave no answer for ${missing.join(', ')}: the send is not taken as written`);
      }
    } catch (error) {
      await this.replace(producer);
      throw error;
    }
  }

  /**
   * A send that failed may still have been written (its answer lost with a broker, or an error after the
   * append), yet kafkajs takes back its sequence numbers. The next send, of other messages, would then be
   * refused as out of order, for good. A new producer has a new producer id and starts its sequences again;
   * what was written already is published twice, which consumers dedupe.
   */
  private async replace(failed: Producer): Promise<void> {
    if (this.producer !== failed) return;
    this.producer = this.newProducer();
    const wasConnected = this.connected;
    this.connected = undefined;
    if (wasConnected) await disconnectWithin(() => failed.disconnect());
  }

  async close(): Promise<void> {
    if (this.connected) await disconnectWithin(() => this.producer.disconnect());
    this.connected = undefined;
  }
}

class KafkajsConsumer implements MessageConsumer {
  /** Lag per `topic` then partition, as of each partition's last fetch. */
  private readonly lags = new Map<string, Map<number, number>>();
  private unreport: (() => void) | undefined;
  private stopping = false;
  private again: NodeJS.Timeout | undefined;

  constructor(
    private readonly consumer: Consumer,
    private readonly group: string,
    private readonly topics: readonly string[],
    private readonly deadLetter: { topic: string; publisher: Publisher } | undefined,
  ) {}

  get lag(): number {
    let sum = 0;
    for (const partitions of this.lags.values()) for (const lag of partitions.values()) sum += lag;
    return sum;
  }

  private lagByTopic(): Map<string, number> {
    const byTopic = new Map<string, number>();
    for (const [topic, partitions] of this.lags) {
      byTopic.set(
        topic,
        [...partitions.values()].reduce((a, b) => a + b, 0),
      );
    }
    return byTopic;
  }

  /** Each message handled on its own: a poison message is dead-lettered, any other error redelivers. */
  start(handler: MessageHandler): Promise<void> {
    return this.startBatch(async (messages) => {
      const rejected: RejectedMessage[] = [];
      for (const message of messages) {
        try {
          await handler(message);
        } catch (error) {
          if (!(error instanceof PoisonMessageError)) throw error;
          rejected.push({ message, error });
        }
      }
      return rejected;
    });
  }

  async startBatch(handler: BatchHandler): Promise<void> {
    this.unreport ??= reportLag({ group: this.group, lagByTopic: () => this.lagByTopic() });
    await this.consumer.connect();
    // A broker that has only just created a topic may not report it yet; that error is retriable.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
        break;
      } catch (error) {
        if (!(error as { retriable?: boolean }).retriable || attempt >= 40) throw error;
        await sleep(250);
      }
    }
    const run: ConsumerRunConfig = {
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        for (let from = 0; from < batch.messages.length; from += CHUNK) {
          if (!payload.isRunning() || payload.isStale()) break;
          const chunk = batch.messages.slice(from, from + CHUNK).map((raw): IncomingMessage => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: raw.offset,
            key: raw.key?.toString(),
            value: raw.value,
            headers: headersOf(raw.headers),
          }));
          const rejected = await handler(chunk);
          if (rejected.length > 0 && !this.deadLetter) {
            throw rejected[0]!.error;
          }
          for (const { message, error } of rejected) await this.sendToDeadLetter(message, error);
          const last = chunk[chunk.length - 1]!.offset;
          payload.resolveOffset(last);
          // Only now is the chunk's transaction committed; a crash before this line redelivers it.
          await this.consumer.commitOffsets([
            { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
          ]);
          const high = BigInt(batch.highWatermark);
          const next = BigInt(last) + 1n;
          const partitions = this.lags.get(batch.topic) ?? new Map<number, number>();
          partitions.set(batch.partition, Number(high > next ? high - next : 0n));
          this.lags.set(batch.topic, partitions);
          await payload.heartbeat();
        }
      },
    };
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.runAgain(payload.error, run);
    });
    await this.consumer.run(run);
  }

  /**
   * kafkajs restarts a consumer after a retriable crash only. After any other (the group's coordinator not
   * found while brokers fail over, an error of the handler's own) it has left the group and stays stopped
   * while the process runs on and looks ready: start it again, until it runs or the service stops.
   */
  private runAgain(error: Error, run: ConsumerRunConfig): void {
    if (this.stopping) return;
    rootLogger()
      .child({ context: 'messaging' })
      .warn(
        { groupId: this.group, error: error.message },
        `consumer stopped by a crash kafkajs does not restart; starting it again in ${RUN_AGAIN_MS} ms`,
      );
    clearTimeout(this.again);
    this.again = setTimeout(() => {
      if (this.stopping) return;
      // A failed start is another crash, and comes back here.
      void this.consumer
        .connect()
        .then(() => this.consumer.run(run))
        .catch((failed: unknown) => this.runAgain(failed as Error, run));
    }, RUN_AGAIN_MS);
  }

  private async sendToDeadLetter(message: IncomingMessage, error: JigsawError): Promise<void> {
    const { topic, publisher } = this.deadLetter!;
    await publisher.publish([
      {
        topic,
        key: message.key ?? '',
        value: message.value?.toString('utf8') ?? '',
        headers: {
          ...message.headers,
          'dlq-reason': error.message,
          'dlq-code': error.code,
          'dlq-problems': JSON.stringify(error.problems),
          'dlq-original-topic': message.topic,
          'dlq-original-partition': String(message.partition),
          'dlq-original-offset': message.offset,
        },
      },
    ]);
    deadLettered.inc({ code: error.code });
  }

  /** Waits for the chunk in hand (its transaction and offset commit), then leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.again);
    this.unreport?.();
    await disconnectWithin(() => this.consumer.disconnect());
    await this.deadLetter?.publisher.close();
  }
}

/** Kafka through kafkajs: topic administration, an idempotent producer and consumer groups. */
export class KafkaMessaging {
  private readonly kafka: Kafka;

  constructor(options: KafkaMessagingOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers.split(','),
      logLevel: logLevel.ERROR,
      logCreator: kafkaLogCreator,
      retry: { initialRetryTime: 300, retries: 8 },
    });
  }

  /**
   * Creates missing topics with `settings` and waits until the cluster reports a leader for every
   * partition: on a new broker, metadata lags creation, and a consumer subscribing in between fails.
   * Auto-creation is off on our brokers, so every service declares what it uses; two services may race to
   * create the same topic. Topics that exist already are left as they are: what differs from `settings`
   * is returned, for the service to warn about. A replication factor above the cluster's brokers fails.
   */
  async ensureTopics(
    topics: readonly string[],
    settings: Partial<TopicSettings> = {},
  ): Promise<TopicMismatch[]> {
    const wanted: TopicSettings = { ...DEFAULT_TOPIC_SETTINGS, ...settings };
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t));
      if (missing.length > 0) {
        // Only when creating: a replica starting while a broker is down must still start on what exists.
        const { brokers } = await admin.describeCluster();
        if (wanted.replicationFactor > brokers.length) {
          throw new Error(
            `KAFKA_REPLICATION_FACTOR is ${wanted.replicationFactor} but the cluster has ${brokers.length} broker(s) up`,
          );
        }
        await admin
          // Not waitForLeaders: kafkajs retries only 'leader not available' there, and a new broker also
          // answers 'unknown topic' for a while. The poll below waits for both.
          .createTopics({
            waitForLeaders: false,
            topics: missing.map((topic) => ({
              topic,
              numPartitions: wanted.partitions,
              replicationFactor: wanted.replicationFactor,
              configEntries: Object.entries(TOPIC_CONFIGS).map(([setting, name]) => ({
                name,
                value: String(wanted[setting as keyof TopicConfigs]),
              })),
            })),
          })
          .catch((error: unknown) => {
            if (!isOnlyTopicExists(error)) throw error;
          });
      }
      const deadline = Date.now() + 60_000;
      for (;;) {
        const metadata = await admin.fetchTopicMetadata({ topics: [...topics] }).catch(() => undefined);
        const ready = metadata?.topics.every(
          (t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0),
        );
        // The configs are asked of one broker, which may be one that is down while the metadata still names
        // it (a replica starting during an outage): then the next look asks again.
        const configs = metadata && ready ? await configsOf(admin, topics).catch(() => undefined) : undefined;
        if (metadata && configs) return mismatches(wanted, metadata.topics, configs);
        if (Date.now() > deadline) {
          throw new Error(
            `topics have no leaders, or no broker described them, after 60 s: ${topics.join(', ')}`,
          );
        }
        await sleep(250);
      }
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * True when the cluster answers a metadata request. A few quick retries: with one broker of a cluster
   * down, the first seed broker tried may be that one, and another answers.
   */
  async ping(): Promise<boolean> {
    const admin = this.kafka.admin({ retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 300 } });
    try {
      await admin.connect();
      await admin.describeCluster();
      return true;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  publisher(): Publisher {
    const routes = new WeakMap<Message, number>();
    return new KafkajsPublisher(
      () =>
        this.kafka.producer({
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
          createPartitioner: notingPartitioner(routes),
        }),
      routes,
    );
  }

  consumer(options: {
    groupId: string;
    topics: readonly string[];
    deadLetterTopic?: string;
  }): MessageConsumer {
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      rebalanceTimeout: 30_000,
      // Short fetch waits keep visibility latency and shutdown fast; a fetch returns at once when data is there.
      maxWaitTimeInMs: 100,
    });
    const deadLetter = options.deadLetterTopic
      ? { topic: options.deadLetterTopic, publisher: this.publisher() }
      : undefined;
    return new KafkajsConsumer(consumer, options.groupId, options.topics, deadLetter);
  }
}
