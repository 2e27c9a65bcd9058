import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createPool, runMigrations, type Pool } from '@jigsaw/database';
import { aRecordedEvent, createTestDatabase, until, type TestDatabase } from '@jigsaw/testing';
import { IntegritySealer, sealIntegrity, verifyIntegrity, type IntegrityProblem } from './integrity.js';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from './postgres-event-store.js';

const problem = (streamId: string, kind: IntegrityProblem['kind'], position?: number): IntegrityProblem => ({
  streamId,
  ...(position !== undefined ? { position } : {}),
  kind,
  detail: expect.any(String) as unknown as string,
});

describe('tamper evidence: every change made to the store behind its back is found and named', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let streams: string[];

  /** Three streams of four events: one appended as a batch of two, one event at a time otherwise. */
  beforeEach(async () => {
    db = await createTestDatabase([EVENT_STORE_MIGRATIONS]);
    pool = db.pool;
    store = new PostgresEventStore(pool);
    streams = ['a', 'b', 'c'].map((label) => `police-${label}-${randomUUID()}`);
    for (const stream of streams) {
      await store.append(stream, [aRecordedEvent(), aRecordedEvent()], { expectedVersion: 'no-stream' });
      await store.append(stream, [aRecordedEvent()], { expectedVersion: 2 });
      await store.append(stream, [aRecordedEvent()], { expectedVersion: 3 });
    }
  });
  afterEach(async () => db.drop());

  const sql = (text: string, values: unknown[] = []): Promise<unknown> => pool.query(text, values);

  it('verifies an untampered store, before and after sealing it', async () => {
    expect(await verifyIntegrity(pool)).toEqual({
      ok: true,
      eventsChecked: 12,
      streamsChecked: 3,
      problems: [],
    });
    const sealed = await sealIntegrity(pool);
    expect(sealed).toMatchObject({ sealedStreams: 3, refused: [], seal: { seal: 1, streams: 3 } });
    await store.append(streams[0]!, [aRecordedEvent()], { expectedVersion: 4 });
    const report = await verifyIntegrity(pool, { anchors: [{ seal: 1, digest: sealed.seal!.digest }] });
    expect(report).toMatchObject({ ok: true, eventsChecked: 13, problems: [], seal: { seal: 1 } });
    expect((await sealIntegrity(pool)).seal).toMatchObject({ seal: 2, streams: 3 });
    expect(await sealIntegrity(pool)).toMatchObject({ sealedStreams: 0, seal: { seal: 2 } });
    expect((await verifyIntegrity(pool)).ok).toBe(true);
  });

  it('names an altered payload', async () => {
    await sql(
      `UPDATE event_store.events SET payload = jsonb_set(payload, '{data,summary}', '"Nothing happened."')
       WHERE stream_id = $1 AND stream_position = 2`,
      [streams[1]],
    );
    expect((await verifyIntegrity(pool)).problems).toEqual([problem(streams[1]!, 'altered', 2)]);
  });

  it('names an altered recording time, content hash or type column', async () => {
    await sql(
      `UPDATE event_store.events SET recorded_at = recorded_at - interval '1 day'
       WHERE stream_id = $1 AND stream_position = 1`,
      [streams[0]],
    );
    await sql(
      `UPDATE event_store.events SET content_hash = md5('x') WHERE stream_id = $1 AND stream_position = 3`,
      [streams[1]],
    );
    await sql(
      `UPDATE event_store.events SET type = 'police.other' WHERE stream_id = $1 AND stream_position = 4`,
      [streams[2]],
    );
    expect((await verifyIntegrity(pool)).problems).toEqual([
      problem(streams[0]!, 'altered', 1),
      problem(streams[1]!, 'altered', 3),
      problem(streams[2]!, 'altered', 4),
    ]);
  });

  it('names a last event altered and rehashed, by the head its stream record keeps', async () => {
    await sql(
      `UPDATE event_store.events SET payload = jsonb_set(payload, '{data,summary}', '"Nothing happened."')
       WHERE stream_id = $1 AND stream_position = 4`,
      [streams[0]],
    );
    await sql(
      `UPDATE event_store.events
       SET chain_hash = event_store.chain_hash(prev_hash, event_store.event_digest(stream_id, payload, content_hash, recorded_at))
       WHERE stream_id = $1 AND stream_position = 4`,
      [streams[0]],
    );
    expect((await verifyIntegrity(pool)).problems).toEqual([problem(streams[0]!, 'altered', 4)]);
  });

  it('names an event deleted from the middle of a stream', async () => {
    await sql('DELETE FROM event_store.events WHERE stream_id = $1 AND stream_position = 2', [streams[0]]);
    expect((await verifyIntegrity(pool)).problems).toEqual([problem(streams[0]!, 'removed', 2)]);
  });

  it("names a stream's last event deleted", async () => {
    await sql('DELETE FROM event_store.events WHERE stream_id = $1 AND stream_position = 4', [streams[2]]);
    expect((await verifyIntegrity(pool)).problems).toEqual([problem(streams[2]!, 'removed', 4)]);
  });

  it("names a stream's last event deleted with its version wound back, once the stream was sealed", async () => {
    await sealIntegrity(pool);
    await sql('DELETE FROM event_store.events WHERE stream_id = $1 AND stream_position = 4', [streams[2]]);
    await sql('UPDATE event_store.streams SET version = 3 WHERE stream_id = $1', [streams[2]]);
    expect((await verifyIntegrity(pool)).problems).toEqual([problem(streams[2]!, 'removed', 4)]);
    // The truncated head is not resealed, so the next seal does not hide it.
    expect((await sealIntegrity(pool)).refused).toEqual([streams[2]]);
    expect((await verifyIntegrity(pool)).problems).toEqual([problem(streams[2]!, 'removed', 4)]);
  });

  it('names a stream whose events were all deleted, and one deleted whole with its stream record once sealed', async () => {
    await sealIntegrity(pool);
    await sql('DELETE FROM event_store.events WHERE stream_id = $1', [streams[0]]);
    await sql('DELETE FROM event_store.events WHERE stream_id = $1', [streams[1]]);
    await sql('DELETE FROM event_store.streams WHERE stream_id = $1', [streams[1]]);
    const report = await verifyIntegrity(pool);
    expect(report.problems).toHaveLength(2);
    expect(report.problems).toEqual(
      expect.arrayContaining([problem(streams[0]!, 'removed', 1), problem(streams[1]!, 'removed', 1)]),
    );
    expect(report.problems.find((p) => p.streamId === streams[1])?.detail).toBe(
      'the whole stream is missing (sealed at version 4)',
    );
  });

  it('notices the sealed heads themselves being deleted to hide a removed stream', async () => {
    const { seal } = await sealIntegrity(pool);
    for (const table of ['events', 'streams', 'sealed_heads']) {
      await sql(`DELETE FROM event_store.${table} WHERE stream_id = $1`, [streams[1]]);
    }
    expect((await verifyIntegrity(pool)).problems).toEqual([problem('event_store.sealed_heads', 'removed')]);
    // Even with the seal recomputed to match, a digest kept outside the database gives it away.
    await sql('DELETE FROM event_store.seals');
    await sql('DELETE FROM event_store.sealed_heads');
    await sealIntegrity(pool);
    expect((await verifyIntegrity(pool)).ok).toBe(true);
    expect((await verifyIntegrity(pool, { anchors: [{ seal: 1, digest: seal!.digest }] })).problems).toEqual([
      problem('event_store.seals', 'altered'),
    ]);
  });

  it('names two events whose positions were swapped', async () => {
    await sql(
      `UPDATE event_store.events SET stream_position = -stream_position
       WHERE stream_id = $1 AND stream_position IN (2, 3)`,
      [streams[1]],
    );
    await sql(
      `UPDATE event_store.events SET stream_position = CASE stream_position WHEN -2 THEN 3 ELSE 2 END
       WHERE stream_id = $1 AND stream_position < 0`,
      [streams[1]],
    );
    expect((await verifyIntegrity(pool)).problems).toEqual([
      problem(streams[1]!, 'reordered', 3),
      problem(streams[1]!, 'reordered', 2),
    ]);
  });

  it('names a forged event added after the last one, whatever hash it carries', async () => {
    // A copy of a real event under a new id, with a hash computed just as the store would.
    await sql(
      `INSERT INTO event_store.events (stream_id, stream_position, source, id, type, payload, content_hash, prev_hash, chain_hash)
       SELECT stream_id, 5, source, 'forged', type, jsonb_set(payload, '{id}', '"forged"'), content_hash, chain_hash,
              event_store.chain_hash(chain_hash, event_store.event_digest(stream_id, jsonb_set(payload, '{id}', '"forged"'), content_hash, now()))
       FROM event_store.events WHERE stream_id = $1 AND stream_position = 4`,
      [streams[0]],
    );
    // And one with no hash at all, in a stream the store never created.
    await sql(
      `INSERT INTO event_store.events (stream_id, stream_position, source, id, type, payload, content_hash)
       SELECT 'police-forged', 1, source, 'forged-2', type, jsonb_set(payload, '{id}', '"forged-2"'), content_hash
       FROM event_store.events WHERE stream_id = $1 AND stream_position = 1`,
      [streams[0]],
    );
    const { problems } = await verifyIntegrity(pool);
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([
        problem('police-forged', 'inserted', 1),
        problem('police-forged', 'inserted'),
        problem(streams[0]!, 'inserted', 5),
      ]),
    );
  });

  it('names a forged event slipped into the middle of a stream, the events after it moved up', async () => {
    const stream = streams[2]!;
    await sql(
      'UPDATE event_store.events SET stream_position = -(stream_position + 1) WHERE stream_id = $1 AND stream_position >= 3',
      [stream],
    );
    await sql(
      'UPDATE event_store.events SET stream_position = -stream_position WHERE stream_id = $1 AND stream_position < 0',
      [stream],
    );
    await sql(
      `INSERT INTO event_store.events (stream_id, stream_position, source, id, type, payload, content_hash, prev_hash, chain_hash)
       SELECT stream_id, 3, source, 'forged', type, jsonb_set(payload, '{id}', '"forged"'), content_hash, chain_hash,
              event_store.chain_hash(chain_hash, event_store.event_digest(stream_id, jsonb_set(payload, '{id}', '"forged"'), content_hash, now()))
       FROM event_store.events WHERE stream_id = $1 AND stream_position = 2`,
      [stream],
    );
    await sql('UPDATE event_store.streams SET version = 5 WHERE stream_id = $1', [stream]);
    expect((await verifyIntegrity(pool)).problems).toEqual([
      problem(stream, 'inserted', 3),
      problem(stream, 'reordered', 4),
    ]);
  });

  it('finds a sealed stream rewritten with every hash recomputed', async () => {
    await sealIntegrity(pool);
    const stream = streams[0]!;
    // Change the first event and re-chain the whole stream, as someone who read migration 010 could.
    await sql(
      `UPDATE event_store.events SET payload = jsonb_set(payload, '{data,summary}', '"Nothing happened."')
       WHERE stream_id = $1 AND stream_position = 1`,
      [stream],
    );
    await sql(
      `DO $$ DECLARE r record; prev text := ''; BEGIN
         FOR r IN SELECT * FROM event_store.events WHERE stream_id = '${stream}' ORDER BY stream_position LOOP
           UPDATE event_store.events SET prev_hash = prev,
             chain_hash = event_store.chain_hash(prev, event_store.event_digest(stream_id, payload, content_hash, recorded_at))
           WHERE stream_id = r.stream_id AND stream_position = r.stream_position RETURNING chain_hash INTO prev;
         END LOOP; END $$`,
    );
    expect((await verifyIntegrity(pool)).problems).toEqual([problem(stream, 'altered', 4)]);
    expect((await sealIntegrity(pool)).refused).toEqual([stream]);
  });

  it('seals on its own every interval once started, and stops cleanly', async () => {
    const seals: number[] = [];
    const errors: unknown[] = [];
    const sealer = new IntegritySealer(pool, {
      intervalMs: 50,
      onSeal: (result) => seals.push(result.seal?.seal ?? 0),
      onError: (error) => errors.push(error),
    });
    sealer.start();
    await until(() => seals.length >= 1, { timeoutMs: 10_000 });
    await store.append(streams[0]!, [aRecordedEvent()], { expectedVersion: 4 });
    await until(() => seals.includes(2), { timeoutMs: 10_000 });
    await sealer.stop();
    expect(errors).toEqual([]);
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM event_store.seals');
    expect(rows[0]!.n).toBe(2);
    expect((await verifyIntegrity(pool)).seal).toMatchObject({ seal: 2, streams: 3 });
  });

  it('seals the same heads once when two replicas seal at the same moment, and the chain verifies', async () => {
    // Two audit replicas: two processes, so two pools, on one database.
    const other = createPool(db.url, { max: 3, name: 'second-replica' });
    try {
      const first = await Promise.all([sealIntegrity(pool), sealIntegrity(other), sealIntegrity(pool)]);
      expect(first.map((r) => r.sealedStreams).sort()).toEqual([0, 0, 3]);
      await store.append(streams[1]!, [aRecordedEvent()], { expectedVersion: 4 });
      const second = await Promise.all([sealIntegrity(other), sealIntegrity(pool), sealIntegrity(other)]);
      expect(second.map((r) => r.sealedStreams).sort()).toEqual([0, 0, 1]);
    } finally {
      await other.end();
    }
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM event_store.seals');
    expect(rows[0]!.n).toBe(2);
    expect(await verifyIntegrity(pool)).toMatchObject({
      ok: true,
      problems: [],
      seal: { seal: 2, streams: 3 },
    });
  });

  it("chains the access log's appends to many streams at once, however they race", async () => {
    const logs = [`access-${randomUUID()}`, `access-${randomUUID()}`, streams[0]!];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        store.appendToStreams(
          logs.map((streamId, j) => ({
            streamId,
            events: Array.from({ length: 1 + ((i + j) % 2) }, () => aRecordedEvent()),
          })),
        ),
      ),
    );
    const report = await verifyIntegrity(pool);
    expect(report).toMatchObject({ ok: true, streamsChecked: 5, problems: [] });
    expect(report.eventsChecked).toBe(12 + 6 * 3 + 9);
  });

  it('chains correctly under concurrent writers racing on shared streams', async () => {
    const shared = [`police-shared-${randomUUID()}`, `police-shared-${randomUUID()}`];
    const versions = new Map<string, number>();
    await Promise.all(
      Array.from({ length: 6 }, async (_, writer) => {
        for (let i = 0; i < 40; i++) {
          const stream = shared[(writer + i) % 2]!;
          for (;;) {
            const version = versions.get(stream) ?? 0;
            try {
              const batch = i % 5 === 0 ? [aRecordedEvent(), aRecordedEvent()] : [aRecordedEvent()];
              const result = await store.append(stream, batch, {
                expectedVersion: version === 0 ? 'no-stream' : version,
              });
              versions.set(stream, result.version);
              break;
            } catch {
              const { rows } = await pool.query<{ version: string }>(
                'SELECT version FROM event_store.streams WHERE stream_id = $1',
                [stream],
              );
              versions.set(stream, Number(rows[0]?.version ?? 0));
            }
          }
        }
      }),
    );
    await Promise.all(
      Array.from({ length: 4 }, () =>
        store.append(shared[0]!, [aRecordedEvent()], { expectedVersion: 'any' }),
      ),
    );
    const report = await verifyIntegrity(pool, { batchSize: 7 });
    expect(report).toMatchObject({ ok: true, streamsChecked: 5, problems: [] });
    expect(report.eventsChecked).toBe(12 + 6 * 40 + 6 * 8 + 4);
  });
});

describe('migration 010 on a store that already holds events', () => {
  it('chains the events stored before it, so the store verifies', async () => {
    const before = mkdtempSync(join(tmpdir(), 'event-store-001-'));
    copyFileSync(
      join(EVENT_STORE_MIGRATIONS.directory, '001_event_store.sql'),
      join(before, '001_event_store.sql'),
    );
    const db = await createTestDatabase([{ component: 'event-store', directory: before }]);
    try {
      for (const [stream, position] of [
        ['police-x', 1],
        ['police-x', 2],
        ['police-y', 1],
      ] as const) {
        const event = aRecordedEvent();
        await db.pool.query(
          `INSERT INTO event_store.events (stream_id, stream_position, source, id, type, payload, content_hash)
           VALUES ($1, $2, $3, $4, $5, $6, md5($4))`,
          [stream, position, event.source, event.id, event.type, JSON.stringify(event)],
        );
      }
      await db.pool.query("INSERT INTO event_store.streams VALUES ('police-x', 2), ('police-y', 1)");
      await runMigrations(db.pool, [EVENT_STORE_MIGRATIONS]);
      expect(await verifyIntegrity(db.pool)).toEqual({
        ok: true,
        eventsChecked: 3,
        streamsChecked: 2,
        problems: [],
      });
      await new PostgresEventStore(db.pool).append('police-x', [aRecordedEvent()], { expectedVersion: 2 });
      expect((await verifyIntegrity(db.pool)).ok).toBe(true);
    } finally {
      await db.drop();
      rmSync(before, { recursive: true });
    }
  });
});
