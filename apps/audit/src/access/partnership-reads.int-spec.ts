import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RECORD_ACCESSED } from '@jigsaw/contracts';
import { contentHash } from '@jigsaw/envelope';
import { PostgresEventStore, START, type EventStore, type GlobalPosition } from '@jigsaw/event-store';
import { appliedEventsMigrations } from '@jigsaw/projection';
import { aRecordedEvent, createTestDatabase, eventually, type TestDatabase } from '@jigsaw/testing';
import {
  PartnershipReadsSubscription,
  partnershipReadsReportedTo,
  VIEW_SCHEMA,
  viewMigrations,
} from '@jigsaw/view-model';
import { AUDIT_SERVICE_MIGRATIONS, createAudit, type Audit } from '../audit.js';
import type { AuditCaller } from '../auth/audit-caller.js';

/** The anonymous incidents' source: the force that recorded them works with the child. */
const MET = aRecordedEvent().source;
const LEEDS = 'urn:jigsaw:org:council:leeds';
const YORK = 'urn:jigsaw:org:council:york';

const PARTNERSHIP_DPO: AuditCaller = {
  sub: 'pdpo-1',
  agency: 'council',
  organisation: LEEDS,
  role: 'partnership-dpo',
};
const MET_DPO: AuditCaller = {
  sub: 'dpo-met',
  agency: 'police',
  organisation: MET,
  role: 'data-protection-officer',
};

/** The store as the view's subscription reads it, counting the events it is handed once it handled them. */
function counting(store: EventStore): {
  store: EventStore;
  delivered: () => number;
  last: () => GlobalPosition | undefined;
} {
  let delivered = 0;
  let last: GlobalPosition | undefined;
  const counted: EventStore = Object.create(store) as EventStore;
  counted.subscribe = (options) =>
    store.subscribe({
      ...options,
      handler: async (batch) => {
        await options.handler(batch);
        delivered += batch.length;
        last = batch.at(-1)?.globalPosition ?? last;
      },
    });
  return { store: counted, delivered: () => delivered, last: () => last };
}

describe("a partnership-wide read reaches the data protection officers' inbox", () => {
  let db: TestDatabase;
  let audit: Audit;
  /** Two replicas of the view, each following the access streams. */
  let replicas: PartnershipReadsSubscription[];

  beforeAll(async () => {
    db = await createTestDatabase([
      ...AUDIT_SERVICE_MIGRATIONS,
      appliedEventsMigrations(VIEW_SCHEMA),
      viewMigrations(VIEW_SCHEMA),
    ]);
    audit = createAudit(db.pool, 'test-identifier-secret', randomBytes(32).toString('base64'));
    replicas = [0, 1].map(() => new PartnershipReadsSubscription(db.pool, new PostgresEventStore(db.pool)));
    for (const replica of replicas) await replica.start();
  });
  afterAll(async () => {
    for (const replica of replicas ?? []) await replica.stop();
    await db?.drop();
  });

  const appliedByReplicas = (): number => replicas.reduce((sum, r) => sum + r.applied, 0);

  /** A child the Met recorded two incidents about, stored as the police service stores them. */
  async function aChildKnownToTheMet(): Promise<string> {
    const childId = randomUUID();
    const events = [aRecordedEvent({ childid: childId }), aRecordedEvent({ childid: childId })];
    await new PostgresEventStore(db.pool).append(
      `police-${childId}`,
      await audit.vault.sealAll(events, childId),
      { expectedVersion: 'any', contentHashes: events.map((e) => contentHash(e)) },
    );
    return childId;
  }

  const inbox = async (organisation: string, childId: string) =>
    (await partnershipReadsReportedTo(db.pool, organisation)).filter((r) => r.childId === childId);
  /** The inbox once it holds `n` reads of the child: the view applies them as it follows the store. */
  const inboxOf = (organisation: string, childId: string, n: number) =>
    eventually(
      async () => {
        const rows = await inbox(organisation, childId);
        return rows.length >= n ? rows : undefined;
      },
      { what: `${n} reads in the inbox` },
    );

  it('shows a partnership export, access log and as-known-at in the related DPO’s inbox and nobody else’s', async () => {
    const childId = await aChildKnownToTheMet();
    const appliedBefore = appliedByReplicas();
    const sar = await audit.reads.subjectAccessExport(PARTNERSHIP_DPO, childId);
    expect(sar.records).toHaveLength(2);
    await audit.reads.accessLog(PARTNERSHIP_DPO, childId);
    await audit.reads.asKnownAt(PARTNERSHIP_DPO, childId, {
      at: new Date().toISOString(),
      viewer: MET,
      role: 'police-officer',
      purpose: 'safeguarding',
    });

    const reader = { sub: 'pdpo-1', organisation: LEEDS, agency: 'council', role: 'partnership-dpo' };
    const seen = await inboxOf(MET, childId, 3);
    // Both replicas read all three; between them each was applied once.
    expect(appliedByReplicas() - appliedBefore).toBe(3);
    expect(seen.map((r) => r.view).sort()).toEqual(['access-log', 'as-known-at', 'subject-access-export']);
    expect(seen.map((r) => r.reader)).toEqual([reader, reader, reader]);
    // Each row is the read in the child's access stream, by its id, at the time it was recorded.
    const stored = (await audit.store.readStream(`access-${childId}`)).map(({ event }) => event);
    const exportRead = stored.find((e) => (e.data as { view: string }).view === 'subject-access-export')!;
    expect(seen).toContainEqual({
      readId: exportRead.id,
      childId,
      reader,
      view: 'subject-access-export',
      readAt: (exportRead.data as { accessedAt: string }).accessedAt,
    });
    // York never worked with the child, and Leeds only read it: neither is told.
    expect(await inbox(YORK, childId)).toEqual([]);
    expect(await inbox(LEEDS, childId)).toEqual([]);
  });

  it("does not report a data protection officer's read of their own organisation's child", async () => {
    const childId = await aChildKnownToTheMet();
    await audit.reads.subjectAccessExport(MET_DPO, childId);
    // A partnership read after it reaching the inbox shows the subscription has passed the first.
    await audit.reads.subjectAccessExport(PARTNERSHIP_DPO, childId);
    expect((await inboxOf(MET, childId, 1)).map((r) => r.reader.sub)).toEqual(['pdpo-1']);
  });

  it('keeps its place in the store across a restart, and misses nothing read while it was down', async () => {
    const first = await aChildKnownToTheMet();
    await audit.reads.accessLog(PARTNERSHIP_DPO, first);
    await inboxOf(MET, first, 1);
    for (const replica of replicas) await replica.stop();
    const kept = await replicas[0]!.position();
    expect(kept).not.toEqual(START);

    const second = await aChildKnownToTheMet();
    await audit.reads.accessLog(PARTNERSHIP_DPO, second);
    expect(await inbox(MET, second)).toEqual([]);

    const { store, delivered } = counting(new PostgresEventStore(db.pool));
    const restarted = new PartnershipReadsSubscription(db.pool, store);
    replicas = [restarted];
    await restarted.start();
    expect(await inboxOf(MET, second, 1)).toHaveLength(1);
    expect(restarted.applied).toBe(1);
    // From where it stopped: only what came after, not every access event from the start.
    const { rows } = await db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM event_store.events WHERE type = $1',
      [RECORD_ACCESSED],
    );
    expect(delivered()).toBeLessThan(rows[0]!.n);
    expect(await inbox(MET, first)).toHaveLength(1);
  });

  it('saves its place after reads reported to nobody only every so often, and at its stop', async () => {
    for (const replica of replicas) await replica.stop();
    const { store, delivered, last } = counting(new PostgresEventStore(db.pool));
    const sparing = new PartnershipReadsSubscription(db.pool, store, VIEW_SCHEMA, 60_000);
    replicas = [sparing];
    await sparing.start();
    // A partnership-wide read is saved with its place at once.
    const childId = await aChildKnownToTheMet();
    await audit.reads.subjectAccessExport(PARTNERSHIP_DPO, childId);
    await inboxOf(MET, childId, 1);
    const saved = await sparing.position();
    expect(saved).toEqual(last());
    // The Met's own officer reads the child: reported to nobody, so within the minute its place is not saved.
    const handled = delivered();
    await audit.reads.subjectAccessExport(MET_DPO, childId);
    await eventually(() => (delivered() > handled ? true : undefined), {
      what: 'the own-organisation read handled',
    });
    expect(await sparing.position()).toEqual(saved);
    // A stop saves where it got to.
    await sparing.stop();
    expect(await sparing.position()).toEqual(last());
    expect(last()).not.toEqual(saved);
    replicas = [new PartnershipReadsSubscription(db.pool, new PostgresEventStore(db.pool))];
    await replicas[0]!.start();
  });

  it('is a read model: a rebuild from the access streams makes the same inbox again', async () => {
    const childId = await aChildKnownToTheMet();
    await audit.reads.subjectAccessExport(PARTNERSHIP_DPO, childId);
    await inboxOf(MET, childId, 1);
    const [report] = await audit.rebuilds.rebuild({ models: ['partnership-reads'] });
    const compared = await audit.rebuilds.compare(report!.schema);
    expect(compared).toMatchObject({ differences: [], structure: [] });
    const [table] = compared.tables;
    expect(table).toMatchObject({ table: 'partnership_reads', differences: 0 });
    expect(table!.rebuiltRows).toBeGreaterThanOrEqual(4);
    expect(table!.rebuiltRows).toBe(table!.liveRows);
    await audit.rebuilds.drop(report!.schema);
  });
});
