import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPool, OWNER_ROLES, type Pool } from '@jigsaw/database';
import { SchemaRegistry, type RecordedEvent } from '@jigsaw/envelope';
import { ErrorCode, type JigsawError } from '@jigsaw/errors';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { appliedEventsMigrations, eventKeyOf, ProjectionRunner } from '@jigsaw/projection';
import { aRecordedEvent, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import {
  accessClaimed,
  decideNotification,
  foldNotification,
  initialNotificationState,
  notificationStreamOf,
  recordAccessed,
  readModelMigrations,
  readModelProjections,
} from '@jigsaw/view-model';
import { AUDIT_MIGRATIONS } from '../audit.js';
import type { Progress } from './progress.js';
import { ReadModelRebuilds } from './read-model-rebuilds.js';

const LIVE = 'view';

describe('rebuilding read models against the live view', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let live: ProjectionRunner;
  let rebuilds: ReadModelRebuilds;
  let viewPool: Pool;
  let auditPool: Pool;
  const recorded: RecordedEvent[] = [];

  /** Appends a child's events as its agency would, and an access event as the view would. */
  const record = async (count: number): Promise<RecordedEvent[]> => {
    const childId = randomUUID();
    const events = Array.from({ length: count }, () => aRecordedEvent({ childid: childId }));
    await store.append(`police-${childId}`, events, { expectedVersion: 'any' });
    const access = recordAccessed(
      {
        id: `access-${randomUUID()}`,
        now: new Date(),
        viewer: {
          agency: 'education',
          organisation: 'urn:jigsaw:org:education:school-100001',
          role: 'designated-safeguarding-lead',
          purpose: 'safeguarding',
          userId: 'dsl-1',
        },
        view: 'chronology',
        childId,
      },
      [],
    );
    await store.append(`access-${childId}`, [access], { expectedVersion: 'any' });
    recorded.push(...events);
    return events;
  };

  /** The live consumer: only agency records reach it, from Kafka, each at most once. */
  const consume = async (events: readonly RecordedEvent[]): Promise<void> => {
    for (const event of events) await live.apply(event);
  };

  const liveRows = async (): Promise<{ event_key: string }[]> =>
    (
      await db.pool.query<{ event_key: string }>(
        `SELECT event_key FROM ${LIVE}.chronology ORDER BY event_key`,
      )
    ).rows;

  beforeAll(async () => {
    db = await createTestDatabase([
      EVENT_STORE_MIGRATIONS,
      AUDIT_MIGRATIONS,
      appliedEventsMigrations(LIVE),
      ...readModelMigrations(LIVE),
    ]);
    store = new PostgresEventStore(db.pool);
    live = new ProjectionRunner(db.pool, LIVE, readModelProjections({ pool: db.pool }), new SchemaRegistry());
    // As the audit service runs them: the rebuilds as the view's role, their record as the audit's.
    viewPool = createPool(db.url, { role: OWNER_ROLES.view, max: 4 });
    auditPool = createPool(db.url, { role: OWNER_ROLES.audit, max: 4 });
    rebuilds = new ReadModelRebuilds(
      viewPool,
      new PostgresEventStore(auditPool),
      undefined,
      undefined,
      undefined,
      auditPool,
    );
    for (let i = 0; i < 6; i++) await consume(await record(5));
    // A self-claim, reported to two organisations: the data protection officers' inbox is a read model too.
    const claimed = recorded[0]!.childid;
    const claim = accessClaimed(
      {
        id: `claim-${randomUUID()}`,
        now: new Date(),
        viewer: {
          agency: 'health',
          organisation: 'urn:jigsaw:org:health:rj1',
          role: 'clinician',
          purpose: 'health-care',
          userId: 'clin-1',
        },
        childId: claimed,
        reason: 'Treating the child in the emergency department now.',
        hours: 24,
      },
      ['urn:jigsaw:org:council:leeds', 'urn:jigsaw:org:police:met'],
    );
    await store.append(`access-claims-${claimed}`, [claim], { expectedVersion: 'any' });
    await live.apply(claim);
    // A notification raised with its webhook delivery, then acknowledged: the inbox and the work-queue.
    const notificationId = randomUUID();
    const school = 'urn:jigsaw:org:education:school-100001';
    const raised = decideNotification(initialNotificationState, {
      type: 'raise',
      now: new Date(),
      notificationId,
      deliveryId: randomUUID(),
      notification: {
        dedupeKey: `operation-encompass|${notificationId}`,
        kind: 'operation-encompass',
        childId: claimed,
        triggerEventKey: eventKeyOf(recorded[0]!),
        recipient: { organisation: school, agency: 'education' },
        route: 'school-roll',
        details: {},
        dueAt: new Date(Date.now() + 86_400_000),
      },
    });
    const acknowledged = decideNotification(foldNotification(raised), {
      type: 'acknowledge',
      now: new Date(),
      by: { sub: 'dsl-1', role: 'designated-safeguarding-lead', organisation: school },
    });
    for (const event of [...raised, ...acknowledged]) {
      await store.append(notificationStreamOf(notificationId), [event], { expectedVersion: 'any' });
      await live.apply(event);
    }
  });
  afterAll(async () => {
    await Promise.all([viewPool?.end(), auditPool?.end()]);
    await db?.drop();
  });

  it('replays the history into a fresh schema, with progress, to exactly what live holds', async () => {
    // Recorded, not yet consumed: the rebuild must not get ahead of the live view.
    const lagging = await record(4);
    const seen: (Progress & { applied: number })[] = [];
    const report = await rebuilds.rebuild({ batchSize: 7, onProgress: (p) => seen.push(p) });
    expect(report.schema).toMatch(/^view_rebuild_\d{17}$/);
    // Read in the store's order as far as its horizon allows (a transaction in flight anywhere on the
    // server holds it back), the rest by key: either way exactly what live applied, and nothing more.
    // And the claim and the notification's two events; the store also holds the seven access events,
    // which no read model consumes.
    expect(report.applied + report.caughtUp).toBe(recorded.length - lagging.length + 3);
    expect(report.events).toBeLessThanOrEqual(recorded.length + 10);
    expect(seen[0]).toMatchObject({ events: 0, total: recorded.length + 10 });
    expect(seen.at(-1)).toMatchObject({ events: report.events });
    expect(seen.every((p, i) => i === 0 || p.events > seen[i - 1]!.events)).toBe(true);

    const clean = await rebuilds.compare(report.schema);
    expect(clean).toMatchObject({ differences: [], structure: [], caughtUp: 0, aheadOfLive: 0 });
    expect(clean.tables).toEqual([
      { table: 'chronology', liveRows: 30, rebuiltRows: 30, differences: 0 },
      { table: 'access_claims', liveRows: 2, rebuiltRows: 2, differences: 0 },
      { table: 'notifications', liveRows: 1, rebuiltRows: 1, differences: 0 },
      { table: 'notification_deliveries', liveRows: 1, rebuiltRows: 1, differences: 0 },
      { table: 'partnership_reads', liveRows: 0, rebuiltRows: 0, differences: 0 },
    ]);

    // The live view moves on: compare catches the rebuild up to the same point before comparing.
    await consume(lagging);
    const caughtUp = await rebuilds.compare(report.schema);
    expect(caughtUp).toMatchObject({ differences: [], structure: [], caughtUp: 4 });
    expect(caughtUp.tables[0]).toMatchObject({ liveRows: 34, rebuiltRows: 34 });
  });

  it('rebuilds the chronology alone in lanes split by child, to exactly what live holds', async () => {
    const report = await rebuilds.rebuild({ models: ['chronology'], batchSize: 7, lanes: 2 });
    expect(report.models).toEqual(['chronology']);
    const compared = await rebuilds.compare(report.schema);
    expect(compared).toMatchObject({ differences: [], structure: [], aheadOfLive: 0 });
    expect(compared.tables).toEqual([{ table: 'chronology', liveRows: 34, rebuiltRows: 34, differences: 0 }]);
  });

  it('reports every altered, missing and extra row by key, and shape changes', async () => {
    const { schema } = await rebuilds.rebuild();
    const [altered, removed] = (await liveRows()).map((r) => r.event_key);
    await db.pool.query(
      `UPDATE ${LIVE}.chronology SET event = jsonb_set(event::jsonb, '{data,summary}', '"edited in place"'), type = 'x'
       WHERE event_key = $1`,
      [altered],
    );
    await db.pool.query(`DELETE FROM ${LIVE}.chronology WHERE event_key = $1`, [removed]);
    const extra = aRecordedEvent();
    await db.pool.query(
      `INSERT INTO ${LIVE}.chronology (event_key, child_id, agency, source, type, occurred_at, recorded_at, event)
       VALUES ($1, $2, 'police', $3, $4, now(), now(), $5)`,
      [eventKeyOf(extra), extra.childid, extra.source, extra.type, JSON.stringify(extra)],
    );
    await db.pool.query(`ALTER TABLE ${LIVE}.chronology ADD COLUMN note text`);
    try {
      const report = await rebuilds.compare(schema);
      expect(report.differences).toEqual(
        [
          { table: 'chronology', key: { event_key: altered }, kind: 'different', columns: ['type', 'event'] },
          { table: 'chronology', key: { event_key: removed }, kind: 'missing-in-live' },
          { table: 'chronology', key: { event_key: eventKeyOf(extra) }, kind: 'missing-in-rebuilt' },
        ].sort((a, b) => a.key.event_key!.localeCompare(b.key.event_key!)),
      );
      expect(report.structure).toEqual([`chronology.note: missing in ${schema}`]);
    } finally {
      await db.pool.query(`ALTER TABLE ${LIVE}.chronology DROP COLUMN note`);
    }
  });

  it('swaps a rebuild in while queries and the live consumer carry on, and the damage is gone', async () => {
    const { schema } = await rebuilds.rebuild();
    const before = await rebuilds.compare(schema);
    expect(before.differences.length).toBe(3);

    let stop = false;
    const failures: unknown[] = [];
    let answered = 0;
    const reader = (async () => {
      while (!stop) {
        try {
          await db.pool.query(`SELECT count(*) FROM ${LIVE}.chronology WHERE child_id = $1`, [
            recorded[0]!.childid,
          ]);
          answered++;
        } catch (error) {
          failures.push(error);
        }
      }
    })();
    const consumer = (async () => {
      while (!stop) await consume(await record(2));
    })();
    await new Promise((r) => setTimeout(r, 200));
    const swap = await rebuilds.swap(schema);
    await new Promise((r) => setTimeout(r, 200));
    stop = true;
    await Promise.all([reader, consumer]);

    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(10);
    expect(swap).toMatchObject({
      schema,
      liveSchema: LIVE,
      tables: [
        'chronology',
        'access_claims',
        'notifications',
        'notification_deliveries',
        'partnership_reads',
      ],
      rebuildSchemaDropped: true,
    });
    expect(swap.retiredSchema).toMatch(/^view_retired_\d{17}$/);
    expect(swap.lockedMs).toBeLessThan(2000);

    // Everything the live view applied, before, during and after the swap, is in the new table, once.
    const keys = (await liveRows()).map((r) => r.event_key);
    expect(keys).toEqual(recorded.map(eventKeyOf).sort());
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${swap.retiredSchema}.chronology WHERE type = 'x'`,
    );
    expect(rows[0]!.n).toBe(1);
    const schemas = await db.pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    expect(schemas.rowCount).toBe(0);

    const after = await rebuilds.rebuild();
    expect(await rebuilds.compare(after.schema)).toMatchObject({ differences: [], structure: [] });
    await rebuilds.drop(after.schema);
    await rebuilds.drop(swap.retiredSchema);
    const listed = await rebuilds.list();
    expect(listed.find((r) => r.schema === schema)).toMatchObject({
      swappedAt: expect.any(String),
      retiredSchemaExists: false,
    });
    expect(listed.find((r) => r.schema === after.schema)).toMatchObject({ schemaExists: false });
  });

  it('rebuilds a store written in envelope v1 to exactly what live holds, through the upcaster', async () => {
    // A store from before envelope v2: every row's payload as v1 wrote it, the child and the sharing
    // decision beside data. (Only the payloads are rewritten here, so the hash chain is not what is tested.)
    for (const event of [...recorded, ...(await record(3))]) {
      await db.pool.query('UPDATE event_store.events SET payload = $3 WHERE source = $1 AND id = $2', [
        event.source,
        event.id,
        JSON.stringify(event),
      ]);
    }
    await consume(recorded.slice(-3));
    const shapes = await db.pool.query<{ v1: boolean }>(
      `SELECT DISTINCT payload ? 'sharing' AS v1 FROM event_store.events WHERE stream_id LIKE 'police-%'`,
    );
    expect(shapes.rows).toEqual([{ v1: true }]);
    const report = await rebuilds.rebuild({});
    const compared = await rebuilds.compare(report.schema);
    expect(compared).toMatchObject({ differences: [], structure: [] });
    expect(compared.tables[0]).toMatchObject({ liveRows: recorded.length, rebuiltRows: recorded.length });
  });

  it('refuses what it cannot do, naming the field', async () => {
    const refusal = async (work: Promise<unknown>): Promise<JigsawError> =>
      work.then(
        () => {
          throw new Error('expected a refusal');
        },
        (error: unknown) => error as JigsawError,
      );
    expect((await refusal(rebuilds.rebuild({ models: ['gossip'] }))).problems).toEqual([
      {
        field: 'model',
        reason: 'must be one of chronology, access-claims, notifications, partnership-reads',
      },
    ]);
    expect((await refusal(rebuilds.rebuild({ into: 'Robert"; DROP' }))).problems[0]?.field).toBe('into');
    expect((await refusal(rebuilds.rebuild({ into: LIVE }))).problems[0]?.field).toBe('into');
    const error = await refusal(rebuilds.compare('view_rebuild_never'));
    expect(error.code).toBe(ErrorCode.ValidationFailed);
    expect(error.problems).toEqual([{ field: 'schema', reason: 'names no rebuild schema' }]);
    expect((await refusal(rebuilds.drop(LIVE))).problems).toEqual([
      { field: 'schema', reason: 'is the live schema' },
    ]);
  });
});
