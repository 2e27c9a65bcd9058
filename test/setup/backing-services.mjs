// Where the tests' Kafka, PostgreSQL and KurrentDB come from, in order of preference:
//   configured  the environment names it (KAFKA_BROKERS, TEST_DATABASE_URL or DATABASE_URL, KURRENTDB_URL)
//   docker      a Docker engine answers: testcontainers starts it, and removes it when the run ends
//   local       Kafka and PostgreSQL as `npm start` finds or starts them (infra/)
// KurrentDB has no local start: without it configured or Docker, its tests are reported as skipped, saying why.
import net from 'node:net';

export const IMAGES = {
  kafka: process.env['TEST_KAFKA_IMAGE'] ?? 'apache/kafka:4.1.1',
  postgres: process.env['TEST_POSTGRES_IMAGE'] ?? 'postgres:17',
  // Multi-stream appends, which the store uses, need KurrentDB 25.1 or later.
  kurrentdb: process.env['TEST_KURRENTDB_IMAGE'] ?? 'docker.kurrent.io/kurrent-latest/kurrentdb:latest',
};

const set = (env, name) => (env[name] ?? '') !== '';

/** What to use for each service, given the environment and whether a Docker engine answers. */
export function plan(env, docker) {
  return {
    kafka: set(env, 'KAFKA_BROKERS') ? 'configured' : docker ? 'docker' : 'local',
    postgres:
      set(env, 'TEST_DATABASE_URL') || set(env, 'DATABASE_URL') ? 'configured' : docker ? 'docker' : 'local',
    kurrentdb: set(env, 'KURRENTDB_URL') ? 'configured' : docker ? 'docker' : 'none',
  };
}

/** Whether a Docker engine answers, as testcontainers finds one, within `timeoutMs`. */
export async function dockerEngine(timeoutMs = 10_000) {
  let timer;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    await Promise.race([getContainerRuntimeClient(), timeout]);
    return { answers: true };
  } catch (error) {
    return { answers: false, why: error.message };
  } finally {
    clearTimeout(timer);
  }
}

/** Why the KurrentDB tests cannot run here: said once by the global setup and in each skipped title. */
export function kurrentDbSkipReason(dockerWhy) {
  return (
    'no KurrentDB server: KURRENTDB_URL is not set and no Docker engine answers ' +
    `(${dockerWhy}); see docs/operating.md "Running on KurrentDB"`
  );
}

// Shared through globalThis: jest loads the global setup and teardown as separate modules.
const started = (globalThis.jigsawTestContainers ??= []);

/** Stops what `start*` started (testcontainers' reaper would remove them anyway when the run ends). */
export async function stopContainers() {
  await Promise.all(started.splice(0).map((c) => c.stop().catch(() => undefined)));
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A single KRaft Kafka node; returns its brokers. */
export async function startKafka() {
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  const host = (await getContainerRuntimeClient()).info.containerRuntime.host;
  // Clients must be told the address they can reach, so the host port is chosen before the start.
  const port = await freePort();
  const container = await new GenericContainer(IMAGES.kafka)
    .withExposedPorts({ container: 9092, host: port })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:${port}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000)
    .start();
  started.push(container);
  return `${host}:${port}`;
}

/** PostgreSQL; returns the URL of its `jigsaw_test` database (created by the caller). */
export async function startPostgres() {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(IMAGES.postgres)
    .withEnvironment({ POSTGRES_PASSWORD: 'postgres' })
    .withExposedPorts(5432)
    // The image's entrypoint starts the server twice (once to initialise); the second start is the real one.
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .withStartupTimeout(120_000)
    .start();
  started.push(container);
  return `postgres://postgres:postgres@${container.getHost()}:${container.getMappedPort(5432)}/jigsaw_test`;
}

/** A single insecure KurrentDB node, in memory; returns its connection string. */
export async function startKurrentDb() {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(IMAGES.kurrentdb)
    .withEnvironment({
      KURRENTDB_INSECURE: 'true',
      KURRENTDB_MEM_DB: 'true',
      KURRENTDB_RUN_PROJECTIONS: 'None',
      KURRENTDB_CLUSTER_SIZE: '1',
    })
    .withExposedPorts(2113)
    .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCodeMatching((s) => s >= 200 && s < 300))
    .withStartupTimeout(120_000)
    .start();
  started.push(container);
  return `kurrentdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`;
}
