import { randomBytes } from 'node:crypto';
import { buildSchema, type Pool } from '@jigsaw/database';
import { ServiceConfig } from '@jigsaw/config';
import { OpeningEventStore, PersonalDataVault } from '@jigsaw/erasure';
import type { EventStore, GlobalPosition, StoredEvent } from '@jigsaw/event-store';
import { appliedEventsMigrations, rebuild } from '@jigsaw/projection';
import {
  NOTIFICATIONS_SCHEMA_NAME,
  READ_MODEL_OWNERS,
  readModelMigrations,
  readModelProjections,
  VIEW_SCHEMA,
} from '@jigsaw/view-model';

/** The view's own access records are stored beside the agencies' events but are no input to its read models. */
const NOT_PROJECTED = new Set(['hub.record-accessed']);

function projectedOnly(store: EventStore, seen: Set<string>, counted: string[]): EventStore {
  const readAll = async (
    options: { after?: GlobalPosition; limit?: number } = {},
  ): Promise<StoredEvent[]> => {
    // Filter after reading, so the replay still advances past a batch that held only access records.
    for (let after = options.after; ;) {
      const batch = await store.readAll({ ...options, ...(after ? { after } : {}) });
      const kept = batch.filter((e) => !NOT_PROJECTED.has(e.event.type));
      // Agency events only: the hub's own (notifications among them) are counted by the tests that make them.
      for (const e of kept) {
        if (e.event.type.startsWith('hub.')) continue;
        seen.add(`${e.event.source}|${e.event.id}`);
        counted.push(`${e.event.source}|${e.event.id}`);
      }
      if (kept.length > 0 || batch.length === 0) return kept;
      after = batch[batch.length - 1]!.globalPosition;
    }
  };
  return {
    append: (...args) => store.append(...args),
    readStream: (streamId) => store.readStream(streamId),
    readAll,
    findEvent: (source, id) => store.findEvent(source, id),
    subscribe: (options) => store.subscribe(options),
  };
}

interface Column {
  name: string;
  volatile: boolean;
  /** json has no equality operator: compared as jsonb, by value. */
  json: boolean;
}

/** Every table of a schema with its columns; those filled by the clock at projection time are volatile. */
async function tablesOf(pool: Pool, schema: string): Promise<Map<string, Column[]>> {
  const { rows } = await pool.query<{
    table_name: string;
    column_name: string;
    column_default: string | null;
    data_type: string;
  }>(
    `SELECT c.table_name, c.column_name, c.column_default, c.data_type
     FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name, c.ordinal_position`,
    [schema],
  );
  const tables = new Map<string, Column[]>();
  for (const row of rows) {
    const volatile = /\b(now|clock_timestamp|statement_timestamp|transaction_timestamp)\(\)/.test(
      row.column_default ?? '',
    );
    tables.set(row.table_name, [
      ...(tables.get(row.table_name) ?? []),
      { name: row.column_name, volatile, json: row.data_type === 'json' },
    ]);
  }
  return tables;
}

export interface ReplayComparison {
  /** Agency events the replay read, and how many of them were distinct (source, id). */
  replayed: number;
  replayedDistinct: number;
  /** Rows per table in its owner's live schema. */
  rows: Record<string, number>;
  /** Rows in one schema and not the other (as multisets), per table; all zero when the models agree. */
  differences: Record<string, { liveOnly: number; replayOnly: number }>;
}

/**
 * Waits until the view has recorded every notification it decided: until then the notifications' streams
 * are still being written, and a replay would lack what is recorded after it read the store.
 */
async function notificationsRecorded(pool: Pool, withinMs = 180_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${NOTIFICATIONS_SCHEMA_NAME}".notification_intents`,
    );
    const waiting = Number(rows[0]?.n ?? 0);
    if (waiting === 0) return;
    if (Date.now() > deadline) throw new Error(`${waiting} notification intents still unrecorded`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Replays the whole store into a fresh schema per owner of read models (the view's, the notifications') with
 * libs/projection's rebuild, as the audit service's rebuild replays them, and compares every table of the
 * owner's live read models with it, row for row (as multisets, so a duplicate row counts), leaving out only
 * the columns the clock fills at projection time.
 */
export async function compareWithReplay(pool: Pool, store: EventStore): Promise<ReplayComparison> {
  await notificationsRecorded(pool);
  const seen = new Set<string>();
  const counted: string[] = [];
  // Through the personal data vault, as the live view reads: events are stored with it sealed.
  const opening = new OpeningEventStore(
    store,
    new PersonalDataVault(pool, { masterKey: new ServiceConfig().ENCRYPTION_MASTER_KEY }),
  );
  const rows: ReplayComparison['rows'] = {};
  const differences: ReplayComparison['differences'] = {};
  for (const [i, owner] of READ_MODEL_OWNERS.entries()) {
    const schema = `replay_${randomBytes(4).toString('hex')}`;
    // Built as a rebuild's is, with nothing recorded: it is dropped after the comparison.
    await buildSchema(pool, schema, [
      appliedEventsMigrations(schema),
      ...readModelMigrations(schema, owner.models),
    ]);
    // The agency events are counted on the first replay only.
    const replayed = i === 0 ? projectedOnly(opening, seen, counted) : projectedOnly(opening, new Set(), []);
    await rebuild(pool, replayed, schema, readModelProjections({ pool }, owner.models));
    const live = await tablesOf(pool, owner.liveSchema);
    const fresh = await tablesOf(pool, schema);
    // The rebuildable read models' tables, less the columns each says differ by nature (a delivery's lease
    // and its attempts cut short by a crash); identity links are followed from their own events, so not
    // compared.
    const compared = new Map(
      owner.models.flatMap((model) => model.tables.map((t) => [t.name, new Set(t.ignore ?? [])] as const)),
    );
    for (const [table, columns] of [...live].filter(([name]) => compared.has(name))) {
      const total = await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM "${owner.liveSchema}"."${table}"`,
      );
      rows[table] = Number(total.rows[0]?.n ?? 0);
      const ignored = compared.get(table)!;
      const shared = columns.filter((c) => !c.volatile && !ignored.has(c.name));
      const freshColumns = new Set((fresh.get(table) ?? []).map((c) => c.name));
      if (shared.some((c) => !freshColumns.has(c.name)))
        throw new Error(`replay schema lacks columns of ${table}`);
      const list = shared.map((c) => `"${c.name}"${c.json ? '::jsonb' : ''}`).join(', ');
      const count = async (a: string, b: string): Promise<number> => {
        const { rows: r } = await pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM (SELECT ${list} FROM "${a}"."${table}" EXCEPT ALL SELECT ${list} FROM "${b}"."${table}") d`,
        );
        return Number(r[0]?.n ?? 0);
      };
      differences[table] = {
        liveOnly: await count(owner.liveSchema, schema),
        replayOnly: await count(schema, owner.liveSchema),
      };
    }
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
  }
  return { replayed: counted.length, replayedDistinct: seen.size, rows, differences };
}

/** Every agency event in the store, counted by (source, id): each must be there exactly once. */
export async function eventCounts(pool: Pool): Promise<{
  stored: number;
  storedDistinct: number;
  chronology: number;
  chronologyDistinct: number;
  outbox: number;
}> {
  const { rows } = await pool.query<Record<string, string>>(
    `SELECT
       (SELECT count(*) FROM event_store.events WHERE type NOT LIKE 'hub.%') AS stored,
       (SELECT count(DISTINCT (source, id)) FROM event_store.events WHERE type NOT LIKE 'hub.%') AS stored_distinct,
       (SELECT count(*) FROM "${VIEW_SCHEMA}".chronology) AS chronology,
       (SELECT count(DISTINCT event_key) FROM "${VIEW_SCHEMA}".chronology) AS chronology_distinct,
       (SELECT count(*) FROM event_store.outbox) AS outbox`,
  );
  const r = rows[0]!;
  return {
    stored: Number(r['stored']),
    storedDistinct: Number(r['stored_distinct']),
    chronology: Number(r['chronology']),
    chronologyDistinct: Number(r['chronology_distinct']),
    outbox: Number(r['outbox']),
  };
}
