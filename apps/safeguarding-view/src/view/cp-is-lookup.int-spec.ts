import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SchemaRegistry } from '@jigsaw/envelope';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { IDENTITY_MIGRATIONS, IdentityRegistry } from '@jigsaw/identity';
import { appliedEventsMigrations, ProjectionRunner } from '@jigsaw/projection';
import { aNhsNumber, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import {
  AccessLog,
  accessStreamOf,
  accessTopic,
  ChildLinks,
  ChildRefResolver,
  chronologyProjection,
  CP_IS_FLAG_LOOKED_UP,
  VIEW_SCHEMA,
  viewMigrations,
} from '@jigsaw/view-model';
import { ChildAccessGate } from '../children/child-access.gate.js';
import { aeClinician, EXAMPLE_NOW, exampleHistory, LEEDS } from '../openapi/example-history.js';
import { ChildViewService } from './child-view.service.js';

const PREFIX = 'test.';

/** An emergency department the child never attended: no relationship, so the minimal flag. */
const elsewhere = {
  ...aeClinician,
  organisation: 'urn:jigsaw:org:health:york-hospital',
  userId: 'clin-york',
};

interface AccessRow {
  type: string;
  id: string;
  stream_position: string;
  transaction_id: string;
  record: Record<string, unknown>;
}

describe("a CP-IS flag look-up: the read's access record and the look-up, one append", () => {
  let db: TestDatabase;
  let service: ChildViewService;
  const nhsNumber = aNhsNumber();
  let childId: string;

  const accessStream = async (): Promise<AccessRow[]> =>
    (
      await db.pool.query<AccessRow>(
        `SELECT type, payload->>'id' AS id, stream_position, transaction_id::text,
                payload->'data'->'record' AS record
         FROM event_store.events WHERE stream_id = $1 ORDER BY stream_position`,
        [accessStreamOf(childId)],
      )
    ).rows;
  const outbox = async () =>
    (
      await db.pool.query<{ topic: string; message_key: string; payload: { id: string; type: string } }>(
        'SELECT topic, message_key, payload FROM event_store.outbox ORDER BY id',
      )
    ).rows;

  beforeAll(async () => {
    db = await createTestDatabase([
      EVENT_STORE_MIGRATIONS,
      IDENTITY_MIGRATIONS,
      appliedEventsMigrations(VIEW_SCHEMA),
      viewMigrations(VIEW_SCHEMA),
    ]);
    const identity = new IdentityRegistry(db.pool, 'integration-test-identifier-secret');
    childId = await identity.resolve('council', { nhsNumber });
    const runner = new ProjectionRunner(db.pool, VIEW_SCHEMA, [chronologyProjection], new SchemaRegistry());
    for (const event of exampleHistory()) await runner.apply({ ...event, childid: childId });
    const store = new PostgresEventStore(db.pool);
    const accessLog = new AccessLog(store);
    // As ACCESS_PUBLISHING wires the view's store: the look-up to hub.access, nothing else anywhere.
    const lookups = new PostgresEventStore(db.pool, {
      route: (event) =>
        event.type === CP_IS_FLAG_LOOKED_UP ? { topic: accessTopic(PREFIX), key: event.childid } : undefined,
    });
    const children = new ChildRefResolver(identity, new ChildLinks(db.pool));
    service = new ChildViewService(
      new ChildAccessGate(db.pool, store, accessLog, children),
      accessLog,
      lookups,
    );
  });
  afterAll(async () => db?.drop());

  it('appends the access record and the look-up in one transaction, and publishes only the look-up', async () => {
    const flag = await service.flagWithoutRelationship(nhsNumber, elsewhere, EXAMPLE_NOW);
    expect(flag).toMatchObject({ state: 'flagged', council: { organisation: LEEDS } });

    const [read, lookup, ...more] = await accessStream();
    expect(more).toEqual([]);
    expect(read).toMatchObject({ type: 'hub.record-accessed', record: { view: 'cp-is-flag' } });
    expect(lookup).toMatchObject({
      type: CP_IS_FLAG_LOOKED_UP,
      transaction_id: read!.transaction_id,
      stream_position: String(Number(read!.stream_position) + 1),
      record: {
        accessId: read!.id,
        childId,
        lookedUpAt: EXAMPLE_NOW.toISOString(),
        lookedUpBy: elsewhere.organisation,
        council: LEEDS,
        careStatuses: [
          {
            kind: 'child-protection-plan',
            startDate: '2026-06-02',
            inForce: true,
            contact: { team: expect.any(String), phone: '0113 222 4403', outOfHoursPhone: '0113 240 9536' },
          },
        ],
        statusEvents: [expect.stringMatching(/^urn:jigsaw:org:council:leeds\|/)],
        triggerEventKey: expect.stringMatching(/^urn:jigsaw:org:council:leeds\|/),
      },
    });
    // One outbox row, the look-up's, keyed by the hub child id; the read itself is not published.
    expect(await outbox()).toEqual([
      {
        topic: `${PREFIX}hub.access`,
        message_key: childId,
        payload: expect.objectContaining({ id: lookup!.id, type: CP_IS_FLAG_LOOKED_UP }),
      },
    ]);
    expect(JSON.stringify(await outbox())).not.toContain(nhsNumber);
    // The view keeps nothing of the notifications' (no table of theirs is in its schema): the notifications
    // service raises it from hub.access.
    const { rows } = await db.pool.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [
      `"${VIEW_SCHEMA}".notification_intents`,
    ]);
    expect(rows[0]!.found).toBeNull();
  });

  it('records neither when the look-up cannot be written for publishing: no read the council is not told of', async () => {
    const before = await accessStream();
    const rowsBefore = await outbox();
    // PostgreSQL itself refuses the look-up's outbox row (a new one; the first look-up's is still there),
    // in the append's one statement.
    await db.pool.query(
      `ALTER TABLE event_store.outbox ADD CONSTRAINT refuse_lookups CHECK (topic <> '${PREFIX}hub.access') NOT VALID`,
    );
    try {
      await expect(service.flagWithoutRelationship(nhsNumber, elsewhere, EXAMPLE_NOW)).rejects.toMatchObject({
        code: '23514',
      });
    } finally {
      await db.pool.query('ALTER TABLE event_store.outbox DROP CONSTRAINT refuse_lookups');
    }
    expect(await accessStream()).toEqual(before);
    expect(await outbox()).toEqual(rowsBefore);

    await service.flagWithoutRelationship(nhsNumber, elsewhere, EXAMPLE_NOW);
    expect((await accessStream()).map((r) => r.type)).toEqual([
      ...before.map((r) => r.type),
      'hub.record-accessed',
      CP_IS_FLAG_LOOKED_UP,
    ]);
  });
});
