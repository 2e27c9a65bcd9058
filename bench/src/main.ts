// `npm run bench`: measures Jigsaw on this machine against raw baselines on the same broker and database,
// in one run, and writes .data/bench/bench.{json,md,svg}. Targets are reported met or not, never asserted.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { repoRoot } from '@jigsaw/config';
import { toCloudEvent, type JigsawEnvelope } from '@jigsaw/envelope';
import { createPool, runMigrations, type Pool } from '@jigsaw/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { KafkaMessaging } from '@jigsaw/messaging';
import { appliedEventsMigrations, eventKeyOf, rebuild } from '@jigsaw/projection';
import {
  aNhsNumber,
  agencySystemToken,
  anIncidentNotification,
  METROPOLITAN_POLICE,
  practitionerToken,
  ServiceProcess,
} from '@jigsaw/testing';
import { chronologyProjection, viewMigrations } from '@jigsaw/view-model';
import { CpuMeter, pidsMatching, writtenBytesOf } from './cpu.js';
import { closedLoop, openLoop, type LoadResult } from './load.js';
import { hotspots } from './profile.js';
import { chart, writeReport, type BenchReport, type Target } from './report.js';
import { peakRssMb, percentiles, round, type Percentiles } from './stats.js';

/** `--quick`: the same measures on fewer events and a 200,000-event replay, in under five minutes. */
const QUICK = process.argv.includes('--quick');
const env = (name: string, full: number, quick: number): number =>
  Number(process.env[name] ?? (QUICK ? quick : full));
const SETTINGS = {
  mode: QUICK ? 'quick' : 'full',
  maxEvents: env('BENCH_EVENTS', 6000, 2000),
  ingestConcurrency: env('BENCH_CONCURRENCY', 64, 64),
  rate: env('BENCH_RATE', 300, 300),
  rateSeconds: env('BENCH_RATE_SECONDS', 10, 5),
  /** Batches a second offered in the batch visibility run, and events in each: 50 every 50 ms. */
  batchRate: env('BENCH_BATCH_RATE', 20, 20),
  batchRateSize: env('BENCH_BATCH_RATE_SIZE', 50, 50),
  querySeconds: env('BENCH_QUERY_SECONDS', 5, 3),
  replayEvents: env('BENCH_REPLAY_EVENTS', 1_000_000, 200_000),
  /** Transactions each replay batch applies in at once, split by child (1: one at a time). */
  replayLanes: env('BENCH_REPLAY_LANES', 2, 2),
  /** Events sent in each batch ingest run (one run with batches of 100, one with batches of 500). */
  batchEvents: env('BENCH_BATCH_EVENTS', 20_000, 5000),
  /** Batches in flight at once in the batch ingest runs. */
  batchConcurrency: env('BENCH_BATCH_CONCURRENCY', 4, 4),
  /**
   * Each service's V8 heap budget (--max-old-space-size, with 16 MB semi-spaces), as a deployment with a
   * 300 MB memory limit gives it: without one, V8 on a large machine lets garbage pile up before it collects.
   */
  serviceHeapMb: env('BENCH_SERVICE_HEAP_MB', 192, 192),
  /** Rows per transaction, and messages per Kafka batch, in the raw batched baselines. */
  baselineBatch: 500,
};
const log = (message: string): void => void process.stdout.write(`[bench] ${message}\n`);
const results: Record<string, unknown> = {};
const targets: Target[] = [];
let meter: CpuMeter | undefined;

/** CPU per unit of work, by process group, in milliseconds. */
function perUnit(used: Record<string, number>, units: number): Record<string, number> {
  const out: Record<string, number> = {};
  let total = 0;
  for (const [name, ms] of Object.entries(used)) {
    out[name] = round(ms / units, 3);
    total += ms;
  }
  out['total'] = round(total / units, 3);
  return out;
}

async function createBenchDatabase(serverUrl: string): Promise<string> {
  const name = `jigsaw_bench_${Date.now()}`;
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.end();
}

const policeHeaders = {
  'content-type': 'application/json',
  authorization: `Bearer ${agencySystemToken(METROPOLITAN_POLICE, { ttlSeconds: 4 * 3600 })}`,
};

let overloadRefusals = 0;
let connectionResets = 0;
/** Why POSTs failed: the HTTP status, or the client's error code. */
let failureReasons: Record<string, number> = {};
const failed = (reason: string): false => {
  failureReasons[reason] = (failureReasons[reason] ?? 0) + 1;
  return false;
};

/** POSTs an event, honouring 503 + Retry-After as a client should; true once it is accepted. */
async function post(police: ServiceProcess, event: JigsawEnvelope): Promise<boolean> {
  const payload = JSON.stringify(toCloudEvent(event));
  for (let attempt = 0; attempt < 60; attempt++) {
    let response: Response;
    try {
      response = await fetch(`${police.url}/v1/events`, {
        method: 'POST',
        headers: policeHeaders,
        body: payload,
      });
      await response.arrayBuffer();
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      // A connection reset or not made is tried again: ingest is idempotent by (source, id).
      if (code !== 'ECONNRESET' && code !== 'UND_ERR_CONNECT_TIMEOUT') return failed(code);
      connectionResets++;
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    if (response.status === 202) return true;
    if (response.status !== 503) return failed(`HTTP ${response.status}`);
    overloadRefusals++;
    const wait = Number(response.headers.get('retry-after') ?? 1);
    await new Promise((r) => setTimeout(r, wait * 1000));
  }
  return failed('still refused after 60 attempts');
}

/** POSTs a CloudEvents batch, honouring 503 + Retry-After; how many of its events were accepted or duplicates. */
async function postBatch(police: ServiceProcess, events: readonly JigsawEnvelope[]): Promise<number> {
  const payload = JSON.stringify(events.map(toCloudEvent));
  for (let attempt = 0; attempt < 60; attempt++) {
    let response: Response;
    try {
      response = await fetch(`${police.url}/v1/events`, {
        method: 'POST',
        headers: { ...policeHeaders, 'content-type': 'application/cloudevents-batch+json' },
        body: payload,
      });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      if (code !== 'ECONNRESET' && code !== 'UND_ERR_CONNECT_TIMEOUT') {
        failed(code);
        return 0;
      }
      connectionResets++;
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    if (response.status === 207) {
      const answer = (await response.json()) as { accepted: number; duplicates: number; refused: number };
      if (answer.refused > 0) failed(`refused in a batch`);
      return answer.accepted + answer.duplicates;
    }
    await response.arrayBuffer();
    if (response.status !== 503) {
      // What the service said about it (its log carries no personal data).
      if (response.status >= 500)
        log(`HTTP ${response.status}; police said: ${police.output.join('').slice(-1500)}`);
      failed(`HTTP ${response.status}`);
      return 0;
    }
    overloadRefusals++;
    const wait = Number(response.headers.get('retry-after') ?? 1);
    await new Promise((r) => setTimeout(r, wait * 1000));
  }
  failed('still refused after 60 attempts');
  return 0;
}

/**
 * Sends every item, `concurrency` at a time, with the failure counts and the CPU meter started afresh, and
 * waits until the view shows each of `events`: end to end is from the first send until the last is visible.
 */
async function ingestRun<T>(
  pool: Pool,
  events: readonly JigsawEnvelope[],
  items: readonly T[],
  concurrency: number,
  send: (item: T) => Promise<void>,
): Promise<
  Record<string, unknown> & { acceptedPerSecond: number; visiblePerSecond: number; visible: number }
> {
  let next = 0;
  overloadRefusals = 0;
  connectionResets = 0;
  failureReasons = {};
  meter?.begin();
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await send(items[next++]!);
    }),
  );
  const accepted = Date.now();
  const visible = await visibleTimes(pool, events);
  const last = Math.max(...visible.values());
  return {
    cpuPerEventMs: meter ? perUnit(meter.end(), events.length) : {},
    events: events.length,
    concurrency,
    failureReasons,
    refusedThenRetried: overloadRefusals,
    resetThenRetried: connectionResets,
    acceptedPerSecond: round((events.length * 1000) / (accepted - started)),
    visiblePerSecond: round((visible.size * 1000) / (last - started)),
    visible: visible.size,
  };
}

/**
 * Batch ingest: `batchEvents` events in CloudEvents batches of `size`, `batchConcurrency` batches in flight,
 * about 1,000 children with several events each; end to end is until the view shows every event.
 */
async function ingestBatches(police: ServiceProcess, pool: Pool, size: number): Promise<number> {
  const children = Array.from({ length: 1000 }, () => aNhsNumber());
  const events = Array.from({ length: SETTINGS.batchEvents }, (_, i) =>
    anIncidentNotification({ nhsNumber: children[(i * 7) % children.length]! }),
  );
  const batches: JigsawEnvelope[][] = [];
  for (let i = 0; i < events.length; i += size) batches.push(events.slice(i, i + size));
  let stored = 0;
  const run = await ingestRun(pool, events, batches, SETTINGS.batchConcurrency, async (batch) => {
    const recorded = await postBatch(police, batch);
    stored += recorded;
  });
  results[`batchIngest${size}`] = { ...run, batchSize: size, stored };
  log(`batch ingest, ${size} a batch: CPU per event (ms) ${JSON.stringify(run.cpuPerEventMs)}`);
  log(
    `batch ingest, ${size} a batch: ${run.acceptedPerSecond} events/s stored, ${run.visiblePerSecond} events/s ` +
      `end to end (${run.visible}/${events.length} visible, ${stored} stored; failures ${JSON.stringify(failureReasons)})`,
  );
  return run.visiblePerSecond;
}

/**
 * Waits until the view shows every event, and returns when each became visible, by id. Asks by the
 * chronology's key (its primary key) for those not seen yet, so that watching adds little to the load it
 * measures.
 */
async function visibleTimes(
  pool: Pool,
  events: readonly { source: string; id: string }[],
  timeoutMs = 120_000,
): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  const seen = new Map<string, number>();
  const idOfKey = new Map(events.map((e) => [eventKeyOf(e), e.id]));
  let waiting = [...idOfKey.keys()];
  for (;;) {
    const { rows } = await pool.query<{ key: string; at: Date }>(
      `SELECT event_key AS key, projected_at AS at FROM view.chronology WHERE event_key = ANY($1::text[])`,
      [waiting],
    );
    for (const row of rows) seen.set(idOfKey.get(row.key)!, row.at.getTime());
    const found = new Set(rows.map((r) => r.key));
    waiting = waiting.filter((key) => !found.has(key));
    if (waiting.length === 0 || Date.now() > deadline) return seen;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function ingestFlatOut(police: ServiceProcess, pool: Pool): Promise<number> {
  const children = Array.from({ length: 500 }, () => aNhsNumber());
  const events = Array.from({ length: SETTINGS.maxEvents }, (_, i) =>
    anIncidentNotification({ nhsNumber: children[i % children.length]! }),
  );
  let failures = 0;
  const run = await ingestRun(pool, events, events, SETTINGS.ingestConcurrency, async (event) => {
    if (!(await post(police, event))) failures++;
  });
  results['ingest'] = { ...run, failures };
  log(`ingest: CPU per event (ms) ${JSON.stringify(run.cpuPerEventMs)}`);
  log(
    `ingest: ${run.visiblePerSecond} events/s end to end (${run.visible}/${events.length} visible, ${failures} failed)`,
  );
  return run.visiblePerSecond;
}

/**
 * Sends at a steady `rate` a second for `rateSeconds`, whatever the answers do (open loop): each send
 * `perSend` new events about `children` children. Each event's visibility is from its send until the view
 * shows it. The failure counts start afresh.
 */
async function visibilityAtRate(
  pool: Pool,
  rate: number,
  perSend: number,
  children: number,
  send: (events: JigsawEnvelope[]) => Promise<boolean>,
): Promise<{ load: LoadResult; events: number; visible: number; visibilityMs: Percentiles }> {
  const nhsNumbers = Array.from({ length: children }, () => aNhsNumber());
  const sentAt = new Map<string, number>();
  const sent: JigsawEnvelope[] = [];
  let i = 0;
  overloadRefusals = 0;
  connectionResets = 0;
  failureReasons = {};
  const load = await openLoop(
    () => {
      const events = Array.from({ length: perSend }, () =>
        anIncidentNotification({ nhsNumber: nhsNumbers[i++ % nhsNumbers.length]! }),
      );
      const now = Date.now();
      for (const event of events) sentAt.set(event.id, now);
      sent.push(...events);
      return send(events);
    },
    rate,
    SETTINGS.rateSeconds,
  );
  const visible = await visibleTimes(pool, sent);
  const visibilityMs = percentiles([...visible].map(([id, at]) => at - sentAt.get(id)!));
  return { load, events: sent.length, visible: visible.size, visibilityMs };
}

async function ingestAtRate(police: ServiceProcess, pool: Pool): Promise<number> {
  const run = await visibilityAtRate(pool, SETTINGS.rate, 1, 200, ([event]) => post(police, event!));
  const p = run.visibilityMs;
  results['visibilityAtRate'] = {
    ratePerSecond: SETTINGS.rate,
    seconds: SETTINGS.rateSeconds,
    posted: run.load.requests,
    postFailures: run.load.failures,
    failureReasons,
    refusedThenRetried: overloadRefusals,
    resetThenRetried: connectionResets,
    postLatencyMs: run.load.latencyMs,
    visible: run.visible,
    visibilityMs: p,
  };
  log(`visibility at ${SETTINGS.rate}/s: p50 ${p.p50} ms, p95 ${p.p95} ms, p99 ${p.p99} ms`);
  return p.p99;
}

/** Visibility with CloudEvents batches offered at a steady rate: 50 every 50 ms, 1,000 events a second. */
async function batchesAtRate(police: ServiceProcess, pool: Pool): Promise<number> {
  const size = SETTINGS.batchRateSize;
  const run = await visibilityAtRate(
    pool,
    SETTINGS.batchRate,
    size,
    1000,
    async (batch) => (await postBatch(police, batch)) === batch.length,
  );
  const p = run.visibilityMs;
  const offered = SETTINGS.batchRate * size;
  results['visibilityAtBatchRate'] = {
    eventsPerSecond: offered,
    batchSize: size,
    seconds: SETTINGS.rateSeconds,
    batches: run.load.requests,
    batchFailures: run.load.failures,
    failureReasons,
    refusedThenRetried: overloadRefusals,
    resetThenRetried: connectionResets,
    batchLatencyMs: run.load.latencyMs,
    events: run.events,
    visible: run.visible,
    visibilityMs: p,
  };
  log(
    `visibility at ${offered}/s in batches of ${size}: p50 ${p.p50} ms, p95 ${p.p95} ms, ` +
      `p99 ${p.p99} ms (${run.visible}/${run.events} visible, ${run.load.failures} batches failed)`,
  );
  return p.p99;
}

async function kafkaBaseline(brokers: string, sample: string): Promise<number> {
  const messaging = new KafkaMessaging({ brokers, clientId: 'bench-baseline' });
  const topic = `jigsaw-bench-${randomUUID().slice(0, 8)}.raw`;
  await messaging.ensureTopics([topic]);
  const publisher = messaging.publisher();
  const consumer = messaging.consumer({ groupId: `${topic}.group`, topics: [topic] });
  let consumed = 0;
  let done: () => void = () => undefined;
  const allConsumed = new Promise<void>((resolve) => (done = resolve));
  const n = SETTINGS.maxEvents;
  await consumer.start(() => {
    if (++consumed >= n) done();
    return Promise.resolve();
  });
  const started = Date.now();
  for (let i = 0; i < n; i += SETTINGS.baselineBatch) {
    await publisher.publish(
      Array.from({ length: Math.min(SETTINGS.baselineBatch, n - i) }, (_, j) => ({
        topic,
        key: randomUUID(),
        value: sample.replace('"id":"', `"id":"${i + j}-`),
      })),
    );
  }
  await allConsumed;
  const perSecond = round((n * 1000) / (Date.now() - started));
  await Promise.all([consumer.stop(), publisher.close()]);
  results['baselineKafka'] = { messages: n, batch: SETTINGS.baselineBatch, perSecond };
  log(`baseline kafkajs produce+consume, ${SETTINGS.baselineBatch} a batch: ${perSecond} messages/s`);
  return perSecond;
}

async function postgresBaseline(pool: Pool, sample: string): Promise<number> {
  await pool.query('CREATE TABLE IF NOT EXISTS bench_raw (id text PRIMARY KEY, payload jsonb NOT NULL)');
  const n = SETTINGS.maxEvents;
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: SETTINGS.ingestConcurrency }, async () => {
      while (next < n) {
        const i = next++;
        await pool.query('INSERT INTO bench_raw (id, payload) VALUES ($1, $2)', [`raw-${i}`, sample]);
      }
    }),
  );
  const perSecond = round((n * 1000) / (Date.now() - started));
  results['baselinePostgres'] = { rows: n, perSecond };
  log(`baseline PostgreSQL single-row inserts: ${perSecond} rows/s`);
  return perSecond;
}

/** The same payloads as multi-row inserts, `baselineBatch` rows a transaction, from a few connections. */
async function postgresBatchedBaseline(pool: Pool, sample: string): Promise<number> {
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_raw_batched (id text PRIMARY KEY, payload jsonb NOT NULL)',
  );
  const n = Math.max(SETTINGS.maxEvents * 5, 10_000);
  const size = SETTINGS.baselineBatch;
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < n) {
        const from = next;
        next = Math.min(n, next + size);
        const rows = next - from;
        const values = Array.from({ length: rows }, (_, j) => `($${2 * j + 1}, $${2 * j + 2})`);
        const params = Array.from({ length: rows }, (_, j) => [`raw-${from + j}`, sample]).flat();
        await pool.query(`INSERT INTO bench_raw_batched (id, payload) VALUES ${values.join(', ')}`, params);
      }
    }),
  );
  const perSecond = round((n * 1000) / (Date.now() - started));
  results['baselinePostgresBatched'] = { rows: n, rowsPerTransaction: size, perSecond };
  log(`baseline PostgreSQL multi-row inserts, ${size} a transaction: ${perSecond} rows/s`);
  return perSecond;
}

/** A child with twenty records, visible in the view, and a token to read them with. */
async function aChildToRead(
  police: ServiceProcess,
  pool: Pool,
): Promise<{ nhsNumber: string; token: string }> {
  const nhsNumber = aNhsNumber();
  const events: JigsawEnvelope[] = [];
  for (let i = 0; i < 20; i++) {
    const event = anIncidentNotification({ nhsNumber });
    events.push(event);
    await post(police, event);
  }
  await visibleTimes(pool, events);
  // An officer of the force that recorded them: a legitimate relationship (the owner's), so the reads pass
  // the gate and measure the view, not the refusal.
  const token = practitionerToken(
    {
      sub: 'bench-police-officer',
      agency: 'police',
      organisation: METROPOLITAN_POLICE,
      role: 'police-officer',
      purposes: ['safeguarding'],
    },
    { ttlSeconds: 4 * 3600 },
  );
  return { nhsNumber, token };
}

/** One query endpoint at increasing concurrency, then at 200 requests a second; every read is recorded. */
async function queryLoad(name: string, url: string, token: string, pool: Pool): Promise<number | undefined> {
  let reads = 0;
  const read = async (): Promise<boolean> => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (response.status === 200) reads++;
    return response.status === 200;
  };
  let ready = false;
  for (let i = 0; i < 20 && !(ready = await read()); i++) await new Promise((r) => setTimeout(r, 250));
  if (!ready) {
    log(`${name}: the endpoint does not answer 200; skipped`);
    results[`query ${name}`] = { skipped: 'the endpoint does not answer 200' };
    return undefined;
  }
  const recordedBefore = await accessEvents(pool);
  reads = 0;
  const levels: Record<string, unknown> = {};
  // What each process uses doing nothing (pollers, heartbeats), to take out of the closed loops' CPU per read.
  meter?.begin();
  await new Promise((r) => setTimeout(r, SETTINGS.querySeconds * 1000));
  const idle = meter?.end() ?? {};
  for (const concurrency of [1, 8, 32]) {
    meter?.begin();
    const r = await closedLoop(read, concurrency, SETTINGS.querySeconds);
    // Also per read here, net of idle use: on a busy machine a closed loop's rate falls and the idle use
    // spread over fewer reads would otherwise swamp the comparison between runs.
    const used = meter?.end() ?? {};
    const net = Object.fromEntries(
      Object.entries(used).map(([name, ms]) => [name, Math.max(0, ms - (idle[name] ?? 0))]),
    );
    const cpuPerReadMs = meter ? perUnit(net, Math.max(1, r.requests)) : {};
    levels[`concurrency${concurrency}`] = {
      perSecond: round(r.perSecond),
      failures: r.failures,
      latencyMs: r.latencyMs,
      cpuPerReadNetOfIdleMs: cpuPerReadMs,
    };
    log(
      `${name} at concurrency ${concurrency}: ${round(r.perSecond)} req/s, p99 ${round(r.latencyMs.p99)} ms, ` +
        `CPU per read net of idle (ms) ${JSON.stringify(cpuPerReadMs)}`,
    );
  }
  meter?.begin();
  const at200 = await openLoop(read, 200, SETTINGS.querySeconds);
  const cpuPerReadMs = meter ? perUnit(meter.end(), Math.max(1, at200.requests)) : {};
  const recordedAfter = await accessEvents(pool);
  results[`query ${name}`] = {
    ...levels,
    at200PerSecond: { failures: at200.failures, latencyMs: at200.latencyMs, cpuPerReadMs },
    readsRecorded: recordedAfter - recordedBefore,
    readsServed: reads,
  };
  log(`${name} at 200 req/s: p50 ${round(at200.latencyMs.p50)} ms, p99 ${round(at200.latencyMs.p99)} ms`);
  log(`${name}: CPU per read (ms) ${JSON.stringify(cpuPerReadMs)}`);
  return at200.latencyMs.p99;
}

async function accessEvents(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM event_store.events WHERE type = 'hub.record-accessed'",
  );
  return rows[0]?.n ?? 0;
}

/** The chronology's size: its stored event's average bytes, and its heap, TOAST and indexes per row. */
async function chronologySize(pool: Pool, schema: string): Promise<Record<string, number>> {
  const table = `"${schema}".chronology`;
  const { rows } = await pool.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM ${table}) AS rows,
            (SELECT avg(pg_column_size(event)) FROM ${table}) AS event,
            pg_relation_size(c.oid) AS heap,
            coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0) AS toast,
            pg_indexes_size(c.oid) AS indexes
     FROM pg_class c WHERE c.oid = $1::regclass`,
    [table],
  );
  const row = rows[0]!;
  const n = Math.max(1, Number(row['rows']));
  return {
    rows: Number(row['rows']),
    eventBytes: Math.round(Number(row['event'] ?? 0)),
    heapBytesPerRow: Math.round(Number(row['heap']) / n),
    toastBytesPerRow: Math.round(Number(row['toast']) / n),
    indexBytesPerRow: Math.round(Number(row['indexes']) / n),
  };
}

async function replay(serverUrl: string, sample: string): Promise<number> {
  const url = await createBenchDatabase(serverUrl);
  const pool = createPool(url, { max: 4, name: 'bench-replay' });
  try {
    await runMigrations(pool, [
      EVENT_STORE_MIGRATIONS,
      appliedEventsMigrations('replay'),
      viewMigrations('replay'),
    ]);
    const n = SETTINGS.replayEvents;
    log(`replay: writing ${n} events to a fresh store`);
    // 20 events per child, one stream each; ids and child ids vary, the rest is a real event.
    for (let from = 0; from < n; from += 100_000) {
      const to = Math.min(n, from + 100_000) - 1;
      await pool.query(
        `INSERT INTO event_store.events (stream_id, stream_position, source, id, type, payload, content_hash)
         SELECT 'police-' || c.child, (g % 20) + 1, p->>'source', 'replay-' || g, p->>'type',
                jsonb_set(jsonb_set(p, '{id}', to_jsonb('replay-' || g)), '{childid}', to_jsonb(c.child)), md5(g::text)
         FROM generate_series($2::int, $3::int) AS g,
              LATERAL (SELECT md5((g / 20)::text)::uuid::text AS child) AS c,
              (SELECT $1::jsonb AS p) AS t`,
        [sample, from, to],
      );
    }
    const store = new PostgresEventStore(pool);
    const database = new URL(url).pathname.slice(1);
    const groups = {
      postgres: () =>
        pidsMatching(
          new RegExp(`^postgres: (?:\\S+: )?(\\S+ ${database} |walwriter|checkpointer|background writer)`),
        ),
      'bench client': () => [process.pid],
    };
    const replayMeter = new CpuMeter(groups);
    // The server's WAL writer, checkpointer and background writer serve every database: shared, so noisy.
    const writeMeter = new CpuMeter({ postgres: groups.postgres }, writtenBytesOf);
    replayMeter.begin();
    writeMeter.begin();
    const result = await rebuild(pool, store, 'replay', [chronologyProjection], {
      batchSize: 5000,
      lanes: SETTINGS.replayLanes,
      onProgress: (p) => {
        if (p.events % 100_000 === 0) log(`replay: ${p.events} events, ${p.perSecond}/s`);
      },
    });
    const cpuPerEventMs = perUnit(replayMeter.end(), Math.max(1, result.events));
    const writtenBytesPerEvent = Math.round((writeMeter.end()['postgres'] ?? 0) / Math.max(1, result.events));
    const chronology = await chronologySize(pool, 'replay');
    results['replay'] = {
      events: result.events,
      seconds: round(result.elapsedMs / 1000),
      perSecond: result.perSecond,
      lanes: SETTINGS.replayLanes,
      cpuPerEventMs,
      writtenBytesPerEvent,
      chronology,
    };
    log(`replay: ${result.events} events at ${result.perSecond} events/s, ${SETTINGS.replayLanes} lane(s)`);
    log(`replay: CPU per event (ms) ${JSON.stringify(cpuPerEventMs)}`);
    log(
      `replay: PostgreSQL wrote ${writtenBytesPerEvent} bytes an event; chronology ${JSON.stringify(chronology)}`,
    );
    return result.perSecond;
  } finally {
    await pool.end();
    await dropDatabase(url);
  }
}

/** `--replay-only`: just the replay, to measure a change to the projections or the rebuild. */
async function replayOnly(): Promise<void> {
  const { ensurePostgres } = (await import(
    pathToFileURL(join(repoRoot(), 'infra/postgres.mjs')).href
  )) as typeof import('../../infra/postgres.mjs');
  const serverUrl = await ensurePostgres({ database: 'jigsaw_bench' });
  const sample = JSON.stringify({
    ...anIncidentNotification(),
    childid: randomUUID(),
    recordedtime: new Date().toISOString(),
  });
  await replay(serverUrl, sample);
}

interface Bench {
  brokers: string;
  serverUrl: string;
  databaseUrl: string;
  police: ServiceProcess;
  view: ServiceProcess;
  pool: Pool;
  sample: string;
}

/** Kafka, a fresh database, police and the view (profiled into `profileDir`), and the CPU meter. */
async function setUp(profileDir: string): Promise<Bench> {
  // The launchers live in infra/ beside the sources, wherever this file was built to.
  const { ensureKafka } = (await import(
    pathToFileURL(join(repoRoot(), 'infra/kafka/kafka.mjs')).href
  )) as typeof import('../../infra/kafka/kafka.mjs');
  const { ensurePostgres } = (await import(
    pathToFileURL(join(repoRoot(), 'infra/postgres.mjs')).href
  )) as typeof import('../../infra/postgres.mjs');
  const [brokers, serverUrl] = await Promise.all([
    ensureKafka(),
    ensurePostgres({ database: 'jigsaw_bench' }),
  ]);
  const databaseUrl = await createBenchDatabase(serverUrl);
  const serviceEnv = {
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: `jigsaw-bench-${Date.now()}.`,
    LOG_LEVEL: 'warn',
  };
  const profiling = [
    '--cpu-prof',
    `--cpu-prof-dir=${profileDir}`,
    `--max-old-space-size=${SETTINGS.serviceHeapMb}`,
    '--max-semi-space-size=16',
  ];
  const [police, view] = await Promise.all([
    ServiceProcess.start('police', serviceEnv, profiling),
    ServiceProcess.start('safeguarding-view', serviceEnv, profiling),
  ]);
  const pool = createPool(databaseUrl, { max: SETTINGS.ingestConcurrency, name: 'bench' });
  const database = new URL(databaseUrl).pathname.slice(1);
  meter = new CpuMeter({
    police: () => (police.pid ? [police.pid] : []),
    'safeguarding-view': () => (view.pid ? [view.pid] : []),
    // This run's backends, and the server's own writers (WAL, checkpoints), which every commit costs.
    postgres: () =>
      pidsMatching(
        new RegExp(
          `^postgres: (?:\\S+: )?(\\S+ ${database} |walwriter|checkpointer|background writer|autovacuum)`,
        ),
      ),
    kafka: () => pidsMatching(/kafka\.Kafka/),
    'bench client': () => [process.pid],
  });
  const sample = JSON.stringify({
    ...anIncidentNotification(),
    childid: randomUUID(),
    recordedtime: new Date().toISOString(),
  });
  return { brokers, serverUrl, databaseUrl, police, view, pool, sample };
}

/** `--batch-only`: just the batch ingest runs and the raw batched baseline they are compared with. */
async function batchOnly(): Promise<void> {
  const profileDir = join(repoRoot(), '.data/bench/profiles-batch');
  await rm(profileDir, { recursive: true, force: true });
  await mkdir(profileDir, { recursive: true });
  const { police, view, pool, databaseUrl, sample } = await setUp(profileDir);
  try {
    const rates = [await ingestBatches(police, pool, 100), await ingestBatches(police, pool, 500)];
    await batchesAtRate(police, pool);
    const postgresBatched = await postgresBatchedBaseline(pool, sample);
    const [of100, of500] = rates.map((r) => round(r / postgresBatched, 3));
    log(`batch ingest, of raw batched PostgreSQL: ${of100} (100 a batch), ${of500} (500 a batch)`);
    log(`peak RSS: police ${await peakRssMb(police.pid)} MB, view ${await peakRssMb(view.pid)} MB`);
  } finally {
    await Promise.all([police.stop(), view.stop()]);
    await pool.end();
    await dropDatabase(databaseUrl);
  }
}

/** `--reads-only`: just the child view and chronology under load, and where the view's time goes. */
async function readsOnly(): Promise<void> {
  const profileDir = join(repoRoot(), '.data/bench/profiles-reads');
  await rm(profileDir, { recursive: true, force: true });
  await mkdir(profileDir, { recursive: true });
  const { police, view, pool, databaseUrl } = await setUp(profileDir);
  try {
    const reader = await aChildToRead(police, pool);
    const childUrl = `${view.url}/v1/children/${reader.nhsNumber}`;
    await queryLoad('child view', `${childUrl}/view?purpose=safeguarding`, reader.token, pool);
    await queryLoad('chronology', `${childUrl}/chronology?purpose=safeguarding`, reader.token, pool);
  } finally {
    await Promise.all([police.stop(), view.stop()]);
    await pool.end();
    await dropDatabase(databaseUrl);
  }
  for (const h of await hotspots(profileDir, 30)) log(`${h.selfPercent}% ${h.where}`);
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const resultsDir = join(repoRoot(), '.data/bench');
  const profileDir = join(resultsDir, 'profiles');
  await rm(profileDir, { recursive: true, force: true });
  await mkdir(profileDir, { recursive: true });
  const { brokers, serverUrl, databaseUrl, police, view, pool, sample } = await setUp(profileDir);
  try {
    const ingest = await ingestFlatOut(police, pool);
    const visibilityP99 = await ingestAtRate(police, pool);
    const batch100 = await ingestBatches(police, pool, 100);
    const batch500 = await ingestBatches(police, pool, 500);
    const batchVisibilityP99 = await batchesAtRate(police, pool);
    const kafka = await kafkaBaseline(brokers, sample);
    const postgres = await postgresBaseline(pool, sample);
    const postgresBatched = await postgresBatchedBaseline(pool, sample);
    results['ratios'] = {
      ofKafkaBaseline: round(ingest / kafka, 3),
      ofPostgresBaseline: round(ingest / postgres, 3),
      ofPostgresBatchedBaseline: round(ingest / postgresBatched, 3),
      batch100OfPostgresBatchedBaseline: round(batch100 / postgresBatched, 3),
      batch500OfPostgresBatchedBaseline: round(batch500 / postgresBatched, 3),
    };
    const reader = await aChildToRead(police, pool);
    const childUrl = `${view.url}/v1/children/${reader.nhsNumber}`;
    const viewP99 = await queryLoad(
      'child view',
      `${childUrl}/view?purpose=safeguarding`,
      reader.token,
      pool,
    );
    const queryP99 =
      (await queryLoad('chronology', `${childUrl}/chronology?purpose=safeguarding`, reader.token, pool)) ??
      NaN;
    results['peakMemoryMb'] = {
      police: await peakRssMb(police.pid),
      'safeguarding-view': await peakRssMb(view.pid),
    };
    await Promise.all([police.stop(), view.stop()]);
    const replayRate = await replay(serverUrl, sample);

    const ingestCpu = (results['ingest'] as { cpuPerEventMs: Record<string, number> }).cpuPerEventMs;
    const peak = results['peakMemoryMb'] as Record<string, number | undefined>;
    const peakMax = Math.max(...Object.values(peak).map((mb) => mb ?? Infinity));
    const ofPostgres = round(ingest / postgres, 3);
    const batchBest = Math.max(batch100, batch500);
    const batchOfBaseline = round(batchBest / postgresBatched, 3);
    targets.push(
      {
        name: 'batch ingest end to end (best of batches of 100 and 500)',
        target: '>= 5000 events/s',
        measured: `${batchBest} events/s (100 a batch ${batch100}, 500 a batch ${batch500})`,
        met: batchBest >= 5000,
      },
      {
        name: 'batch ingest, of raw batched PostgreSQL',
        target: '>= 0.5',
        measured: `${batchOfBaseline} (${batchBest} events/s of ${postgresBatched} rows/s)`,
        met: batchOfBaseline >= 0.5,
      },
      {
        name: 'single-event POSTs, CPU per event, all processes',
        target: '<= 2.5 ms',
        measured: `${ingestCpu['total']} ms`,
        met: (ingestCpu['total'] ?? Infinity) <= 2.5,
      },
      {
        name: 'single-event POSTs, of raw single-row PostgreSQL',
        target: '>= 0.2',
        measured: `${ofPostgres} (${ingest} events/s of ${postgres} rows/s)`,
        met: ofPostgres >= 0.2,
      },
      {
        name: `visibility p99 at ${SETTINGS.rate}/s, single POSTs`,
        target: '< 1000 ms',
        measured: `${visibilityP99} ms`,
        met: visibilityP99 < 1000,
      },
      {
        name: `visibility p99 at ${SETTINGS.batchRate * SETTINGS.batchRateSize}/s, batches of ${SETTINGS.batchRateSize}`,
        target: '< 1000 ms',
        measured: `${batchVisibilityP99} ms`,
        met: batchVisibilityP99 < 1000,
      },
      {
        name: 'child view p99 at 200 req/s',
        target: '< 25 ms',
        measured: viewP99 === undefined ? 'not measured (no view endpoint)' : `${round(viewP99)} ms`,
        met: viewP99 !== undefined && viewP99 < 25,
      },
      {
        name: 'chronology p99 at 200 req/s',
        target: '< 25 ms',
        measured: Number.isNaN(queryP99) ? 'not measured' : `${round(queryP99)} ms`,
        met: queryP99 < 25,
      },
      {
        name: `replay of ${SETTINGS.replayEvents} events`,
        target: '>= 20000 events/s',
        measured: `${replayRate} events/s`,
        met: replayRate >= 20000,
      },
      {
        name: 'peak RSS per service',
        target: '<= 300 MB',
        measured: Object.entries(peak)
          .map(([name, mb]) => `${name} ${mb ?? '?'} MB`)
          .join(', '),
        met: peakMax <= 300,
      },
    );
    const report: BenchReport = {
      startedAt,
      machine: { cpus: cpus().length, memoryGb: round(totalmem() / 2 ** 30), node: process.version },
      results: { settings: SETTINGS, ...results },
      targets,
      hotspots: targets.some((t) => !t.met)
        ? { 'police and safeguarding-view': await hotspots(profileDir) }
        : {},
    };
    const visibility = results['visibilityAtRate'] as { visibilityMs: { p50: number; p99: number } };
    const svg = chart(
      [
        ['Jigsaw end to end', ingest],
        ['Jigsaw batches of 500', batch500],
        ['raw kafkajs', kafka],
        ['raw PostgreSQL inserts', postgres],
        [`raw PostgreSQL, ${SETTINGS.baselineBatch} a txn`, postgresBatched],
        ['replay', replayRate],
      ],
      [
        ['visibility p50', visibility.visibilityMs.p50],
        ['visibility p99', visibility.visibilityMs.p99],
        ['child view p99 @200/s', round(viewP99 ?? 0)],
        ['chronology p99 @200/s', round(queryP99)],
      ],
    );
    const files = await writeReport(resultsDir, report, svg);
    for (const t of targets)
      log(`${t.met ? 'met    ' : 'NOT MET'} ${t.name}: ${t.measured} (target ${t.target})`);
    log(`written: ${files.join(', ')}`);
  } finally {
    await Promise.all([police.stop(), view.stop()]);
    await pool.end();
    await dropDatabase(databaseUrl);
  }
}

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(
    [
      'usage: npm run bench [-- --quick]',
      '',
      'Measures the hub on this machine against raw baselines; writes .data/bench/bench.{json,md,svg}.',
      '  --quick        the same measures on fewer events and a 200,000-event replay (under five minutes)',
      '  --replay-only  only the replay (BENCH_REPLAY_EVENTS events); prints, writes no report',
      '  --batch-only   only the batch ingest runs (100 and 500 a batch) and the raw batched baseline;',
      '                 prints, writes no report',
      '  --reads-only   only the child view and chronology under load, with where the CPU went;',
      '                 prints, writes no report',
      'Environment (defaults, full / quick):',
      '  BENCH_EVENTS (6000 / 2000), BENCH_CONCURRENCY (64), BENCH_RATE (300), BENCH_RATE_SECONDS (10 / 5),',
      '  BENCH_QUERY_SECONDS (5 / 3), BENCH_REPLAY_EVENTS (1000000 / 200000), BENCH_SERVICE_HEAP_MB (192),',
      '  BENCH_BATCH_EVENTS (20000 / 5000), BENCH_BATCH_CONCURRENCY (4);',
      '  KAFKA_BROKERS, DATABASE_URL',
      '',
    ].join('\n'),
  );
} else if (process.argv.includes('--replay-only')) {
  await replayOnly();
} else if (process.argv.includes('--batch-only')) {
  await batchOnly();
} else if (process.argv.includes('--reads-only')) {
  await readsOnly();
} else {
  await main();
}
