import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { SchemaRegistry, type RecordedEvent } from '@jigsaw/envelope';
import { appliedEventsMigrations, ProjectionRunner } from '@jigsaw/projection';
import { relatedAccess, type Viewer } from '@jigsaw/sharing';
import { createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import {
  VIEW_SCHEMA,
  viewMigrations,
  chronologyFor,
  type ChronologyEntry,
  chronologyProjection,
} from '@jigsaw/view-model';
import {
  aeClinician,
  EXAMPLE_NOW,
  exampleEvent,
  exampleHistory,
  HILLSIDE,
  rowOf,
  schoolDsl,
  sharingFor,
  socialWorker,
  WEST_YORKSHIRE_POLICE,
} from '../openapi/example-history.js';
import { readChronologyPage } from './chronology-page.js';
import { readChildRows, type PositionedRow } from './chronology.reads.js';
import type { ChronologyPageRequest } from './chronology-query.js';

const auditor: Viewer = {
  agency: 'council',
  organisation: 'urn:jigsaw:org:council:camden',
  role: 'auditor',
  purpose: 'audit',
  userId: 'aud-1',
};

describe('chronology pages over PostgreSQL', () => {
  let db: TestDatabase;
  const childId = randomUUID();
  let history: RecordedEvent[];

  /** Walks every page, checking each cursor leads on from where the last page stopped. */
  async function allPages(
    viewer: Viewer,
    request: Omit<ChronologyPageRequest, 'after'>,
  ): Promise<{ entries: ChronologyEntry[]; pages: number; shown: string[] }> {
    const entries: ChronologyEntry[] = [];
    const shown: string[] = [];
    let after: ChronologyPageRequest['after'];
    // As the access gate reads them before every page.
    const rows = await readChildRows(db.pool, VIEW_SCHEMA, [childId]);
    for (let pages = 1; pages < 200; pages++) {
      const page = await readChronologyPage(
        db.pool,
        VIEW_SCHEMA,
        [childId],
        viewer,
        { ...request, ...(after ? { after } : {}) },
        EXAMPLE_NOW,
        'legitimate-relationship',
        rows,
      );
      expect(page.entries.length).toBeLessThanOrEqual(request.limit);
      expect(page.shown.map((s) => s.event)).toEqual(page.entries.map((e) => `${e.source}#${e.id}`));
      entries.push(...page.entries);
      shown.push(...page.shown.map((s) => s.event));
      if (!page.next) return { entries, pages, shown };
      after = page.next;
    }
    throw new Error('pages never ended');
  }

  const whole = (viewer: Viewer, keep: (event: RecordedEvent) => boolean = () => true): ChronologyEntry[] => {
    const rows = history
      .map(rowOf)
      .sort(
        (a, b) =>
          a.occurredAt.getTime() - b.occurredAt.getTime() ||
          `${a.event.source}|${a.event.id}`.localeCompare(`${b.event.source}|${b.event.id}`),
      );
    return chronologyFor(
      viewer,
      rows.filter((r) => keep(r.event)),
      EXAMPLE_NOW,
      relatedAccess(viewer),
      rows,
    ).entries;
  };

  beforeAll(async () => {
    db = await createTestDatabase([appliedEventsMigrations(VIEW_SCHEMA), viewMigrations(VIEW_SCHEMA)]);
    const police = sharingFor(
      WEST_YORKSHIRE_POLICE,
      ['safeguarding', 'child-protection'],
      ['education', 'council'],
    );
    // Many police records only the council may see (so school pages skip over them), and two a
    // microsecond apart, which a millisecond cursor would repeat or lose.
    const extra = [
      ...Array.from({ length: 25 }, (_, i) =>
        exampleEvent(
          WEST_YORKSHIRE_POLICE,
          'police.exploitation-concern-raised',
          `ex-${i}`,
          `2026-08-${String(i + 1).padStart(2, '0')}T10:00:00Z`,
          {
            concernReference: `EX-${i}`,
            identifiedAt: `2026-08-${String(i + 1).padStart(2, '0')}T10:00:00Z`,
            kind: 'criminal',
            indicators: ['going-missing'],
            summary: 'Seen with older associates.',
          },
          sharingFor(WEST_YORKSHIRE_POLICE, ['safeguarding'], ['council']),
        ),
      ),
      ...['2026-07-01T12:00:00.000100Z', '2026-07-01T12:00:00.000200Z'].map((occurredAt, i) =>
        exampleEvent(
          WEST_YORKSHIRE_POLICE,
          'police.domestic-abuse-incident-notified',
          `us-${i}`,
          occurredAt,
          {
            incidentReference: `US-${i}`,
            occurredAt,
            childPresent: false,
            force: { name: 'West Yorkshire Police' },
            contact: { name: 'PC', phone: '0113 241 3000' },
            summary: `Microsecond ${i}.`,
          },
          police,
        ),
      ),
    ];
    history = [...exampleHistory(), ...extra].map((event) => ({ ...event, childid: childId }));
    const runner = new ProjectionRunner(db.pool, VIEW_SCHEMA, [chronologyProjection], new SchemaRegistry());
    for (const event of history) await runner.apply(event);
  });
  afterAll(async () => db.drop());

  it.each([
    ['a social worker', socialWorker],
    ["a school's safeguarding lead", schoolDsl],
    ['an A&E clinician', aeClinician],
    ['an auditor', auditor],
  ])('gives %s, page by page, exactly the whole chronology, each entry once', async (_who, viewer) => {
    const expected = whole(viewer).map((e) => e.id);
    for (const limit of [1, 3, 7, 200]) {
      const { entries, pages } = await allPages(viewer, { limit });
      expect(entries.map((e) => e.id)).toEqual(expected);
      if (limit === 1) expect(pages).toBeGreaterThanOrEqual(expected.length);
    }
  });

  it('keeps a record retracted pages later out of every page', async () => {
    const { entries } = await allPages(schoolDsl, { limit: 2 });
    expect(entries.map((e) => e.id)).not.toContain('oe-0402');
    expect(entries.map((e) => e.id)).toContain('oe-0316');
  });

  it('filters by agency, type and dates in the database, the cut unchanged', async () => {
    const agencyOf = (e: RecordedEvent): string => e.source.split(':')[3]!;
    const cases: [Omit<ChronologyPageRequest, 'limit' | 'after'>, (e: RecordedEvent) => boolean][] = [
      [{ agencies: ['police'] }, (e) => agencyOf(e) === 'police'],
      [{ agencies: ['education', 'health'] }, (e) => ['education', 'health'].includes(agencyOf(e))],
      [
        { types: ['police.domestic-abuse-incident-notified'] },
        (e) => e.type === 'police.domestic-abuse-incident-notified',
      ],
      [
        { from: '2026-09-01T00:00:00Z', to: { at: '2026-10-07T00:00:00.000Z', inclusive: false } },
        (e) => rowOf(e).occurredAt >= new Date('2026-09-01') && rowOf(e).occurredAt < new Date('2026-10-07'),
      ],
      [
        { to: { at: '2026-07-01T12:00:00.000100Z', inclusive: true } },
        // Up to the first of the two a microsecond apart, and not the second.
        (e) => e.id === 'us-0' || rowOf(e).occurredAt < new Date('2026-07-01T12:00:00Z'),
      ],
    ];
    for (const [filters, keep] of cases) {
      for (const viewer of [socialWorker, schoolDsl]) {
        const { entries } = await allPages(viewer, { limit: 4, ...filters });
        expect({ filters, ids: entries.map((e) => e.id) }).toEqual({
          filters,
          ids: whole(viewer, keep).map((e) => e.id),
        });
        expect(entries).toEqual(whole(viewer, keep));
      }
    }
  });

  it('says there is no next page when the last page ends the chronology', async () => {
    const all = whole(schoolDsl);
    const rows = await readChildRows(db.pool, VIEW_SCHEMA, [childId]);
    const page = await readChronologyPage(
      db.pool,
      VIEW_SCHEMA,
      [childId],
      schoolDsl,
      { limit: all.length },
      EXAMPLE_NOW,
      'legitimate-relationship',
      rows,
    );
    expect(page.entries).toHaveLength(all.length);
    expect(page).not.toHaveProperty('nextCursor');
    const short = await readChronologyPage(
      db.pool,
      VIEW_SCHEMA,
      [childId],
      schoolDsl,
      { limit: all.length - 1 },
      EXAMPLE_NOW,
      'legitimate-relationship',
      rows,
    );
    expect(short.next).toBeDefined();
  });

  it('cuts a page without filters from the rows the gate read, and reads on from the database when it must', async () => {
    const rows = await readChildRows(db.pool, VIEW_SCHEMA, [childId]);
    const spy = jest.spyOn(db.pool, 'query');
    const page = (request: ChronologyPageRequest, given: readonly PositionedRow[] = rows) =>
      readChronologyPage(
        db.pool,
        VIEW_SCHEMA,
        [childId],
        socialWorker,
        request,
        EXAMPLE_NOW,
        'legitimate-relationship',
        given,
      );
    try {
      const first = await page({ limit: 3 });
      const second = await page({ limit: 3, after: first.next! });
      expect(spy).not.toHaveBeenCalled();
      expect([...first.entries, ...second.entries].map((e) => e.id)).toEqual(
        whole(socialWorker)
          .slice(0, 6)
          .map((e) => e.id),
      );
      // The cursor's row is not among those given (erased since, say): the database says where to go on.
      const without = rows.filter((r) => r.position.key !== first.next!.key);
      const fromDatabase = await page({ limit: 3, after: first.next! }, without);
      expect(spy).toHaveBeenCalled();
      expect(fromDatabase).toEqual(second);
    } finally {
      spy.mockRestore();
    }
  });

  it('reads a page through the child index, bounded by the cursor', async () => {
    await db.pool.query(
      `INSERT INTO "${VIEW_SCHEMA}".chronology (event_key, child_id, agency, source, type, occurred_at, recorded_at, event)
       SELECT 'bulk|' || g, md5((g / 20)::text)::uuid, 'education', $1, 'education.suspension-recorded',
              now() - (g || ' minutes')::interval, now(), '{}'::jsonb
       FROM generate_series(1, 20000) AS g`,
      [HILLSIDE],
    );
    await db.pool.query(`ANALYZE "${VIEW_SCHEMA}".chronology`);
    const spy = jest.spyOn(db.pool, 'query');
    const calls: [string, unknown[]][] = [];
    try {
      await readChronologyPage(
        db.pool,
        VIEW_SCHEMA,
        [childId],
        socialWorker,
        {
          limit: 5,
          after: { at: '2026-08-10T10:00:00.000000Z', key: `${WEST_YORKSHIRE_POLICE}|ex-9` },
          agencies: ['police'],
        },
        EXAMPLE_NOW,
        'legitimate-relationship',
        [],
      );
      for (const call of spy.mock.calls) calls.push([String(call[0]), call[1] as unknown[]]);
    } finally {
      spy.mockRestore();
    }
    // The control events come from the rows the gate read: one statement, the page's.
    expect(calls).toHaveLength(1);
    for (const [sql, params] of calls) {
      const { rows } = await db.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toContain('chronology_by_child');
      expect(plan).not.toContain('Seq Scan');
    }
  });
});
