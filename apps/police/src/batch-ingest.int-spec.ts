import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CommandBus } from '@nestjs/cqrs';
import fc from 'fast-check';
import type { Pool } from '@jigsaw/database';
import { SchemaRegistry, toCloudEvent, type JigsawEnvelope } from '@jigsaw/envelope';
import { PersonalDataVault } from '@jigsaw/erasure';
import { JigsawError } from '@jigsaw/errors';
import {
  EVENT_STORE_MIGRATIONS,
  PostgresEventStore,
  verifyIntegrity,
  type AppendOptions,
  type StreamAppend,
} from '@jigsaw/event-store';
import { IDENTITY_MIGRATIONS, IdentityRegistry } from '@jigsaw/identity';
import {
  BatchIngest,
  controlEventTypes,
  RecordBatch,
  RecordBatchHandler,
  RecordEvent,
  RecordEventHandler,
  type EventOutcome,
} from '@jigsaw/ingest';
import {
  aNhsNumber,
  aPoliceSharingDecision,
  aRecordedEvent,
  anIncidentNotification,
  aUpn,
  createTestDatabase,
  METROPOLITAN_POLICE,
  type TestDatabase,
} from '@jigsaw/testing';
import { policeCatalogue } from './police.catalogue.js';

const SECRET = 'batch-ingest-test-secret';
const MASTER_KEY = randomBytes(32).toString('base64');
const catalogue = { ...policeCatalogue, types: [...policeCatalogue.types, ...controlEventTypes('police')] };
const schemas = new SchemaRegistry();
// Each run ingests its batch twice over (set and singly) on PostgreSQL; PROPERTY_RUNS lowers it while working.
const RUNS = Math.min(25, Number(process.env.PROPERTY_RUNS ?? 25));

/** The police service's ingest on this database: the batch pipeline, and one event at a time. */
function ingestOn(pool: Pool, store = new PostgresEventStore(pool, { route: outbox })) {
  const identity = new IdentityRegistry(pool, SECRET);
  const vault = new PersonalDataVault(pool, { masterKey: MASTER_KEY });
  const one = new RecordEventHandler(catalogue, schemas, store, identity, vault);
  const set = new RecordBatchHandler(catalogue, schemas, store, identity, vault);
  const commands = {
    execute: (command: unknown) =>
      command instanceof RecordBatch ? set.execute(command) : one.execute(command as RecordEvent),
  } as unknown as CommandBus;
  return {
    identity,
    batch: (events: readonly object[], now = new Date()) =>
      new BatchIngest(commands).ingestBatch(
        events.map((event) => ({ event })),
        now,
      ),
    /** Each event through POST /v1/events' command, one after another. */
    singly: async (events: readonly object[], now = new Date()): Promise<EventOutcome[]> => {
      const outcomes: EventOutcome[] = [];
      for (const event of events) {
        try {
          const { status, id } = await one.execute(new RecordEvent(event, now));
          outcomes.push({ status, id });
        } catch (error) {
          if (!(error instanceof JigsawError)) throw error;
          outcomes.push({ status: 'refused', error });
        }
      }
      return outcomes;
    },
  };
}

const outbox = (event: { childid: string }) => ({ topic: 'jigsaw.police', key: event.childid });

const cloud = (envelope: JigsawEnvelope): object => toCloudEvent(envelope);

/** An outcome as the 207 answer tells it: the status, and for a refusal its code and fields. */
const told = (outcome: EventOutcome): string =>
  outcome.status === 'refused'
    ? `refused ${outcome.error.code} ${outcome.error.problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`
    : `${outcome.status} ${outcome.id}`;

const missingStarted = (nhsNumber: string, reference: string, id: string): JigsawEnvelope => ({
  specversion: '1.0',
  id,
  source: METROPOLITAN_POLICE,
  type: 'police.missing-episode-started',
  time: '2026-11-20T21:00:00Z',
  dataschema: 'urn:jigsaw:schema:police.missing-episode-started:v1',
  subject: { nhsNumber },
  sharing: aPoliceSharingDecision(),
  data: {
    episodeReference: reference,
    missingSince: '2026-11-20T17:30:00Z',
    reportedAt: '2026-11-20T21:00:00Z',
    riskLevel: 'medium',
    summary: 'Did not return from school.',
  },
});

const missingEnded = (nhsNumber: string, reference: string, id: string): JigsawEnvelope => ({
  specversion: '1.0',
  id,
  source: METROPOLITAN_POLICE,
  type: 'police.missing-episode-ended',
  time: '2026-11-21T02:00:00Z',
  dataschema: 'urn:jigsaw:schema:police.missing-episode-ended:v1',
  subject: { nhsNumber },
  sharing: aPoliceSharingDecision(),
  data: {
    episodeReference: reference,
    foundAt: '2026-11-21T02:00:00Z',
    howEnded: 'found-by-police',
    summary: 'Found safe.',
  },
});

/** The force's retraction of one of its records about the child: entered in error. */
const retraction = (
  subject: JigsawEnvelope['subject'],
  targetEventId: string,
  id: string,
): JigsawEnvelope => ({
  specversion: '1.0',
  id,
  source: METROPOLITAN_POLICE,
  type: 'police.record-retracted',
  time: '2026-11-21T03:00:00Z',
  dataschema: 'urn:jigsaw:schema:record-retracted:v1',
  subject,
  sharing: aPoliceSharingDecision(),
  data: { targetEventId, reason: 'Entered against the wrong child.' },
});

const inTheFuture = (envelope: JigsawEnvelope): JigsawEnvelope => ({
  ...envelope,
  time: new Date(Date.now() + 86_400_000).toISOString(),
});

interface Row {
  id: string;
  stream_id: string;
  stream_position: string;
  transaction_id: string;
}

async function storedRows(pool: Pool, ids: readonly string[]): Promise<Row[]> {
  const { rows } = await pool.query<Row>(
    `SELECT id, stream_id, stream_position::text, transaction_id::text FROM event_store.events
     WHERE id = ANY($1::text[]) ORDER BY events.stream_id, events.stream_position`,
    [ids],
  );
  return rows;
}

async function outboxIds(pool: Pool, ids: readonly string[]): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT payload->>'id' AS id FROM event_store.outbox WHERE payload->>'id' = ANY($1::text[]) ORDER BY id`,
    [ids],
  );
  return rows.map((r) => r.id);
}

describe('set-based batch ingest on PostgreSQL', () => {
  let db: TestDatabase;
  let singly: TestDatabase;

  beforeAll(async () => {
    [db, singly] = await Promise.all([
      createTestDatabase([EVENT_STORE_MIGRATIONS, IDENTITY_MIGRATIONS]),
      createTestDatabase([EVENT_STORE_MIGRATIONS, IDENTITY_MIGRATIONS]),
    ]);
  });
  afterAll(async () => Promise.all([db?.drop(), singly?.drop()]));

  it('stores a batch of 500 mixed events across 50 children once each, in one transaction, with their outbox rows', async () => {
    const ingest = ingestOn(db.pool);
    const children = Array.from({ length: 50 }, () => aNhsNumber());
    // Ten events a child, interleaved: incidents, and missing episodes started and ended within the batch.
    const events = Array.from({ length: 500 }, (_, i) => {
      const nhsNumber = children[i % 50]!;
      const round = Math.floor(i / 50);
      if (round === 3) return missingStarted(nhsNumber, `MISPER-${i % 50}`, `start-${i}`);
      if (round === 7) return missingEnded(nhsNumber, `MISPER-${i % 50}`, `end-${i}`);
      return anIncidentNotification({ nhsNumber, id: `incident-${i}` });
    });
    const ids = events.map((e) => e.id);

    const outcomes = await ingest.batch(events.map(cloud));

    expect(outcomes.map(told)).toEqual(ids.map((id) => `accepted ${id}`));
    const rows = await storedRows(db.pool, ids);
    expect(rows).toHaveLength(500);
    expect(new Set(rows.map((r) => r.transaction_id)).size).toBe(1);
    const streams = new Map<string, string[]>();
    for (const row of rows) streams.set(row.stream_id, [...(streams.get(row.stream_id) ?? []), row.id]);
    expect(streams.size).toBe(50);
    // Each child's stream holds its ten events in the order they were sent, at positions 1 to 10.
    for (const [streamId, streamIds] of streams) {
      const nhsNumber = events.find((e) => e.id === streamIds[0])!.subject.nhsNumber!;
      expect(streamId).toBe(`police-${await ingest.identity.lookup('nhs-number', nhsNumber)}`);
      expect(streamIds).toEqual(events.filter((e) => e.subject.nhsNumber === nhsNumber).map((e) => e.id));
    }
    expect(rows.filter((r) => r.id === ids[0]).map((r) => r.stream_position)).toEqual(['1']);
    expect([...(await outboxIds(db.pool, ids))].sort()).toEqual([...ids].sort());
    expect((await verifyIntegrity(db.pool)).problems).toEqual([]);

    // The same batch again: every event a duplicate, nothing more stored.
    const again = await ingest.batch(events.map(cloud));
    expect(again.map(told)).toEqual(ids.map((id) => `duplicate ${id}`));
    expect(await storedRows(db.pool, ids)).toHaveLength(500);
    expect(await outboxIds(db.pool, ids)).toHaveLength(500);
  });

  it('gives each event of a mixed batch its own outcome and stores the good ones, a writer in between or not', async () => {
    const known = aNhsNumber();
    const raced = aNhsNumber();
    const fresh = aNhsNumber();
    const earlier = anIncidentNotification({ nhsNumber: known, id: 'mixed-earlier' });
    const ingestFirst = ingestOn(db.pool);
    expect(
      (
        await ingestFirst.singly([
          cloud(earlier),
          cloud(anIncidentNotification({ nhsNumber: raced, id: 'mixed-raced-0' })),
        ])
      ).map(told),
    ).toEqual(['accepted mixed-earlier', 'accepted mixed-raced-0']);
    const racedChild = (await ingestFirst.identity.lookup('nhs-number', raced))!;

    // A store where another writer appends to the raced child's stream just before the batch's append,
    // twice: the set is tried again as a whole, then without that child's events.
    let interfered = 0;
    class RacedStore extends PostgresEventStore {
      override async appendMany(
        appends: readonly StreamAppend[],
        options?: Pick<AppendOptions, 'before'>,
      ): Promise<void> {
        const target = appends.find((a) => a.streamId === `police-${racedChild}`);
        if (target && interfered < 2) {
          interfered++;
          await this.append(
            target.streamId,
            [aRecordedEvent({ childid: racedChild, id: `mixed-interloper-${interfered}` })],
            { expectedVersion: 'any' },
          );
        }
        return super.appendMany(appends, options);
      }
    }
    const ingest = ingestOn(db.pool, new RacedStore(db.pool, { route: outbox }));
    const invalid = cloud(anIncidentNotification({ nhsNumber: fresh, id: 'mixed-invalid' })) as Record<
      string,
      unknown
    >;
    (invalid['data'] as Record<string, unknown>)['summary'] = 42;
    const newOne = anIncidentNotification({ nhsNumber: fresh, id: 'mixed-new-1' });
    const batch = [
      cloud(newOne),
      invalid,
      cloud(inTheFuture(anIncidentNotification({ nhsNumber: fresh, id: 'mixed-future' }))),
      cloud(earlier),
      cloud({
        ...earlier,
        data: { ...earlier.data, summary: 'Other content under the same id.' },
      }),
      cloud(missingEnded(fresh, 'MISPER-X', 'mixed-end-unstarted')),
      cloud(anIncidentNotification({ nhsNumber: raced, id: 'mixed-raced-1' })),
      cloud(missingStarted(known, 'MISPER-K', 'mixed-start')),
      cloud(missingEnded(known, 'MISPER-K', 'mixed-end')),
      cloud(newOne),
      cloud({ ...newOne, data: { ...newOne.data, summary: 'Different.' } }),
      cloud(anIncidentNotification({ nhsNumber: raced, id: 'mixed-raced-2' })),
    ];

    const outcomes = (await ingest.batch(batch)).map(told);

    expect(interfered).toBe(2);
    expect(outcomes[0]).toBe('accepted mixed-new-1');
    expect(outcomes[1]).toMatch(/^refused VALIDATION_FAILED .*data\.summary/);
    expect(outcomes[2]).toBe('refused VALIDATION_FAILED time: must not be in the future');
    expect(outcomes[3]).toBe('duplicate mixed-earlier');
    expect(outcomes[4]).toBe('refused DUPLICATE_EVENT_CONFLICT id: was already used for different content');
    expect(outcomes[5]).toMatch(
      /^refused VALIDATION_FAILED data\.record\.episodeReference: names no open missing episode/,
    );
    expect(outcomes[6]).toBe('accepted mixed-raced-1');
    expect(outcomes[7]).toBe('accepted mixed-start');
    expect(outcomes[8]).toBe('accepted mixed-end');
    expect(outcomes[9]).toBe('duplicate mixed-new-1');
    expect(outcomes[10]).toBe('refused DUPLICATE_EVENT_CONFLICT id: was already used for different content');
    expect(outcomes[11]).toBe('accepted mixed-raced-2');

    const rows = await storedRows(db.pool, [
      'mixed-new-1',
      'mixed-invalid',
      'mixed-future',
      'mixed-end-unstarted',
      'mixed-start',
      'mixed-end',
      'mixed-raced-0',
      'mixed-interloper-1',
      'mixed-interloper-2',
      'mixed-raced-1',
      'mixed-raced-2',
    ]);
    // The raced child's events were recorded after the other writer's, one at a time; the rest in one set.
    const racedRows = rows.filter((r) => r.stream_id === `police-${racedChild}`);
    expect(racedRows.map((r) => r.id)).toEqual([
      'mixed-raced-0',
      'mixed-interloper-1',
      'mixed-interloper-2',
      'mixed-raced-1',
      'mixed-raced-2',
    ]);
    const setRows = rows.filter((r) => ['mixed-new-1', 'mixed-start', 'mixed-end'].includes(r.id));
    expect(setRows).toHaveLength(3);
    const setTransactions = new Set(setRows.map((r) => r.transaction_id));
    expect(setTransactions.size).toBe(1);
    expect(racedRows.filter((r) => setTransactions.has(r.transaction_id))).toEqual([]);
    expect(new Set(racedRows.slice(3).map((r) => r.transaction_id)).size).toBe(2);
    expect(
      rows
        .map((r) => r.id)
        .filter((id) => ['mixed-invalid', 'mixed-future', 'mixed-end-unstarted'].includes(id)),
    ).toEqual([]);
    expect((await verifyIntegrity(db.pool)).problems).toEqual([]);
  });

  it('refuses by field what its schema refuses, and what only the hub sets, and stores none of it', async () => {
    const child = aNhsNumber();
    const ingest = ingestOn(db.pool);
    type Json = Record<string, unknown>;
    const recordOf = (event: object): Json => (event as { data: { record: Json } }).data.record;
    const started = (id: string, change: (event: Json) => void): object => {
      const event = cloud(missingStarted(child, `MISPER-${id}`, id)) as Json;
      change(event);
      return event;
    };
    const refused = [
      started('strict-lower-case', (e) => (recordOf(e)['missingSince'] = '2026-11-20t17:30:00z')),
      started('strict-leap-second', (e) => (recordOf(e)['missingSince'] = '2016-12-31T23:59:60Z')),
      started('strict-year-0', (e) => (e['time'] = '0000-01-01T00:00:00Z')),
      started('strict-email', (e) => {
        recordOf(e)['contact'] = { name: 'PC Example', phone: '020 7230 1212', email: 'pc@met.x' };
      }),
      started('strict-childid', (e) => (e['childid'] = '7b0d3f0e-2f6c-4b55-9d0a-6a8c0f1e2d3c')),
      started('strict-recordedtime', (e) => (e['recordedtime'] = '2026-11-21T00:00:00Z')),
      started('strict-personaldata', (e) => {
        (e['data'] as Json)['personaldata'] = { v: 1, fields: [], erased: true };
      }),
    ];
    const expected = [
      'refused VALIDATION_FAILED data.record.missingSince: must be a real date and time (RFC 3339)',
      'refused VALIDATION_FAILED data.record.missingSince: must be a real date and time (RFC 3339)',
      'refused VALIDATION_FAILED time: must be a real date and time (RFC 3339)',
      'refused VALIDATION_FAILED data.record.contact.email: must be an email address',
      'refused VALIDATION_FAILED childid: is set by the hub, never by a sender',
      'refused VALIDATION_FAILED recordedtime: is set by the hub, never by a sender',
      'refused VALIDATION_FAILED data.personaldata: is set by the hub, never by a sender',
    ];
    expect((await ingest.singly(refused)).map(told)).toEqual(expected);
    expect((await ingest.batch(refused)).map(told)).toEqual(expected);
    // The forms a strict date and time still takes: an offset, fractions of a second.
    const offset = started(
      'strict-offset',
      (e) => (recordOf(e)['missingSince'] = '2026-11-20T17:30:00.250+01:00'),
    );
    expect((await ingest.singly([offset])).map(told)).toEqual(['accepted strict-offset']);

    const ids = refused.map((e) => (e as { id: string }).id);
    expect(await storedRows(db.pool, ids)).toEqual([]);
    expect(await outboxIds(db.pool, ids)).toEqual([]);
  });

  it('records every event once when batches and single events race on the same children', async () => {
    const ingest = ingestOn(db.pool);
    const children = Array.from({ length: 30 }, () => aNhsNumber());
    const batches = Array.from({ length: 4 }, (_, b) =>
      Array.from({ length: 60 }, (_, i) =>
        anIncidentNotification({ nhsNumber: children[(i + b * 7) % 30]!, id: `race-${b}-${i}` }),
      ),
    );
    const singles = Array.from({ length: 30 }, (_, i) =>
      anIncidentNotification({ nhsNumber: children[i]!, id: `race-single-${i}` }),
    );
    const [outcomes, singleOutcomes] = await Promise.all([
      Promise.all(batches.map((batch) => ingest.batch(batch.map(cloud)))),
      Promise.all(singles.map((event) => ingest.singly([cloud(event)]))),
    ]);
    expect(outcomes.flat().map(told)).toEqual(batches.flat().map((e) => `accepted ${e.id}`));
    expect(singleOutcomes.flat().map(told)).toEqual(singles.map((e) => `accepted ${e.id}`));
    const ids = [...batches.flat(), ...singles].map((e) => e.id);
    const rows = await storedRows(db.pool, ids);
    expect(rows).toHaveLength(ids.length);
    // One stream a child, whichever writer named it first.
    expect(new Set(rows.map((r) => r.stream_id)).size).toBe(30);
    expect(await outboxIds(db.pool, ids)).toHaveLength(ids.length);
    expect((await verifyIntegrity(db.pool)).problems).toEqual([]);
  });

  it('takes batches naming the same children in turn in one process, each appended whole, none redone', async () => {
    let sets = 0;
    let singles = 0;
    class CountingStore extends PostgresEventStore {
      override appendMany(
        appends: readonly StreamAppend[],
        options?: Pick<AppendOptions, 'before'>,
      ): Promise<void> {
        sets++;
        return super.appendMany(appends, options);
      }
      override append(
        ...args: Parameters<PostgresEventStore['append']>
      ): ReturnType<PostgresEventStore['append']> {
        singles++;
        return super.append(...args);
      }
    }
    const ingest = ingestOn(db.pool, new CountingStore(db.pool, { route: outbox }));
    const children = Array.from({ length: 20 }, () => aNhsNumber());
    const batches = Array.from({ length: 4 }, (_, b) =>
      Array.from({ length: 50 }, (_, i) =>
        anIncidentNotification({ nhsNumber: children[(i + b * 3) % 20]!, id: `turns-${b}-${i}` }),
      ),
    );
    const outcomes = await Promise.all(batches.map((batch) => ingest.batch(batch.map(cloud))));
    expect(outcomes.flat().map(told)).toEqual(batches.flat().map((e) => `accepted ${e.id}`));
    // Without turns, each batch but the first finds its streams moved, plans and appends again, and
    // sends what still conflicts one event at a time.
    expect({ sets, singles }).toEqual({ sets: 4, singles: 0 });
    expect(
      await storedRows(
        db.pool,
        batches.flat().map((e) => e.id),
      ),
    ).toHaveLength(200);
  });

  it('lets a retracted missing episode start again and refuses its end, one at a time and in a batch alike', async () => {
    const set = ingestOn(db.pool);
    const one = ingestOn(singly.pool);
    const child = aNhsNumber();
    const events = [
      missingStarted(child, 'MISPER-R', 'retracted-start-1'),
      missingStarted(child, 'MISPER-R', 'retracted-start-2'),
      retraction({ nhsNumber: child }, 'retracted-start-1', 'retracted-retraction'),
      missingEnded(child, 'MISPER-R', 'retracted-end-1'),
      missingStarted(child, 'MISPER-R', 'retracted-start-3'),
      missingEnded(child, 'MISPER-R', 'retracted-end-2'),
    ].map(cloud);
    const expected = [
      'accepted retracted-start-1',
      'refused VALIDATION_FAILED data.record.episodeReference: names a missing episode that is already open',
      'accepted retracted-retraction',
      'refused VALIDATION_FAILED data.record.episodeReference: names no open missing episode for this child from this source',
      'accepted retracted-start-3',
      'accepted retracted-end-2',
    ];
    expect((await one.singly(events)).map(told)).toEqual(expected);
    expect((await set.batch(events)).map(told)).toEqual(expected);

    // The retraction already stored, the next batch sees it too.
    const later = aNhsNumber();
    expect(
      (
        await set.singly([
          cloud(missingStarted(later, 'MISPER-L', 'later-start-1')),
          cloud(retraction({ nhsNumber: later }, 'later-start-1', 'later-retraction')),
        ])
      ).map(told),
    ).toEqual(['accepted later-start-1', 'accepted later-retraction']);
    expect(
      (
        await set.batch([
          cloud(missingEnded(later, 'MISPER-L', 'later-end-1')),
          cloud(missingStarted(later, 'MISPER-L', 'later-start-2')),
        ])
      ).map(told),
    ).toEqual([
      'refused VALIDATION_FAILED data.record.episodeReference: names no open missing episode for this child from this source',
      'accepted later-start-2',
    ]);
    const stored = await storedRows(db.pool, ['later-start-1', 'later-retraction', 'later-start-2']);
    expect(stored.map((r) => r.id)).toEqual(['later-start-1', 'later-retraction', 'later-start-2']);
    expect((await verifyIntegrity(db.pool)).problems).toEqual([]);
  });

  it('stores the same events, in the same streams and order, with the same outcomes, as one at a time would', async () => {
    const set = ingestOn(db.pool);
    const one = ingestOn(singly.pool);
    const op = fc.oneof(
      fc.record({ kind: fc.constant('incident' as const), child: fc.nat(3), who: fc.nat(2) }),
      fc.record({ kind: fc.constantFrom('invalid' as const, 'future' as const), child: fc.nat(3) }),
      fc.record({
        kind: fc.constantFrom('start' as const, 'end' as const),
        child: fc.nat(3),
        ref: fc.nat(1),
      }),
      fc.record({ kind: fc.constantFrom('resend' as const, 'reuse' as const), of: fc.nat(60) }),
      fc.record({ kind: fc.constant('retract' as const), target: fc.nat(60) }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), fc.nat(40), async (ops, cut) => {
        run++;
        const children = Array.from({ length: 4 }, () => ({ nhsNumber: aNhsNumber(), upn: aUpn() }));
        const made: JigsawEnvelope[] = [];
        const events = ops.map((o, i): object => {
          const id = `p${run}-${i}`;
          if ('of' in o) {
            const before = made[o.of % Math.max(1, made.length)];
            if (!before) return cloud(anIncidentNotification({ id }));
            return o.kind === 'resend' ? cloud(before) : cloud({ ...before, time: '2026-11-21T01:00:00Z' });
          }
          if (o.kind === 'retract') {
            // A retraction of an earlier event (accepted or not): what stands afterwards must agree too.
            const target = made[o.target % Math.max(1, made.length)];
            if (!target) return cloud(anIncidentNotification({ id }));
            return cloud(retraction(target.subject, target.id, id));
          }
          const child = children[o.child]!;
          // The same child named by its NHS number, its UPN, or both: identity links them as it goes.
          const subject = [{ nhsNumber: child.nhsNumber }, { upn: child.upn }, child][
            o.kind === 'incident' ? o.who : 0
          ]!;
          const envelope: JigsawEnvelope =
            o.kind === 'incident'
              ? { ...anIncidentNotification({ id }), subject }
              : o.kind === 'start'
                ? missingStarted(child.nhsNumber, `M${o.ref}`, id)
                : o.kind === 'end'
                  ? missingEnded(child.nhsNumber, `M${o.ref}`, id)
                  : anIncidentNotification({ nhsNumber: child.nhsNumber, id });
          if (o.kind === 'future') made.push(inTheFuture(envelope));
          else made.push(envelope);
          const sent = made[made.length - 1]!;
          if (o.kind !== 'invalid') return cloud(sent);
          const broken = cloud(sent) as { data: Record<string, unknown> };
          return { ...broken, data: { ...broken.data, summary: 42 } };
        });
        const first = events.slice(0, cut % (events.length + 1));
        const second = events.slice(first.length);
        const now = new Date();
        const bySet = [...(await set.batch(first, now)), ...(await set.batch(second, now))].map(told);
        const byOne = (await one.singly(events, now)).map(told);
        expect(bySet).toEqual(byOne);
        const ids = events.map((e) => (e as { id: string }).id);
        expect(streamsOf(await storedRows(db.pool, ids))).toEqual(
          streamsOf(await storedRows(singly.pool, ids)),
        );
      }),
      { numRuns: RUNS },
    );
    expect((await verifyIntegrity(db.pool)).problems).toEqual([]);
  }, 300_000);
});

/** Each stream's ids in stream order, the streams in the order of their first id: hub child ids differ. */
function streamsOf(rows: readonly Row[]): string[][] {
  const streams = new Map<string, string[]>();
  for (const row of rows) streams.set(row.stream_id, [...(streams.get(row.stream_id) ?? []), row.id]);
  return [...streams.values()].sort((a, b) => a[0]!.localeCompare(b[0]!));
}
