#!/usr/bin/env node
// Local single-node Apache Kafka (KRaft, combined broker+controller) on 127.0.0.1:9092.
// Jars come from Maven Central via Maven (infra/kafka/pom.xml); data/logs live in <repo>/.data/kafka.
//
//   node infra/kafka/kafka.mjs start|ensure|stop|status
//
// Module API:
//   ensureKafka({ log }?)        -> Promise<string>   brokers ("127.0.0.1:9092", or $KAFKA_BROKERS)
//   stopKafka({ log }?)          -> Promise<void>
//   isKafkaReachable(brokers?, { timeoutMs }?) -> Promise<boolean>
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
const DATA_DIR = join(REPO_ROOT, '.data', 'kafka');
const LOG_DIR = join(DATA_DIR, 'logs');
const POM = join(HERE, 'pom.xml');
const PROPS_TEMPLATE = join(HERE, 'server.properties');
const LOG4J2_CONFIG = join(HERE, 'log4j2.xml');
const PROPS_FILE = join(DATA_DIR, 'server.properties');
const CP_FILE = join(DATA_DIR, 'classpath.txt');
const CP_HASH_FILE = join(DATA_DIR, 'classpath.pom.sha256');
const CLUSTER_ID_FILE = join(DATA_DIR, 'cluster.id');
const META_PROPS = join(DATA_DIR, 'data', 'meta.properties');
const PID_FILE = join(DATA_DIR, 'kafka.pid');
const LOCK_DIR = join(DATA_DIR, 'start.lock');
const OUT_LOG = join(LOG_DIR, 'kafka.out');
const SERVER_LOG = join(LOG_DIR, 'server.log');

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

function readPid() {
  try {
    const pid = Number(readFileSync(PID_FILE, 'utf8').trim());
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
function failureHints(outFrom, serverFrom) {
  const out = readSince(OUT_LOG, outFrom).trim().split('\n').filter(Boolean).slice(-10);
  const errs = readSince(SERVER_LOG, serverFrom)
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

function jvmLoggingArgs() {
  return [`-Dlog4j2.configurationFile=${pathToFileURL(LOG4J2_CONFIG).href}`, `-Dkafka.logs.dir=${LOG_DIR}`];
}

// ---------------------------------------------------------------------------
// Start-lock (so parallel ensureKafka() callers don't start two brokers)
// ---------------------------------------------------------------------------

async function acquireLock(log) {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'owner'), String(process.pid));
      return true;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let owner = null;
    try {
      owner = Number(readFileSync(join(LOCK_DIR, 'owner'), 'utf8'));
    } catch {
      /* owner file not written yet */
    }
    const age = (() => {
      try {
        return Date.now() - statSync(LOCK_DIR).mtimeMs;
      } catch {
        return 0;
      }
    })();
    if ((owner && !isAlive(owner)) || (!owner && age > 10_000)) {
      rmSync(LOCK_DIR, { recursive: true, force: true });
      continue;
    }
    if (!announced) {
      log(`another process (pid ${owner ?? '?'}) is starting Kafka; waiting`);
      announced = true;
    }
    if (await isKafkaReachable(LOCAL_BROKERS, { timeoutMs: 1000 })) return false;
    if (Date.now() > deadline) throw new Error(`timed out waiting for start lock ${LOCK_DIR}`);
    await sleep(500);
  }
}

function releaseLock() {
  rmSync(LOCK_DIR, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------
// Classpath (Maven, cached by pom.xml hash)
// ---------------------------------------------------------------------------

async function resolveClasspath(log) {
  const pomHash = createHash('sha256').update(readFileSync(POM)).digest('hex');
  if (
    existsSync(CP_FILE) &&
    existsSync(CP_HASH_FILE) &&
    readFileSync(CP_HASH_FILE, 'utf8').trim() === pomHash
  ) {
    const cp = readFileSync(CP_FILE, 'utf8').trim();
    if (cp && cp.split(delimiter).every((jar) => existsSync(jar))) return cp;
  }
  log('resolving Kafka jars with Maven (cached after this)...');
  const t0 = Date.now();
  const tmp = `${CP_FILE}.tmp`;
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
  renameSync(tmp, CP_FILE);
  writeFileSync(CP_HASH_FILE, `${pomHash}\n`);
  log(`jars resolved in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return readFileSync(CP_FILE, 'utf8').trim();
}

// ---------------------------------------------------------------------------
// Config + storage format
// ---------------------------------------------------------------------------

function writeServerProperties() {
  const text = readFileSync(PROPS_TEMPLATE, 'utf8').replaceAll('@DATA_DIR@', DATA_DIR.replaceAll('\\', '/'));
  writeFileSync(PROPS_FILE, text);
}

function clusterId() {
  if (existsSync(CLUSTER_ID_FILE)) {
    const id = readFileSync(CLUSTER_ID_FILE, 'utf8').trim();
    if (id) return id;
  }
  // Same shape as `kafka-storage random-uuid`: 16 random bytes, base64url, no padding, not starting with '-'.
  let id;
  do id = randomBytes(16).toString('base64url');
  while (id.startsWith('-'));
  writeFileSync(CLUSTER_ID_FILE, `${id}\n`);
  return id;
}

async function formatStorageOnce(cp, log) {
  if (existsSync(META_PROPS)) return;
  const id = clusterId();
  log(`formatting storage (cluster id ${id})`);
  const { code, out } = await run(javaBin(), [
    ...jvmLoggingArgs(),
    '-cp',
    cp,
    'kafka.tools.StorageTool',
    'format',
    '--config',
    PROPS_FILE,
    '--cluster-id',
    id,
    '--ignore-formatted',
  ]);
  writeFileSync(join(LOG_DIR, 'format.log'), out);
  if (code !== 0) throw new Error(`kafka storage format failed (exit ${code}):\n${out.trim()}`);
}

// ---------------------------------------------------------------------------
// start / stop
// ---------------------------------------------------------------------------

function jvmArgs() {
  const heap = (process.env.KAFKA_HEAP_OPTS || '-Xms256m -Xmx1g').split(/\s+/).filter(Boolean);
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
    ...jvmLoggingArgs(),
    ...extra,
  ];
}

async function startLocal(log) {
  if (await isKafkaReachable(LOCAL_BROKERS)) {
    log(`already running on ${LOCAL_BROKERS}`);
    return LOCAL_BROKERS;
  }
  mkdirSync(LOG_DIR, { recursive: true });

  if (!(await acquireLock(log))) {
    log(`started by another process; reachable on ${LOCAL_BROKERS}`);
    return LOCAL_BROKERS;
  }
  try {
    // A broker we started earlier may still be booting (or a stale pid file may be left over).
    const oldPid = readPid();
    if (oldPid && isAlive(oldPid) && looksLikeOurBroker(oldPid)) {
      log(`broker pid ${oldPid} is running but not answering yet; waiting`);
      if (await waitReachable(LOCAL_BROKERS, START_TIMEOUT_MS, { isDead: () => !isAlive(oldPid) })) {
        log(`ready on ${LOCAL_BROKERS}`);
        return LOCAL_BROKERS;
      }
      throw new Error(`broker pid ${oldPid} did not become ready; see ${SERVER_LOG} and ${OUT_LOG}`);
    }
    rmSync(PID_FILE, { force: true });

    const t0 = Date.now();
    const cp = await resolveClasspath(log);
    writeServerProperties();
    await formatStorageOnce(cp, log);

    const outFrom = fileSize(OUT_LOG);
    const serverFrom = fileSize(SERVER_LOG);
    const outFd = openSync(OUT_LOG, 'a');
    writeFileSync(outFd, `\n===== ${new Date().toISOString()} starting kafka.Kafka =====\n`);
    let exited = null;
    let child;
    try {
      child = spawn(javaBin(), [...jvmArgs(), '-cp', cp, 'kafka.Kafka', PROPS_FILE], {
        cwd: DATA_DIR,
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
    writeFileSync(PID_FILE, `${child.pid}\n`);
    log(`started broker pid ${child.pid}; waiting for ${LOCAL_BROKERS} (logs: ${LOG_DIR})`);

    const ok = await waitReachable(LOCAL_BROKERS, START_TIMEOUT_MS, { isDead: () => exited !== null });
    if (!ok) {
      const why =
        exited !== null ? `exited (${exited})` : `did not answer within ${START_TIMEOUT_MS / 1000}s`;
      if (exited === null) await killPid(child.pid, () => {});
      rmSync(PID_FILE, { force: true });
      const hints = failureHints(outFrom, serverFrom);
      throw new Error(`Kafka broker ${why}. See ${SERVER_LOG} and ${OUT_LOG}${hints ? `\n${hints}` : ''}`);
    }
    log(`ready on ${LOCAL_BROKERS} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    return LOCAL_BROKERS;
  } finally {
    releaseLock();
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
  return startLocal(log);
}

/** Stop the broker started by this launcher (no-op if it is not running). */
export async function stopKafka({ log = defaultLog } = {}) {
  const pid = readPid();
  if (!pid || !isAlive(pid) || !looksLikeOurBroker(pid)) {
    rmSync(PID_FILE, { force: true });
    if (await isKafkaReachable(LOCAL_BROKERS)) {
      log(
        `not started by this launcher (no live pid file), but something answers on ${LOCAL_BROKERS}; leaving it alone`,
      );
    } else {
      log('not running');
    }
    return;
  }
  log(`stopping broker pid ${pid}`);
  await killPid(pid, log);
  rmSync(PID_FILE, { force: true });
  log('stopped');
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

async function main(cmd) {
  switch (cmd) {
    case 'start':
      await startLocal(defaultLog);
      return 0;
    case 'ensure':
      process.stdout.write(`${await ensureKafka()}\n`);
      return 0;
    case 'stop':
      await stopKafka();
      return 0;
    case 'status': {
      const brokers = process.env.KAFKA_BROKERS?.trim() || LOCAL_BROKERS;
      const ok = await isKafkaReachable(brokers);
      const pid = readPid();
      const pidInfo = pid && isAlive(pid) ? ` (pid ${pid})` : '';
      process.stdout.write(ok ? `running: ${brokers}${pidInfo}\n` : `not reachable: ${brokers}${pidInfo}\n`);
      return ok ? 0 : 1;
    }
    default:
      process.stderr.write('usage: node infra/kafka/kafka.mjs start|stop|status|ensure\n');
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
