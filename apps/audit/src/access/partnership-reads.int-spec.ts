import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { contentHash } from '@jigsaw/envelope';
import { PostgresEventStore } from '@jigsaw/event-store';
import { appliedEventsMigrations } from '@jigsaw/projection';
import { aRecordedEvent, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import { partnershipReadsReportedTo, VIEW_SCHEMA, viewMigrations } from '@jigsaw/view-model';
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

describe("a partnership-wide read reaches the data protection officers' inbox", () => {
  let db: TestDatabase;
  let audit: Audit;

  beforeAll(async () => {
    db = await createTestDatabase([
      ...AUDIT_SERVICE_MIGRATIONS,
      appliedEventsMigrations(VIEW_SCHEMA),
      viewMigrations(VIEW_SCHEMA),
    ]);
    audit = createAudit(db.pool, 'test-identifier-secret', randomBytes(32).toString('base64'));
  });
  afterAll(async () => db?.drop());

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

  it('shows a partnership export, access log and as-known-at in the related DPO’s inbox and nobody else’s', async () => {
    const childId = await aChildKnownToTheMet();
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
    const seen = await inbox(MET, childId);
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
    expect(await inbox(MET, childId)).toEqual([]);
  });

  it('is a read model: a rebuild from the access streams makes the same inbox again', async () => {
    const childId = await aChildKnownToTheMet();
    await audit.reads.subjectAccessExport(PARTNERSHIP_DPO, childId);
    const report = await audit.rebuilds.rebuild({ models: ['partnership-reads'] });
    const compared = await audit.rebuilds.compare(report.schema);
    expect(compared).toMatchObject({ differences: [], structure: [] });
    const [table] = compared.tables;
    expect(table).toMatchObject({ table: 'partnership_reads', differences: 0 });
    expect(table!.rebuiltRows).toBeGreaterThanOrEqual(4);
    expect(table!.rebuiltRows).toBe(table!.liveRows);
    await audit.rebuilds.drop(report.schema);
  });
});
