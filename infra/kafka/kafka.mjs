#!/usr/bin/env node
// Local single-node Apache Kafka (KRaft, combined broker+controller) on 127.0.0.1:9092.
// Jars come from Maven Central via Maven (infra/kafka/pom.xml); data/logs live in <repo>/.data/kafka.
//
//   node infra/kafka/kafka.mjs start|ensure|stop|status
//   node infra/kafka/kafka.mjs cluster   three nodes (controller + broker each) on 127.0.0.1:9192-9194;
//                                         `stop` stops them too
//
// Module API:
//   ensureKafka({ log }?)        -> Promise<string>   brokers ("127.0.0.1:9092", or $KAFKA_BROKERS)
//   stopKafka({ log }?)          -> Promise<void>
//   isKafkaReachable(brokers?, { timeoutMs }?) -> Promise<boolean>
//
// A second broker beside the default one (e.g. one that tests may stop and restart) takes options:
//   startKafka({ port, controllerPort?, dataDir, log? }) -> Promise<string>   brokers ("127.0.0.1:<port>")
//   stopKafka({ port, dataDir, log? })                   -> Promise<void>
// controllerPort defaults to port + 1; nothing is shared with the default broker but the Maven cache.
//
// A three-node cluster (replication 3, min in-sync 2), brokers on basePort..basePort+2, controllers on +3..+5:
//   startKafkaCluster({ basePort?, dataDir?, log? })  -> Promise<string>  brokers ("127.0.0.1:9192,...")
//   stopKafkaCluster({ basePort?, dataDir?, log? })   -> Promise<void>
//   stopKafkaNode(id, { signal?, basePort?, dataDir? }), startKafkaNode(id, { basePort?, dataDir? })
//   clusterNodes({ basePort?, dataDir? })             -> each node's id, ports and data directory
//
// Only node: builtins; plain ESM; Node >= 20.

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '..', '..');
const DEFAULT_DATA_DIR = join(REPO_ROOT, '.data', 'kafka');
const POM = join(HERE, 'pom.xml');
const PROPS_TEMPLATE = join(HERE, 'server.properties');
const LOG4J2_CONFIG = join(HERE, 'log4j2.xml');
const DEFAULT_PORT = 9092;

/**
 * Where one broker keeps everything, and where it listens. The defaults are the hub's own broker; a
 * cluster's node also has its id, the quorum's voters, its replication settings and a shared cluster id.
 */
function layout({
  dataDir = DEFAULT_DATA_DIR,
  port = DEFAULT_PORT,
  controllerPort = port + 1,
  nodeId = 1,
  voters = `${nodeId}@127.0.0.1:${controllerPort}`,
  replication = 1,
  minIsr = 1,
  heap,
  clusterIdFile = join(dataDir, 'cluster.id'),
} = {}) {
  const logDir = join(dataDir, 'logs');
  return {
    dataDir,
    port,
    controllerPort,
    nodeId,
    voters,
    replication,
    minIsr,
    heap,
    brokers: `127.0.0.1:${port}`,
    logDir,
    propsFile: join(dataDir, 'server.properties'),
    cpFile: join(dataDir, 'classpath.txt'),
    cpHashFile: join(dataDir, 'classpath.pom.sha256'),
    clusterIdFile,
    metaProps: join(dataDir, 'data', 'meta.properties'),
    pidFile: join(dataDir, 'kafka.pid'),
    lockDir: join(dataDir, 'start.lock'),
    outLog: join(logDir, 'kafka.out'),
    serverLog: join(logDir, 'server.log'),
  };
}

export const LOCAL_BROKERS = '127.0.0.1:9092';

const START_TIMEOUT_MS = Number(process.env.KAFKA_START_TIMEOUT_MS) || 90_000;
const STOP_TIMEOUT_MS = 30_000;
const LOCK_TIMEOUT_MS = 10 * 60_000; // a cold Maven download can be slow

const defaultLog = (msg) => process.stderr.write(`[kafka] ${msg}\n`);

// ---------------------------------------------------------------------------
// Reachability: TCP connect + a real Kafka ApiVersions (v0) request.
// ---------------------------------------------------------------------------

function parseBrokers(brokers) {
  return String(brokers)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^\[([^\]]+)\]:(\d+)$/.exec(s) || /^([^:]+):(\d+)$/.exec(s);
      if (!m) throw new Error(`invalid broker address "${s}" (expected host:port)`);
      return { host: m[1], port: Number(m[2]) };
    });
}

function apiVersionsProbe(host, port, timeoutMs) {
  return new Promise((resolvePromise) => {
    const correlationId = (Math.random() * 0x7fffffff) | 0;
    const clientId = Buffer.from('kafka-launcher-probe');
    // Request header v1 (api_key, api_version, correlation_id, client_id) + empty ApiVersions v0 body.
    const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
    body.writeInt16BE(18, 0); // ApiVersions
    body.writeInt16BE(0, 2); // v0 (never removed; it is the version-negotiation handshake)
    body.writeInt32BE(correlationId, 4);
    body.writeInt16BE(clientId.length, 8);
    clientId.copy(body, 10);
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length, 0);

    let settled = false;
    let buf = Buffer.alloc(0);
    const socket = net.connect({ host, port });
    const done = (ok) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
    socket.on('connect', () => socket.write(Buffer.concat([size, body])));
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 4) return;
      const len = buf.readInt32BE(0);
      if (len < 6 || len > 1 << 20) return done(false);
      if (buf.length < 4 + len) return;
      // Response header v0: correlation_id; body: error_code, [api_key, min, max]...
      done(buf.readInt32BE(4) === correlationId && buf.readInt16BE(8) === 0);
    });
  });
}

/** True if any of the comma-separated brokers answers a Kafka ApiVersions request. */
export async function isKafkaReachable(brokers = LOCAL_BROKERS, { timeoutMs = 2000 } = {}) {
  const results = await Promise.all(
    parseBrokers(brokers).map(({ host, port }) => apiVersionsProbe(host, port, timeoutMs)),
  );
  return results.some(Boolean);
}

async function waitReachable(brokers, timeoutMs, { isDead } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isKafkaReachable(brokers, { timeoutMs: 1500 })) return true;
    if (isDead && isDead()) return false;
    await sleep(250);
  }
  return false;
}

// ---------------------------------------------------------------------------
// Process helpers
// ---------------------------------------------------------------------------

function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Best effort: is `pid` our broker (guards against a recycled pid)? Unknown => true. */
function looksLikeOurBroker(pid) {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmd.includes('kafka.Kafka');
  } catch {
    return isAlive(pid);
  }
}

function readPid(L) {
  try {
    const pid = Number(readFileSync(L.pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function fileSize(file) {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Text appended to `file` since it had `fromBytes` bytes (whole file if it was rotated/truncated). */
function readSince(file, fromBytes) {
  try {
    const buf = readFileSync(file);
    return buf.subarray(buf.length >= fromBytes ? fromBytes : 0).toString('utf8');
  } catch {
    return '';
  }
}

/** The interesting lines of this run's broker output, for error messages. */
function failureHints(L, outFrom, serverFrom) {
  const out = readSince(L.outLog, outFrom).trim().split('\n').filter(Boolean).slice(-10);
  const errs = readSince(L.serverLog, serverFrom)
    .split('\n')
    .filter((l) => /\b(ERROR|FATAL)\b|Exception:|^Caused by:/.test(l))
    .slice(0, 10);
  return [...errs, ...out].map((l) => (l.length > 300 ? `${l.slice(0, 300)}...` : l)).join('\n');
}

function run(cmd, args, { cwd = REPO_ROOT, env = process.env } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (err) =>
      reject(
        new Error(
          `cannot run ${cmd}: ${err.message}${err.code === 'ENOENT' ? ' (is it installed and on PATH?)' : ''}`,
        ),
      ),
    );
    child.on('close', (code) => resolvePromise({ code, out }));
  });
}

const javaBin = () => (process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java');

function jvmLoggingArgs(L) {
  return [`-Dlog4j2.configurationFile=${pathToFileURL(LOG4J2_CONFIG).href}`, `-Dkafka.logs.dir=${L.logDir}`];
}

// ---------------------------------------------------------------------------
// Start-lock (so parallel ensureKafka() callers don't start two brokers)
// ---------------------------------------------------------------------------

async function acquireLock(L, log) {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(L.lockDir);
      writeFileSync(join(L.lockDir, 'owner'), String(process.pid));
      return true;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let owner = null;
    try {
      owner = Number(readFileSync(join(L.lockDir, 'owner'), 'utf8'));
    } catch {
      /* owner file not written yet */
    }
    const age = (() => {
      try {
        return Date.now() - statSync(L.lockDir).mtimeMs;
      } catch {
        return 0;
      }
    })();
    if ((owner && !isAlive(owner)) || (!owner && age > 10_000)) {
      rmSync(L.lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      log(`another process (pid ${owner ?? '?'}) is starting Kafka; waiting`);
      announced = true;
    }
    if (await isKafkaReachable(L.brokers, { timeoutMs: 1000 })) return false;
    if (Date.now() > deadline) throw new Error(`timed out waiting for start lock ${L.lockDir}`);
    await sleep(500);
  }
}

function releaseLock(L) {
  rmSync(L.lockDir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------
// Classpath (Maven, cached by pom.xml hash)
// ---------------------------------------------------------------------------

function cachedClasspath(L, pomHash) {
  if (
    existsSync(L.cpFile) &&
    existsSync(L.cpHashFile) &&
    readFileSync(L.cpHashFile, 'utf8').trim() === pomHash
  ) {
    const cp = readFileSync(L.cpFile, 'utf8').trim();
    if (cp && cp.split(delimiter).every((jar) => existsSync(jar))) return cp;
  }
  return undefined;
}

async function resolveClasspath(L, log) {
  const pomHash = createHash('sha256').update(readFileSync(POM)).digest('hex');
  // A second broker may reuse the default broker's cache; it only ever writes its own.
  const cached = cachedClasspath(L, pomHash) ?? cachedClasspath(layout(), pomHash);
  if (cached) return cached;
  log('resolving Kafka jars with Maven (cached after this)...');
  const t0 = Date.now();
  const tmp = `${L.cpFile}.tmp`;
  const mvn = process.env.MVN || 'mvn';
  const { code, out } = await run(mvn, [
    '-q',
    '-B',
    '-f',
    POM,
    'dependency:build-classpath',
    `-Dmdep.outputFile=${tmp}`,
    '-Dmdep.includeScope=runtime',
  ]);
  if (code !== 0 || !existsSync(tmp)) {
    throw new Error(
      `Maven failed to resolve Kafka (exit ${code}):\n${out.trim().split('\n').slice(-40).join('\n')}`,
    );
  }
  renameSync(tmp, L.cpFile);
  writeFileSync(L.cpHashFile, `${pomHash}\n`);
  log(`jars resolved in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return readFileSync(L.cpFile, 'utf8').trim();
}

// ---------------------------------------------------------------------------
// Config + storage format
// ---------------------------------------------------------------------------

function writeServerProperties(L) {
  const text = readFileSync(PROPS_TEMPLATE, 'utf8')
    .replaceAll('@DATA_DIR@', L.dataDir.replaceAll('\\', '/'))
    .replaceAll('@PORT@', String(L.port))
    .replaceAll('@CONTROLLER_PORT@', String(L.controllerPort))
    .replaceAll('@NODE_ID@', String(L.nodeId))
    .replaceAll('@VOTERS@', L.voters)
    .replaceAll('@REPLICATION@', String(L.replication))
    .replaceAll('@MIN_ISR@', String(L.minIsr));
  writeFileSync(L.propsFile, text);
}

function clusterId(L) {
  if (existsSync(L.clusterIdFile)) {
    const id = readFileSync(L.clusterIdFile, 'utf8').trim();
    if (id) return id;
  }
  // Same shape as `kafka-storage random-uuid`: 16 random bytes, base64url, no padding, not starting with '-'.
  let id;
  do id = randomBytes(16).toString('base64url');
  while (id.startsWith('-'));
  writeFileSync(L.clusterIdFile, `${id}\n`);
  return id;
}

async function formatStorageOnce(L, cp, log) {
  if (existsSync(L.metaProps)) return;
  const id = clusterId(L);
  log(`formatting storage (cluster id ${id})`);
  const { code, out } = await run(javaBin(), [
    ...jvmLoggingArgs(L),
    '-cp',
    cp,
    'kafka.tools.StorageTool',
    'format',
    '--config',
    L.propsFile,
    '--cluster-id',
    id,
    '--ignore-formatted',
  ]);
  writeFileSync(join(L.logDir, 'format.log'), out);
  if (code !== 0) throw new Error(`kafka storage format failed (exit ${code}):\n${out.trim()}`);
}

// ---------------------------------------------------------------------------
// start / stop
// ---------------------------------------------------------------------------

function jvmArgs(L) {
  const heap = (process.env.KAFKA_HEAP_OPTS || L.heap || '-Xms256m -Xmx1g').split(/\s+/).filter(Boolean);
  const extra = (process.env.KAFKA_JVM_OPTS || '').split(/\s+/).filter(Boolean);
  return [
    ...heap,
    '-server',
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-XX:MaxInlineLevel=15',
    '-Djava.awt.headless=true',
    ...jvmLoggingArgs(L),
    ...extra,
  ];
}

async function startLocal(L, log) {
  if (await isKafkaReachable(L.brokers)) {
    log(`already running on ${L.brokers}`);
    return L.brokers;
  }
  mkdirSync(L.logDir, { recursive: true });

  if (!(await acquireLock(L, log))) {
    log(`started by another process; reachable on ${L.brokers}`);
    return L.brokers;
  }
  try {
    // A broker we started earlier may still be booting (or a stale pid file may be left over).
    const oldPid = readPid(L);
    if (oldPid && isAlive(oldPid) && looksLikeOurBroker(oldPid)) {
      log(`broker pid ${oldPid} is running but not answering yet; waiting`);
      if (await waitReachable(L.brokers, START_TIMEOUT_MS, { isDead: () => !isAlive(oldPid) })) {
        log(`ready on ${L.brokers}`);
        return L.brokers;
      }
      throw new Error(`broker pid ${oldPid} did not become ready; see ${L.serverLog} and ${L.outLog}`);
    }
    rmSync(L.pidFile, { force: true });

    const t0 = Date.now();
    const cp = await resolveClasspath(L, log);
    writeServerProperties(L);
    await formatStorageOnce(L, cp, log);

    const outFrom = fileSize(L.outLog);
    const serverFrom = fileSize(L.serverLog);
    const outFd = openSync(L.outLog, 'a');
    writeFileSync(outFd, `\n===== ${new Date().toISOString()} starting kafka.Kafka =====\n`);
    let exited = null;
    let child;
    try {
      child = spawn(javaBin(), [...jvmArgs(L), '-cp', cp, 'kafka.Kafka', L.propsFile], {
        cwd: L.dataDir,
        detached: true,
        stdio: ['ignore', outFd, outFd],
      });
    } finally {
      closeSync(outFd);
    }
    await new Promise((res, rej) => {
      child.once('spawn', res);
      child.once('error', (err) => rej(new Error(`cannot start java: ${err.message}`)));
    });
    child.on('exit', (code, signal) => (exited = signal ?? code));
    child.unref();
    writeFileSync(L.pidFile, `${child.pid}\n`);
    log(`started broker pid ${child.pid}; waiting for ${L.brokers} (logs: ${L.logDir})`);

    const ok = await waitReachable(L.brokers, START_TIMEOUT_MS, { isDead: () => exited !== null });
    if (!ok) {
      const why =
        exited !== null ? `exited (${exited})` : `did not answer within ${START_TIMEOUT_MS / 1000}s`;
      if (exited === null) await killPid(child.pid, () => {});
      rmSync(L.pidFile, { force: true });
      const hints = failureHints(L, outFrom, serverFrom);
      throw new Error(`Kafka broker ${why}. See ${L.serverLog} and ${L.outLog}${hints ? `\n${hints}` : ''}`);
    }
    log(`ready on ${L.brokers} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    return L.brokers;
  } finally {
    releaseLock(L);
  }
}

async function killPid(pid, log) {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await sleep(200);
  }
  log(`pid ${pid} did not exit after ${STOP_TIMEOUT_MS / 1000}s; sending SIGKILL`);
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  while (isAlive(pid)) await sleep(100);
}

/**
 * Ensure a broker is available and return its bootstrap string.
 * With $KAFKA_BROKERS set, nothing is started: it waits for that address to answer.
 */
export async function ensureKafka({ log = defaultLog } = {}) {
  const external = process.env.KAFKA_BROKERS?.trim();
  if (external) {
    if (await isKafkaReachable(external)) return external;
    log(`waiting for KAFKA_BROKERS=${external}`);
    if (!(await waitReachable(external, START_TIMEOUT_MS))) {
      throw new Error(
        `KAFKA_BROKERS=${external} did not answer a Kafka ApiVersions request within ${START_TIMEOUT_MS / 1000}s`,
      );
    }
    return external;
  }
  return startLocal(layout(), log);
}

/**
 * Starts a broker on `port` with its data in `dataDir` (by default the hub's own, as `start` does) unless
 * one already answers there. Ignores $KAFKA_BROKERS: it is for a broker this caller owns.
 */
export async function startKafka({ log = defaultLog, ...options } = {}) {
  return startLocal(layout(options), log);
}

/** Stop the broker started by this launcher (no-op if it is not running); options as for startKafka. */
export async function stopKafka({ log = defaultLog, ...options } = {}) {
  const L = layout(options);
  const pid = readPid(L);
  if (!pid || !isAlive(pid) || !looksLikeOurBroker(pid)) {
    rmSync(L.pidFile, { force: true });
    if (await isKafkaReachable(L.brokers)) {
      log(
        `not started by this launcher (no live pid file), but something answers on ${L.brokers}; leaving it alone`,
      );
    } else {
      log('not running');
    }
    return;
  }
  log(`stopping broker pid ${pid}`);
  await killPid(pid, log);
  rmSync(L.pidFile, { force: true });
  log('stopped');
}

// ---------------------------------------------------------------------------
// A three-node cluster: each node a controller and a broker, on loopback
// ---------------------------------------------------------------------------

const DEFAULT_CLUSTER_DIR = join(REPO_ROOT, '.data', 'kafka-cluster');
const DEFAULT_CLUSTER_PORT = 9192;
/**
 * Runs one of Kafka's own command-line tools (the kafka-tools jar, as `kafka-topics.sh` and
 * `kafka-consumer-groups.sh` do: `org.apache.kafka.tools.TopicCommand`,
 * `org.apache.kafka.tools.consumer.group.ConsumerGroupCommand`) on the broker's classpath; resolves with what it
 * printed, and fails with it when the tool exits non-zero.
 */
export async function kafkaTool(mainClass, args, { log = defaultLog, ...options } = {}) {
  const L = layout(options);
  const classpath = await resolveClasspath(L, log);
  const { code, out } = await run(javaBin(), [...jvmLoggingArgs(L), '-cp', classpath, mainClass, ...args]);
  if (code !== 0) {
    throw new Error(`${mainClass} exited with ${code}:\n${out.trim().split('\n').slice(-20).join('\n')}`);
  }
  return out;
}

export const CLUSTER_SIZE = 3;

/**
 * The nodes of a cluster whose brokers listen on basePort, +1, +2 and whose controllers on basePort + 3,
 * +4, +5, each with its data under dataDir/node-<id>. Replication 3, min in-sync 2, small heaps.
 */
export function clusterNodes({ basePort = DEFAULT_CLUSTER_PORT, dataDir = DEFAULT_CLUSTER_DIR } = {}) {
  const ids = Array.from({ length: CLUSTER_SIZE }, (_, i) => i + 1);
  const voters = ids.map((id) => `${id}@127.0.0.1:${basePort + CLUSTER_SIZE + id - 1}`).join(',');
  return ids.map((nodeId) => ({
    nodeId,
    port: basePort + nodeId - 1,
    controllerPort: basePort + CLUSTER_SIZE + nodeId - 1,
    dataDir: join(dataDir, `node-${nodeId}`),
    voters,
    replication: 3,
    minIsr: 2,
    heap: '-Xms128m -Xmx384m',
    clusterIdFile: join(dataDir, 'cluster.id'),
  }));
}

/** Starts every node of the cluster not yet running (together: a node waits for a quorum of voters). */
export async function startKafkaCluster({ log = defaultLog, ...options } = {}) {
  const nodes = clusterNodes(options);
  mkdirSync(dirname(nodes[0].clusterIdFile), { recursive: true });
  clusterId(layout(nodes[0]));
  // Maven once, not once per node: every node caches the classpath the first resolved (which may itself
  // come from the default broker's cache, and so be written in no node's directory yet).
  const first = layout(nodes[0]);
  mkdirSync(first.dataDir, { recursive: true });
  const classpath = await resolveClasspath(first, log);
  const pomHash = createHash('sha256').update(readFileSync(POM)).digest('hex');
  for (const node of nodes) {
    const L = layout(node);
    mkdirSync(L.dataDir, { recursive: true });
    writeFileSync(L.cpFile, `${classpath}\n`);
    writeFileSync(L.cpHashFile, `${pomHash}\n`);
  }
  await Promise.all(nodes.map((node) => startLocal(layout(node), (m) => log(`node ${node.nodeId}: ${m}`))));
  return nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
}

/** Starts one node of the cluster again (after a crash or a stop); the others must form a quorum. */
export function startKafkaNode(nodeId, { log = defaultLog, ...options } = {}) {
  const node = clusterNodes(options)[nodeId - 1];
  return startLocal(layout(node), (m) => log(`node ${nodeId}: ${m}`));
}

/** Stops one node cleanly (SIGTERM, then SIGKILL after 30 s), or kills it at once with `signal: 'SIGKILL'`. */
export async function stopKafkaNode(nodeId, { log = defaultLog, signal = 'SIGTERM', ...options } = {}) {
  const L = layout(clusterNodes(options)[nodeId - 1]);
  const pid = readPid(L);
  if (!pid || !isAlive(pid) || !looksLikeOurBroker(pid)) return;
  if (signal === 'SIGKILL') {
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(50);
  } else {
    await killPid(pid, (m) => log(`node ${nodeId}: ${m}`));
  }
  rmSync(L.pidFile, { force: true });
}

export async function stopKafkaCluster({ log = defaultLog, ...options } = {}) {
  await Promise.all(clusterNodes(options).map((node) => stopKafkaNode(node.nodeId, { log, ...options })));
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

function isMain() {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

const KAFKA_USAGE = `usage: npm run kafka -- start|cluster|stop|status|ensure

  start    start the local single-node broker (127.0.0.1:9092, data in .data/kafka)
  cluster  start a three-node KRaft cluster on loopback (127.0.0.1:9192-9194): see "Running at scale"
  stop     stop the broker and the cluster this machine started
  status   say whether KAFKA_BROKERS (or the local broker) answers
  ensure   start the local broker unless one answers, then print its address
`;

async function main(cmd) {
  switch (cmd) {
    case 'start':
      await startLocal(layout(), defaultLog);
      return 0;
    case 'ensure':
      process.stdout.write(`${await ensureKafka()}\n`);
      return 0;
    case 'cluster':
      process.stdout.write(`${await startKafkaCluster()}\n`);
      return 0;
    case 'stop':
      await stopKafka();
      await stopKafkaCluster();
      return 0;
    case 'status': {
      const brokers = process.env.KAFKA_BROKERS?.trim() || LOCAL_BROKERS;
      const ok = await isKafkaReachable(brokers);
      const pid = readPid(layout());
      const pidInfo = pid && isAlive(pid) ? ` (pid ${pid})` : '';
      process.stdout.write(ok ? `running: ${brokers}${pidInfo}\n` : `not reachable: ${brokers}${pidInfo}\n`);
      return ok ? 0 : 1;
    }
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(KAFKA_USAGE);
      return 0;
    default:
      process.stderr.write(KAFKA_USAGE);
      return 2;
  }
}

if (isMain()) {
  main(process.argv[2]).then(
    (code) => process.exit(code),
    (err) => {
      defaultLog(err?.message ?? String(err));
      process.exit(1);
    },
  );
}
