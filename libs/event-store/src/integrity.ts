import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from '@jigsaw/database';

/**
 * Tamper evidence for the PostgreSQL event store (migration 010).
 *
 * Each event stores `prev_hash` (the chain hash of the event before it in its stream, '' for the first)
 * and `chain_hash = sha256(prev_hash, digest)`, where the digest covers the stream id, the content hash,
 * the recording time and the stored event. The check recomputes every hash in SQL and follows the links here:
 * - an event whose content no longer matches its hash was altered;
 * - a missing position, or a stream shorter than its recorded version, is a removal;
 * - an event whose link names an event at another position was moved (reordered);
 * - an event beyond its stream's version, without a chain hash, in a stream the store never created, or
 *   branching off an event that already has a successor, was inserted.
 * - the head hash event_store.streams keeps must be the chain hash of the stream's last event.
 * Seals (`sealIntegrity`) record every stream's head now and then, folded into a digest chained to the
 * previous seal's, so a stream deleted whole (with its row in event_store.streams) is still found.
 *
 * Everything here lives in the same database an attacker would edit: a careful one can rewrite a stream
 * and recompute its hashes. Keep each seal's digest somewhere else (a ticket, a signed log) and pass it
 * back as an anchor; then rewriting anything sealed is found too.
 */

export type IntegrityProblemKind = 'altered' | 'removed' | 'reordered' | 'inserted';

export interface IntegrityProblem {
  /** The stream, or `event_store.seals` / `event_store.sealed_heads` for the seals themselves. */
  streamId: string;
  position?: number;
  kind: IntegrityProblemKind;
  detail: string;
}

export interface IntegrityReport {
  ok: boolean;
  eventsChecked: number;
  streamsChecked: number;
  problems: IntegrityProblem[];
  /** Problems found beyond `maxProblems`, counted but not listed. */
  problemsOmitted?: number;
  /** The latest seal, whose digest vouches for every stream head it recorded. */
  seal?: SealSummary;
}

export interface SealSummary {
  seal: number;
  digest: string;
  sealedAt: string;
  streams: number;
}

export interface VerifyOptions {
  /** Rows fetched from the cursor at a time. */
  batchSize?: number;
  /** Stop listing problems after this many (they are still counted). Default 10 000. */
  maxProblems?: number;
  /** Seal digests kept outside the database: each must still be in the chain of seals, unchanged. */
  anchors?: readonly { seal: number; digest: string }[];
  onProgress?: (progress: { eventsChecked: number; streamsChecked: number }) => void;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const MOD = 1n << 256n;

function headTerm(streamId: string, version: number | string, headHash: string): bigint {
  return BigInt(`0x${sha256(`${streamId}\n${version}\n${headHash}`)}`);
}

const toHex = (n: bigint): string => n.toString(16).padStart(64, '0');

function sealDigest(
  prevDigest: string,
  seal: number,
  sealedAt: string,
  streams: number,
  headsSum: string,
): string {
  return sha256(`${prevDigest}\n${seal}\n${sealedAt}\n${streams}\n${headsSum}`);
}

interface SealRow {
  seal: string;
  sealed_at: Date;
  streams: string;
  heads_sum: string;
  prev_digest: string;
  digest: string;
}

interface EventCheckRow {
  stream_id: string;
  stream_position: string;
  txid: string;
  global_position: string;
  prev_hash: string | null;
  chain_hash: string | null;
  hash_matches: boolean | null;
  columns_match: boolean;
  stream_version: string | null;
  stream_head: string | null;
  sealed_version: string | null;
  sealed_hash: string | null;
}

interface HeadlessRow {
  stream_id: string;
  stream_version: string | null;
  sealed_version: string | null;
  sealed_hash: string | null;
}

interface Row {
  position: number;
  txid: bigint;
  globalPosition: bigint;
  prevHash: string | null;
  chainHash: string | null;
  /** Whether the chain hash is still sha256(prev_hash, digest of the content): computed in SQL. */
  hashMatches: boolean;
  columnsMatch: boolean;
}

interface StreamFacts {
  streamId: string;
  version: number | undefined;
  /** The head hash event_store.streams records for it. */
  head: string | undefined;
  sealedVersion: number | undefined;
  sealedHash: string | undefined;
}

const EVENTS_QUERY = `
  SELECT e.stream_id, e.stream_position, e.transaction_id::text AS txid, e.global_position,
         e.prev_hash, e.chain_hash,
         e.chain_hash = event_store.chain_hash(e.prev_hash,
           event_store.event_digest(e.stream_id, e.payload, e.content_hash, e.recorded_at)) AS hash_matches,
         (e.source IS NOT DISTINCT FROM e.payload->>'source' AND e.id IS NOT DISTINCT FROM e.payload->>'id'
           AND e.type IS NOT DISTINCT FROM e.payload->>'type') AS columns_match,
         s.version AS stream_version, s.head_hash AS stream_head, h.version AS sealed_version,
         h.head_hash AS sealed_hash
  FROM event_store.events e
  LEFT JOIN event_store.streams s ON s.stream_id = e.stream_id
  LEFT JOIN event_store.sealed_heads h ON h.stream_id = e.stream_id
  ORDER BY e.stream_id, e.stream_position`;

/** Streams recorded or sealed that have no events left at all. */
const HEADLESS_QUERY = `
  SELECT s.stream_id, s.version AS stream_version, h.version AS sealed_version, h.head_hash AS sealed_hash
  FROM event_store.streams s LEFT JOIN event_store.sealed_heads h ON h.stream_id = s.stream_id
  WHERE NOT EXISTS (SELECT 1 FROM event_store.events e WHERE e.stream_id = s.stream_id)
  UNION ALL
  SELECT h.stream_id, NULL, h.version, h.head_hash
  FROM event_store.sealed_heads h
  WHERE NOT EXISTS (SELECT 1 FROM event_store.streams s WHERE s.stream_id = h.stream_id)
    AND NOT EXISTS (SELECT 1 FROM event_store.events e WHERE e.stream_id = h.stream_id)`;

async function* cursor<T>(
  client: PoolClient,
  name: string,
  sql: string,
  batchSize: number,
): AsyncGenerator<T[]> {
  await client.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`);
  try {
    for (;;) {
      const { rows } = await client.query<T & object>(`FETCH ${batchSize} FROM ${name}`);
      if (rows.length === 0) return;
      yield rows;
    }
  } finally {
    await client.query(`CLOSE ${name}`);
  }
}

const optionalNumber = (value: string | null): number | undefined =>
  value === null ? undefined : Number(value);

class ProblemList {
  readonly listed: IntegrityProblem[] = [];
  omitted = 0;
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  add(problem: IntegrityProblem): void {
    const key = `${problem.streamId}\n${problem.position ?? ''}\n${problem.kind}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (this.listed.length < this.max) this.listed.push(problem);
    else this.omitted++;
  }
}

const earlier = (a: Row, b: Row): boolean =>
  a.txid < b.txid || (a.txid === b.txid && a.globalPosition < b.globalPosition);

/** Everything wrong with one stream's events, against its recorded version and its sealed head. */
function checkStream(facts: StreamFacts, rows: readonly Row[], problems: ProblemList): void {
  const { streamId, version, sealedVersion, sealedHash } = facts;
  const add = (kind: IntegrityProblemKind, detail: string, position?: number): void =>
    problems.add({ streamId, ...(position !== undefined ? { position } : {}), kind, detail });

  const byHash = new Map<string, Row>();
  const successors = new Map<string, Row[]>();
  for (const row of rows) {
    if (row.chainHash !== null && !byHash.has(row.chainHash)) byHash.set(row.chainHash, row);
    if (row.prevHash !== null) {
      const list = successors.get(row.prevHash) ?? [];
      list.push(row);
      successors.set(row.prevHash, list);
    }
  }
  const referenced = (row: Row): boolean => row.chainHash !== null && successors.has(row.chainHash);

  const lastPosition = rows.length > 0 ? rows[rows.length - 1]!.position : 0;
  const upper = Math.max(version ?? 0, sealedVersion ?? 0);
  const byPosition = new Map(rows.map((row) => [row.position, row]));

  // Each event on its own: is it what was written, where it is allowed to be?
  const intact = new Set<Row>();
  for (const row of rows) {
    const { position } = row;
    if (row.chainHash === null || row.prevHash === null) {
      add('inserted', 'has no chain hash: the store did not write it', position);
    } else if (version !== undefined && position > version) {
      add('inserted', `lies beyond the stream's recorded version ${version}`, position);
    } else if (!row.columnsMatch) {
      add('altered', 'its source, id or type columns no longer match the stored event', position);
    } else if (!row.hashMatches) {
      const following = byPosition.get(position + 1);
      // Positions are written in order, so an unlinked event written after the one following it was put there.
      if (!referenced(row) && following && earlier(following, row)) {
        add(
          'inserted',
          'was written after the event that follows it, and does not match its chain hash',
          position,
        );
      } else {
        add('altered', 'its content no longer matches its chain hash', position);
      }
    } else {
      intact.add(row);
    }
  }

  // The chain's own order. Where two events link to the same predecessor, the one written first is the
  // original and the other was inserted.
  const next = new Map<string, Row>();
  for (const [prev, list] of successors) {
    const original = list.reduce((a, b) => (earlier(b, a) ? b : a));
    next.set(prev, original);
    for (const other of list) {
      if (other !== original && intact.has(other)) {
        add('inserted', 'links to an event that already has a successor', other.position);
      }
    }
  }

  // Removals: missing positions up to what the store and the seal vouch for.
  let runStart: number | undefined;
  for (let position = 1; position <= upper + 1; position++) {
    const missing = position <= upper && !byPosition.has(position);
    if (missing && runStart === undefined) runStart = position;
    if (!missing && runStart !== undefined) {
      const end = position - 1;
      const what =
        runStart === end ? `the event at position ${runStart} is` : `positions ${runStart} to ${end} are`;
      const beyond = end > lastPosition ? ` (recorded version ${upper})` : '';
      add('removed', `${what} missing${beyond}`, runStart);
      runStart = undefined;
    }
  }

  // Walk each chain from its start, comparing where each event stands with where its links put it.
  const visited = new Set<Row>();
  const walk = (start: Row, expectedStart: number): void => {
    let row: Row | undefined = start;
    let expected = expectedStart;
    let previousOffset = 0;
    while (row && !visited.has(row)) {
      visited.add(row);
      const offset = row.position - expected;
      if (offset !== 0 && offset !== previousOffset) {
        add('reordered', `was recorded at position ${expected}`, row.position);
      }
      previousOffset = offset;
      expected++;
      row = row.chainHash === null ? undefined : next.get(row.chainHash);
    }
  };
  const genesis = next.get('');
  if (genesis) walk(genesis, 1);
  for (const row of rows) {
    if (visited.has(row) || row.prevHash === null || row.prevHash === '' || byHash.has(row.prevHash))
      continue;
    // Its predecessor is gone. A gap just before it says so already; otherwise either the event before it
    // was rewritten, or one was removed and the rest renumbered (which leaves the stream short).
    const before = byPosition.get(row.position - 1);
    if (before && intact.has(row)) {
      if (upper > lastPosition) {
        add(
          'removed',
          'the event it was chained to is missing, and the events after it were renumbered',
          row.position,
        );
      } else {
        add(
          'altered',
          'was rewritten: the event after it links to an event that is no longer there',
          before.position,
        );
      }
    }
    walk(row, row.position);
  }

  if (version === undefined && rows.length > 0) {
    if (genesis) add('removed', 'its record in event_store.streams is missing');
    else add('inserted', 'the store never created this stream');
  }

  // The head the stream's record keeps must be its last event's; a seal beyond it already said what is missing.
  const last = version === undefined ? undefined : byPosition.get(version);
  if (last && intact.has(last) && facts.head !== undefined && last.chainHash !== facts.head) {
    if (sealedVersion === undefined || sealedVersion <= version!) {
      add(
        'altered',
        "its chain hash is not the head the stream's record keeps: the stream was rewritten, or cut back and its version wound back",
        version,
      );
    }
  }

  if (sealedVersion !== undefined && sealedHash !== undefined) {
    const atSeal = rows.find((row) => row.position === sealedVersion);
    if (atSeal && intact.has(atSeal) && atSeal.chainHash !== sealedHash) {
      add(
        'altered',
        `differs from the sealed head at version ${sealedVersion}: the stream was rewritten`,
        sealedVersion,
      );
    }
  }
}

function checkHeadless(row: HeadlessRow, problems: ProblemList): void {
  const version = optionalNumber(row.stream_version);
  const sealed = optionalNumber(row.sealed_version);
  const upper = Math.max(version ?? 0, sealed ?? 0);
  problems.add({
    streamId: row.stream_id,
    position: 1,
    kind: 'removed',
    detail:
      version === undefined
        ? `the whole stream is missing (sealed at version ${sealed})`
        : `all ${upper} of its events are missing`,
  });
}

/**
 * Checks every event, stream and seal in one consistent snapshot, streaming the events through a cursor
 * (one stream's events in memory at a time). Read-only.
 */
export async function verifyIntegrity(pool: Pool, options: VerifyOptions = {}): Promise<IntegrityReport> {
  const batchSize = options.batchSize ?? 5000;
  const problems = new ProblemList(options.maxProblems ?? 10_000);
  let eventsChecked = 0;
  let streamsChecked = 0;
  let headsSum = 0n;
  let sealedStreams = 0;
  let latest: SealRow | undefined;

  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // Every row is read: plan for the whole result (a sort after one scan), not for the first rows.
    await client.query('SET LOCAL cursor_tuple_fraction = 1');

    let facts: StreamFacts | undefined;
    let rows: Row[] = [];
    const finish = (): void => {
      if (!facts) return;
      checkStream(facts, rows, problems);
      streamsChecked++;
      if (facts.sealedVersion !== undefined && facts.sealedHash !== undefined) {
        headsSum = (headsSum + headTerm(facts.streamId, facts.sealedVersion, facts.sealedHash)) % MOD;
        sealedStreams++;
      }
    };
    for await (const batch of cursor<EventCheckRow>(client, 'integrity_events', EVENTS_QUERY, batchSize)) {
      for (const r of batch) {
        if (r.stream_id !== facts?.streamId) {
          finish();
          facts = {
            streamId: r.stream_id,
            version: optionalNumber(r.stream_version),
            head: r.stream_head ?? undefined,
            sealedVersion: optionalNumber(r.sealed_version),
            sealedHash: r.sealed_hash ?? undefined,
          };
          rows = [];
        }
        rows.push({
          position: Number(r.stream_position),
          txid: BigInt(r.txid),
          globalPosition: BigInt(r.global_position),
          prevHash: r.prev_hash,
          chainHash: r.chain_hash,
          hashMatches: r.hash_matches === true,
          columnsMatch: r.columns_match,
        });
      }
      eventsChecked += batch.length;
      options.onProgress?.({ eventsChecked, streamsChecked });
    }
    finish();

    for await (const batch of cursor<HeadlessRow>(client, 'integrity_headless', HEADLESS_QUERY, batchSize)) {
      for (const row of batch) {
        checkHeadless(row, problems);
        streamsChecked++;
        if (row.sealed_version !== null && row.sealed_hash !== null) {
          headsSum = (headsSum + headTerm(row.stream_id, row.sealed_version, row.sealed_hash)) % MOD;
          sealedStreams++;
        }
      }
    }

    latest = await checkSeals(client, batchSize, options.anchors ?? [], problems);
    if (latest && (latest.heads_sum !== toHex(headsSum) || Number(latest.streams) !== sealedStreams)) {
      problems.add({
        streamId: 'event_store.sealed_heads',
        kind: 'removed',
        detail: `the sealed stream heads no longer add up to seal ${latest.seal}: a sealed head was removed or altered`,
      });
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }

  return {
    ok: problems.listed.length === 0,
    eventsChecked,
    streamsChecked,
    problems: problems.listed,
    ...(problems.omitted > 0 ? { problemsOmitted: problems.omitted } : {}),
    ...(latest ? { seal: summaryOf(latest) } : {}),
  };
}

function summaryOf(row: SealRow): SealSummary {
  return {
    seal: Number(row.seal),
    digest: row.digest,
    sealedAt: row.sealed_at.toISOString(),
    streams: Number(row.streams),
  };
}

/** Walks the chain of seals; returns the latest. */
async function checkSeals(
  client: PoolClient,
  batchSize: number,
  anchors: readonly { seal: number; digest: string }[],
  problems: ProblemList,
): Promise<SealRow | undefined> {
  const add = (detail: string, kind: IntegrityProblemKind = 'altered'): void =>
    problems.add({ streamId: 'event_store.seals', kind, detail });
  const anchored = new Map(anchors.map((a) => [a.seal, a.digest]));
  let previous: SealRow | undefined;
  const sql =
    'SELECT seal, sealed_at, streams, heads_sum, prev_digest, digest FROM event_store.seals ORDER BY seal';
  for await (const batch of cursor<SealRow>(client, 'integrity_seals', sql, batchSize)) {
    for (const row of batch) {
      const number = Number(row.seal);
      if (previous && Number(previous.seal) + 1 !== number) {
        add(`seals ${Number(previous.seal) + 1} to ${number - 1} are missing`, 'removed');
      }
      if (row.prev_digest !== (previous?.digest ?? ''))
        add(`seal ${number} does not follow the seal before it`);
      const expected = sealDigest(
        row.prev_digest,
        number,
        row.sealed_at.toISOString(),
        Number(row.streams),
        row.heads_sum,
      );
      if (expected !== row.digest) add(`seal ${number} no longer matches its digest`);
      const anchor = anchored.get(number);
      if (anchor !== undefined && anchor !== row.digest)
        add(`seal ${number} differs from its anchored digest`);
      anchored.delete(number);
      previous = row;
    }
  }
  for (const [seal] of anchored) add(`anchored seal ${seal} is missing`, 'removed');
  return previous;
}

export interface SealResult {
  /** The seal written now, or the latest one when no stream head had moved. */
  seal: SealSummary | undefined;
  /** Stream heads recorded by this seal. */
  sealedStreams: number;
  /** Streams not resealed because their head no longer extends the sealed one: `verifyIntegrity` names them. */
  refused: string[];
}

interface MovedHeadRow {
  stream_id: string;
  version: string;
  head_hash: string;
  head_matches: boolean;
  sealed_version: string | null;
  sealed_hash: string | null;
  at_sealed: string | null;
}

/**
 * Records the current head of every stream whose head moved since the last seal, as a new seal chained to
 * the previous one. A head that no longer extends its sealed head (the stream was cut back or rewritten) is
 * never resealed, so tampering cannot be laundered into a seal. Safe to run from several processes.
 */
export async function sealIntegrity(pool: Pool): Promise<SealResult> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('jigsaw.integrity-seal'))");
    const last = (
      await client.query<SealRow>(
        'SELECT seal, sealed_at, streams, heads_sum, prev_digest, digest FROM event_store.seals ORDER BY seal DESC LIMIT 1',
      )
    ).rows[0];
    const { rows } = await client.query<MovedHeadRow>(
      `SELECT s.stream_id, s.version, e.chain_hash AS head_hash, s.head_hash = e.chain_hash AS head_matches,
              h.version AS sealed_version,
              h.head_hash AS sealed_hash, at_sealed.chain_hash AS at_sealed
       FROM event_store.streams s
       JOIN event_store.events e ON e.stream_id = s.stream_id AND e.stream_position = s.version
       LEFT JOIN event_store.sealed_heads h ON h.stream_id = s.stream_id
       LEFT JOIN event_store.events at_sealed
         ON at_sealed.stream_id = h.stream_id AND at_sealed.stream_position = h.version
       WHERE e.chain_hash IS NOT NULL
         AND (h.stream_id IS NULL OR h.version <> s.version OR h.head_hash <> e.chain_hash)`,
    );
    const refused: string[] = [];
    const moved: MovedHeadRow[] = [];
    for (const row of rows) {
      const extends_ =
        row.head_matches &&
        (row.sealed_version === null ||
          (Number(row.version) >= Number(row.sealed_version) && row.at_sealed === row.sealed_hash));
      if (extends_) moved.push(row);
      else refused.push(row.stream_id);
    }
    if (moved.length === 0) {
      await client.query('COMMIT');
      return { seal: last ? summaryOf(last) : undefined, sealedStreams: 0, refused };
    }
    let sum = last ? BigInt(`0x${last.heads_sum}`) : 0n;
    let streams = last ? Number(last.streams) : 0;
    for (const row of moved) {
      if (row.sealed_version !== null && row.sealed_hash !== null) {
        sum = (sum - headTerm(row.stream_id, row.sealed_version, row.sealed_hash) + MOD) % MOD;
      } else {
        streams++;
      }
      sum = (sum + headTerm(row.stream_id, row.version, row.head_hash)) % MOD;
    }
    const seal = last ? Number(last.seal) + 1 : 1;
    // Milliseconds, so the digest's text of it survives the round trip through timestamptz.
    const sealedAt = new Date(Math.floor(Date.now()));
    const prevDigest = last?.digest ?? '';
    const headsSum = toHex(sum);
    const digest = sealDigest(prevDigest, seal, sealedAt.toISOString(), streams, headsSum);
    await client.query(
      `INSERT INTO event_store.sealed_heads (stream_id, version, head_hash, seal)
       SELECT s, v, h, $4 FROM unnest($1::text[], $2::bigint[], $3::text[]) AS u(s, v, h)
       ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, head_hash = excluded.head_hash,
         seal = excluded.seal`,
      [moved.map((r) => r.stream_id), moved.map((r) => r.version), moved.map((r) => r.head_hash), seal],
    );
    await client.query(
      `INSERT INTO event_store.seals (seal, sealed_at, streams, heads_sum, prev_digest, digest)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [seal, sealedAt, streams, headsSum, prevDigest, digest],
    );
    await client.query('COMMIT');
    return {
      seal: { seal, digest, sealedAt: sealedAt.toISOString(), streams },
      sealedStreams: moved.length,
      refused,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export interface IntegritySealerOptions {
  intervalMs?: number;
  onSeal?: (result: SealResult) => void;
  onError?: (error: unknown) => void;
}

/** Seals the store every `intervalMs` (default a minute), so removals are found soon after they happen. */
export class IntegritySealer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly options: IntegritySealerOptions = {},
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = sealIntegrity(this.pool)
        .then((result) => this.options.onSeal?.(result))
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          this.running = undefined;
        });
    }, this.options.intervalMs ?? 60_000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
