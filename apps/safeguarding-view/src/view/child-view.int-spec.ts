import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { RecordedEvent } from '@jigsaw/envelope';
import { relatedAccess } from '@jigsaw/sharing';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { IDENTITY_MIGRATIONS, IdentityRegistry } from '@jigsaw/identity';
import { appliedEventsMigrations, ProjectionRunner } from '@jigsaw/projection';
import { SchemaRegistry } from '@jigsaw/envelope';
import { aNhsNumber, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import {
  AccessLog,
  type RecordAccessedData,
  ChildRefResolver,
  chronologyProjection,
  ChildLinks,
  VIEW_SCHEMA,
  viewMigrations,
} from '@jigsaw/view-model';
import { ChildAccessGate } from '../children/child-access.gate.js';
import { readChildRows } from '../chronology/chronology.reads.js';
import {
  aeClinician,
  EXAMPLE_NOW,
  exampleHistory,
  rowOf,
  schoolDsl,
  socialWorker,
  WEST_YORKSHIRE_POLICE,
} from '../openapi/example-history.js';
import { childViewFor } from './child-view.js';
import { ChildViewService } from './child-view.service.js';

const SECRET = 'integration-test-identifier-secret';

describe('the child view over PostgreSQL', () => {
  let db: TestDatabase;
  let runner: ProjectionRunner;
  let service: ChildViewService;
  const nhsNumber = aNhsNumber();
  let childId: string;
  let history: RecordedEvent[];

  const accessEvents = async (): Promise<RecordAccessedData[]> =>
    (
      await db.pool.query<{ payload: { data: { record: RecordAccessedData } } }>(
        `SELECT payload FROM event_store.events WHERE stream_id = $1 ORDER BY stream_position`,
        [`access-${childId}`],
      )
    ).rows.map((row) => row.payload.data.record);

  beforeAll(async () => {
    db = await createTestDatabase([
      EVENT_STORE_MIGRATIONS,
      IDENTITY_MIGRATIONS,
      appliedEventsMigrations(VIEW_SCHEMA),
      viewMigrations(VIEW_SCHEMA),
    ]);
    const identity = new IdentityRegistry(db.pool, SECRET);
    childId = await identity.resolve('council', { nhsNumber });
    history = exampleHistory().map((event) => ({ ...event, childid: childId }));
    runner = new ProjectionRunner(db.pool, VIEW_SCHEMA, [chronologyProjection], new SchemaRegistry());
    for (const event of history) await runner.apply(event);
    const store = new PostgresEventStore(db.pool);
    const accessLog = new AccessLog(store);
    const children = new ChildRefResolver(identity, new ChildLinks(db.pool));
    service = new ChildViewService(
      new ChildAccessGate(db.pool, store, accessLog, children),
      accessLog,
      store,
    );
  });
  afterAll(async () => db.drop());

  it('answers each viewer with the fold of what the read model holds, and logs exactly that first', async () => {
    for (const viewer of [socialWorker, schoolDsl, aeClinician]) {
      const before = (await accessEvents()).length;
      const view = await service.read(nhsNumber, viewer, EXAMPLE_NOW);
      const expected = childViewFor(viewer, childId, history.map(rowOf), EXAMPLE_NOW, relatedAccess(viewer));
      expect(view).toEqual(expected.view);
      const logged = (await accessEvents()).slice(before);
      expect(logged).toEqual([
        {
          view: 'child-view',
          childId,
          lookup: 'nhs-number',
          viewer: {
            sub: viewer.userId,
            organisation: viewer.organisation,
            agency: viewer.agency,
            role: viewer.role,
          },
          purpose: viewer.purpose,
          accessedAt: EXAMPLE_NOW.toISOString(),
          shown: expected.shown,
        },
      ]);
    }
  });

  it('logs no identifier, and names the lookup by hub child id when asked that way', async () => {
    await service.read(childId, schoolDsl, EXAMPLE_NOW);
    const [last] = (await accessEvents()).slice(-1);
    expect(last).toMatchObject({ lookup: 'hub-child-id', view: 'child-view' });
    const { rows } = await db.pool.query<{ payload: unknown }>(
      "SELECT payload FROM event_store.events WHERE type = 'hub.record-accessed'",
    );
    expect(JSON.stringify(rows)).not.toContain(nhsNumber);
  });

  it('changes nothing when the same events arrive again', async () => {
    const once = await service.read(childId, socialWorker, EXAMPLE_NOW);
    for (const event of history) expect(await runner.apply(event)).toBe(false);
    expect(await service.read(childId, socialWorker, EXAMPLE_NOW)).toEqual(once);
  });

  it('reads the events once per view, however many the child has (no query per event)', async () => {
    const spy = jest.spyOn(db.pool, 'query');
    const reads = (): { all: number; events: number } => {
      const sql = spy.mock.calls.map((call) => String(call[0]));
      return { all: sql.length, events: sql.filter((q) => q.includes('.chronology')).length };
    };
    try {
      await service.read(childId, socialWorker, EXAMPLE_NOW);
      const few = reads();
      const incident = history.find((e) => e.id === 'oe-0316')!;
      for (let i = 0; i < 60; i++) {
        const occurredAt = new Date(EXAMPLE_NOW.getTime() - (i + 1) * 86_400_000).toISOString();
        await runner.apply({
          ...incident,
          id: `oe-extra-${i}`,
          time: occurredAt,
          recordedtime: occurredAt,
          data: { ...(incident.data as object), occurredAt, incidentReference: `CAD-${i}` },
        });
      }
      spy.mockClear();
      const view = await service.read(childId, socialWorker, EXAMPLE_NOW);
      expect(reads()).toEqual(few);
      expect(few.events).toBe(1);
      expect(view.counts.domesticAbuseIncidents).toBe(61);
    } finally {
      spy.mockRestore();
    }
  });

  it('makes five statements a read: the child and its members, its rows, notifications, claims and reviews, the record', async () => {
    const spy = jest.spyOn(db.pool, 'query');
    try {
      await service.read(nhsNumber, socialWorker, EXAMPLE_NOW);
      const sql = spy.mock.calls.map(([query]) =>
        typeof query === 'string' ? query : (query as unknown as { text: string }).text,
      );
      expect(sql).toHaveLength(5);
      const lookup = new IdentityRegistry(db.pool, SECRET).identifiedQuery('nhs-number', nhsNumber).text;
      expect(sql.filter((q) => q.includes(lookup))).toHaveLength(1);
      expect(sql.filter((q) => q.includes('INSERT INTO event_store.events'))).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });

  it("finds the child's rows through the child index among many children", async () => {
    await db.pool.query(
      `INSERT INTO "${VIEW_SCHEMA}".chronology (event_key, child_id, agency, source, type, occurred_at, recorded_at, event)
       SELECT 'bulk|' || g, md5((g / 20)::text)::uuid, 'police', $1, 'police.domestic-abuse-incident-notified',
              now() - (g || ' minutes')::interval, now(), $2::jsonb
       FROM generate_series(1, 20000) AS g`,
      [WEST_YORKSHIRE_POLICE, JSON.stringify(history.find((e) => e.id === 'oe-0316'))],
    );
    await db.pool.query(`ANALYZE "${VIEW_SCHEMA}".chronology`);
    const spy = jest.spyOn(db.pool, 'query');
    let sql = '';
    try {
      await readChildRows(db.pool, VIEW_SCHEMA, [childId]);
      sql = spy.mock.calls.map((call) => String(call[0])).find((q) => q.includes('.chronology'))!;
    } finally {
      spy.mockRestore();
    }
    const { rows } = await db.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, [[childId]]);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toContain('chronology_by_child');
    expect(plan).not.toContain('Seq Scan');
  });

  it('answers a hub child id nobody recorded anything under as an unknown child, and logs no read of it', async () => {
    const stranger = randomUUID();
    await expect(service.read(stranger, socialWorker, EXAMPLE_NOW)).rejects.toMatchObject({
      code: ErrorCode.ChildNotFound,
      message: 'no child with that identifier is known to the hub',
    });
    const { rows } = await db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM event_store.events WHERE stream_id = $1',
      [`access-${stranger}`],
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('answers an organisation with no relationship exactly as for an unknown child, and logs the refusal', async () => {
    const unrelated = { ...socialWorker, organisation: 'urn:jigsaw:org:council:bradford', userId: 'sw-brad' };
    const unknown = await service.read(aNhsNumber(), unrelated, EXAMPLE_NOW).catch((e: unknown) => e);
    const refused = await service.read(nhsNumber, unrelated, EXAMPLE_NOW).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(JigsawError);
    expect(refused).toEqual(unknown);
    expect((refused as JigsawError).code).toBe(ErrorCode.ChildNotFound);
    const [last] = (await accessEvents()).slice(-1);
    expect(last).toEqual({
      view: 'child-view',
      childId,
      lookup: 'nhs-number',
      viewer: {
        sub: 'sw-brad',
        organisation: unrelated.organisation,
        agency: 'council',
        role: 'social-worker',
      },
      purpose: unrelated.purpose,
      accessedAt: EXAMPLE_NOW.toISOString(),
      shown: [],
      refused: 'no-relationship',
    });
  });
});
