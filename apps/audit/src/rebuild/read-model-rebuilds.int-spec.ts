import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPool, OWNER_ROLES, type Pool } from '@jigsaw/database';
import { SchemaRegistry, type RecordedEvent } from '@jigsaw/envelope';
import { ErrorCode, type JigsawError } from '@jigsaw/errors';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { eventKeyOf, ProjectionRunner } from '@jigsaw/projection';
import { aRecordedEvent, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import {
  accessClaimed,
  notificationStreamOf,
  liveReadModelMigrations,
  READ_MODEL_OWNERS,
  recordAccessed,
  readModelProjections,
  type ReadModelOwner,
} from '@jigsaw/view-model';
import { AUDIT_MIGRATIONS } from '../audit.js';
import { anAcknowledgedNotification } from '../testing/notification.factory.js';
import type { Progress } from './progress.js';
import type { RebuildOptions, RebuildReport } from './read-model-rebuilds.js';
import { RebuildPools } from './rebuild-pools.js';
import { Rebuilds } from './rebuilds.js';

const [VIEW, NOTIFICATIONS] = READ_MODEL_OWNERS as [ReadModelOwner, ReadModelOwner];
const LIVE = VIEW.liveSchema;
const VIEW_MODELS = VIEW.models.map((m) => m.name);

describe("rebuilding read models against their owners' live schemas", () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let live: ProjectionRunner;
  /** The notifications' own projection of their streams into their live schema. */
  let liveNotifications: ProjectionRunner;
  let rebuilds: Rebuilds;
  let pools: RebuildPools;
  let auditPool: Pool;

  /** Rebuilds every read model: one rebuild per owner, the view's first. */
  const rebuildAll = async (
    options: RebuildOptions = {},
  ): Promise<{ view: RebuildReport; notifications: RebuildReport }> => {
    const [view, notifications, ...more] = await rebuilds.rebuild(options);
    expect(more).toEqual([]);
    return { view: view!, notifications: notifications! };
  };
  /** Rebuilds the view's read models alone. */
  const rebuildView = async (options: RebuildOptions = {}): Promise<RebuildReport> =>
    (await rebuilds.rebuild({ models: VIEW_MODELS, ...options }))[0]!;
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
    db = await createTestDatabase([EVENT_STORE_MIGRATIONS, AUDIT_MIGRATIONS, ...liveReadModelMigrations()]);
    store = new PostgresEventStore(db.pool);
    live = new ProjectionRunner(db.pool, LIVE, readModelProjections({ pool: db.pool }), new SchemaRegistry());
    liveNotifications = new ProjectionRunner(
      db.pool,
      NOTIFICATIONS.liveSchema,
      readModelProjections({ pool: db.pool }, NOTIFICATIONS.models),
      new SchemaRegistry(),
    );
    // As the audit service runs them: each owner's rebuilds as its role, their record as the audit's.
    pools = new RebuildPools(db.url, 'rebuild-spec');
    auditPool = createPool(db.url, { role: OWNER_ROLES.audit, max: 4 });
    const records = new PostgresEventStore(auditPool);
    rebuilds = Rebuilds.forOwners(pools, records, auditPool);
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
    const { notificationId, events } = anAcknowledgedNotification(claimed, eventKeyOf(recorded[0]!));
    for (const event of events) {
      await store.append(notificationStreamOf(notificationId), [event], { expectedVersion: 'any' });
      await liveNotifications.apply(event);
    }
  });
  afterAll(async () => {
    await Promise.all([pools?.end(), auditPool?.end()]);
    await db?.drop();
  });

  it('replays the history into a fresh schema, with progress, to exactly what live holds', async () => {
    // Recorded, not yet consumed: the rebuild must not get ahead of the live view.
    const lagging = await record(4);
    const seen: (Progress & { applied: number })[] = [];
    const { view: report, notifications } = await rebuildAll({
      batchSize: 7,
      onProgress: (p) => seen.push(p),
    });
    expect(report.schema).toMatch(/^view_rebuild_\d{17}$/);
    expect(notifications.schema).toMatch(/^notifications_rebuild_\d{17}$/);
    // Read in the store's order as far as its horizon allows (a transaction in flight anywhere on the
    // server holds it back), the rest by key: either way exactly what live applied, and nothing more.
    // And the claim; the store also holds the seven access events, which no read model consumes, and the
    // notification's two events, which are the notifications' to rebuild.
    expect(report.applied + report.caughtUp).toBe(recorded.length - lagging.length + 1);
    expect(notifications.applied + notifications.caughtUp).toBe(2);
    expect(report.events).toBeLessThanOrEqual(recorded.length + 10);
    // One progress bar per owner, each from nothing to all it read.
    const starts = seen.flatMap((p, i) => (p.events === 0 ? [i] : []));
    expect(starts).toEqual([0, expect.any(Number)]);
    const [viewBar, notificationsBar] = [seen.slice(0, starts[1]), seen.slice(starts[1])];
    expect(viewBar[0]).toMatchObject({ events: 0, total: recorded.length + 10 });
    expect(viewBar.at(-1)).toMatchObject({ events: report.events });
    expect(notificationsBar.at(-1)).toMatchObject({ events: notifications.events });
    for (const bar of [viewBar, notificationsBar])
      expect(bar.every((p, i) => i === 0 || p.events > bar[i - 1]!.events)).toBe(true);

    const clean = await rebuilds.compare(report.schema);
    expect(clean).toMatchObject({ differences: [], structure: [], caughtUp: 0, aheadOfLive: 0 });
    expect(clean.tables).toEqual([
      { table: 'chronology', liveRows: 30, rebuiltRows: 30, differences: 0 },
      { table: 'access_claims', liveRows: 2, rebuiltRows: 2, differences: 0 },
      { table: 'partnership_reads', liveRows: 0, rebuiltRows: 0, differences: 0 },
    ]);
    const notified = await rebuilds.compare(notifications.schema);
    expect(notified).toMatchObject({
      liveSchema: 'notifications',
      differences: [],
      structure: [],
      aheadOfLive: 0,
    });
    expect(notified.tables).toEqual([
      { table: 'notifications', liveRows: 1, rebuiltRows: 1, differences: 0 },
      { table: 'notification_deliveries', liveRows: 1, rebuiltRows: 1, differences: 0 },
    ]);
    // Each owner's rebuild is its own: made as its role, in a schema its role owns.
    const owners = await db.pool.query<{ schema: string; owner: string }>(
      `SELECT n.nspname AS schema, pg_get_userbyid(n.nspowner) AS owner FROM pg_namespace n
       WHERE n.nspname = ANY($1) ORDER BY 1`,
      [[report.schema, notifications.schema]],
    );
    expect(owners.rows).toEqual([
      { schema: notifications.schema, owner: OWNER_ROLES.notifications },
      { schema: report.schema, owner: OWNER_ROLES.view },
    ]);
    await rebuilds.drop(notifications.schema);

    // The live view moves on: compare catches the rebuild up to the same point before comparing.
    await consume(lagging);
    const caughtUp = await rebuilds.compare(report.schema);
    expect(caughtUp).toMatchObject({ differences: [], structure: [], caughtUp: 4 });
    expect(caughtUp.tables[0]).toMatchObject({ liveRows: 34, rebuiltRows: 34 });
  });

  it('rebuilds the chronology alone in lanes split by child, to exactly what live holds', async () => {
    const [report] = await rebuilds.rebuild({ models: ['chronology'], batchSize: 7, lanes: 2 });
    expect(report!.models).toEqual(['chronology']);
    const compared = await rebuilds.compare(report!.schema);
    expect(compared).toMatchObject({ differences: [], structure: [], aheadOfLive: 0 });
    expect(compared.tables).toEqual([{ table: 'chronology', liveRows: 34, rebuiltRows: 34, differences: 0 }]);
  });

  it('reports every altered, missing and extra row by key, and shape changes', async () => {
    const { schema } = await rebuildView();
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
    const { schema } = await rebuildView();
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
      tables: ['chronology', 'access_claims', 'partnership_reads'],
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

    const after = await rebuildView();
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
    const report = await rebuildView();
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
        reason: 'must be one of chronology, access-claims, partnership-reads, notifications',
      },
    ]);
    const view = { models: VIEW_MODELS };
    expect((await refusal(rebuilds.rebuild({ ...view, into: 'Robert"; DROP' }))).problems[0]?.field).toBe(
      'into',
    );
    expect((await refusal(rebuilds.rebuild({ ...view, into: LIVE }))).problems[0]?.field).toBe('into');
    // One schema is one owner's: models of two owners cannot be built into it.
    expect((await refusal(rebuilds.rebuild({ into: 'view_rebuild_both' }))).problems).toEqual([
      {
        field: 'into',
        reason:
          'names one schema, but the models chosen are kept in view and notifications: name the models of one',
      },
    ]);
    const error = await refusal(rebuilds.compare('view_rebuild_never'));
    expect(error.code).toBe(ErrorCode.ValidationFailed);
    expect(error.problems).toEqual([{ field: 'schema', reason: 'names no rebuild schema' }]);
    expect((await refusal(rebuilds.drop(LIVE))).problems).toEqual([
      { field: 'schema', reason: 'is the live schema' },
    ]);
  });
});
