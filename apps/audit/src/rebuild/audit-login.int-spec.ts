import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPool, OWNER_ROLES, type Pool } from '@jigsaw/database';
import { SchemaRegistry } from '@jigsaw/envelope';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { eventKeyOf, ProjectionRunner } from '@jigsaw/projection';
import {
  aRecordedEvent,
  createTestDatabase,
  createTestLogin,
  type TestDatabase,
  type TestLogin,
} from '@jigsaw/testing';
import {
  notificationStreamOf,
  liveReadModelMigrations,
  READ_MODEL_OWNERS,
  readModelProjections,
} from '@jigsaw/view-model';
import { AUDIT_MIGRATIONS } from '../audit.js';
import { anAcknowledgedNotification } from '../testing/notification.factory.js';
import { RebuildPools } from './rebuild-pools.js';
import { Rebuilds } from './rebuilds.js';

/**
 * The audit CLI on a login of its own (docs/operating.md, "One login per service"): a member of the audit
 * service's role and of the read models' owners' alone, with every migration applied beforehand by the
 * admin login. It rebuilds, compares, swaps and drops each owner's read models as that owner.
 */
describe("the audit CLI's rebuilds on the audit service's own login", () => {
  let db: TestDatabase;
  let login: TestLogin;
  let pools: RebuildPools;
  let auditPool: Pool;
  let rebuilds: Rebuilds;

  beforeAll(async () => {
    db = await createTestDatabase([EVENT_STORE_MIGRATIONS, AUDIT_MIGRATIONS, ...liveReadModelMigrations()]);
    // What each owner's live service applied: a police record in the view, a notification in the inbox.
    const store = new PostgresEventStore(db.pool);
    const record = aRecordedEvent();
    await store.append(`police-${record.childid}`, [record], { expectedVersion: 'no-stream' });
    const { notificationId, events } = anAcknowledgedNotification(record.childid, eventKeyOf(record));
    await store.append(notificationStreamOf(notificationId), events, { expectedVersion: 'no-stream' });
    for (const owner of READ_MODEL_OWNERS) {
      const live = new ProjectionRunner(
        db.pool,
        owner.liveSchema,
        readModelProjections({ pool: db.pool }, owner.models),
        new SchemaRegistry(),
      );
      for (const event of [record, ...events]) await live.apply(event);
    }

    login = await createTestLogin('audit', [
      OWNER_ROLES.audit,
      ...READ_MODEL_OWNERS.map((owner) => owner.role),
    ]);
    const url = login.urlTo(db.url);
    pools = new RebuildPools(url, 'audit-login-spec');
    auditPool = createPool(url, { role: OWNER_ROLES.audit, max: 2 });
    const records = new PostgresEventStore(auditPool);
    rebuilds = Rebuilds.forOwners(pools, records, auditPool);
  });
  afterAll(async () => {
    await Promise.all([pools?.end(), auditPool?.end()]);
    await db?.drop();
    await login?.drop();
  });

  it("rebuilds, compares, swaps and drops every owner's read models", async () => {
    const reports = await rebuilds.rebuild();
    expect(reports.map((r) => r.liveSchema)).toEqual(READ_MODEL_OWNERS.map((o) => o.liveSchema));
    for (const report of reports) {
      const compared = await rebuilds.compare(report.schema);
      expect(compared).toMatchObject({ differences: [], structure: [], aheadOfLive: 0 });
      expect(compared.tables.every((t) => t.rebuiltRows === t.liveRows)).toBe(true);
      const swap = await rebuilds.swap(report.schema);
      expect(swap).toMatchObject({ rebuildSchemaDropped: true });
      expect(await rebuilds.drop(swap.retiredSchema)).toEqual({ schema: swap.retiredSchema, dropped: true });
    }
    // The swapped-in tables are still their owners'.
    const { rows } = await db.pool.query<{ schema: string; owner: string }>(
      `SELECT DISTINCT schemaname AS schema, tableowner AS owner FROM pg_tables
        WHERE schemaname = ANY($1) AND tablename = ANY($2) ORDER BY 1`,
      [READ_MODEL_OWNERS.map((o) => o.liveSchema), ['chronology', 'notifications']],
    );
    expect(rows).toEqual(
      READ_MODEL_OWNERS.map((o) => ({ schema: o.liveSchema, owner: o.role })).sort((a, b) =>
        a.schema.localeCompare(b.schema),
      ),
    );
  });

  it('may not act as any other owner', async () => {
    const own = createPool(login.urlTo(db.url), { max: 1 });
    try {
      for (const role of [OWNER_ROLES.police, OWNER_ROLES.eventStore, OWNER_ROLES.identity]) {
        await expect(own.query(`SET ROLE ${role}`)).rejects.toMatchObject({ code: '42501' });
      }
    } finally {
      await own.end();
    }
  });
});
