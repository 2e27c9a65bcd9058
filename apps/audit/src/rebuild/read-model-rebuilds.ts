import { buildSchema, OWNER_ROLES, withTransaction, type Pool, type PoolClient } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import type { EventStore, StoredEvent } from '@jigsaw/event-store';
import {
  appliedEventsMigrations,
  applyEvents,
  eventKeyOf,
  rebuild,
  type Projection,
  type RebuildProgress,
} from '@jigsaw/projection';
import {
  readModelMigrations,
  readModelProjections,
  type ReadModel,
  type ReadModelOwner,
  type ReadModelTable,
} from '@jigsaw/view-model';
import { byGlobalOrder } from '../history/child-history.js';

export interface RebuildRecord {
  schema: string;
  liveSchema: string;
  models: string[];
  startedAt: string;
  finishedAt?: string;
  eventsRead?: number;
  eventsApplied?: number;
  swappedAt?: string;
  retiredSchema?: string;
  droppedAt?: string;
}

export interface RebuildReport extends RebuildProgress {
  schema: string;
  liveSchema: string;
  models: string[];
  /**
   * Events the live view had applied that the replay did not reach in the store's order (held back behind
   * a transaction still in flight somewhere on the server), applied after it by key.
   */
  caughtUp: number;
}

export type DifferenceKind = 'missing-in-rebuilt' | 'missing-in-live' | 'different';

/** One row that differs, named by its key; values are not reported, they may hold personal data. */
export interface Difference {
  table: string;
  key: Record<string, string>;
  kind: DifferenceKind;
  /** For `different`: the columns whose values differ. */
  columns?: string[];
}

export interface CompareReport {
  schema: string;
  liveSchema: string;
  models: string[];
  tables: { table: string; liveRows: number; rebuiltRows: number; differences: number }[];
  /** Table shapes that differ (a missing table or column, a changed type). */
  structure: string[];
  differences: Difference[];
  /** Events the live consumer applied after the rebuild read the store, applied to the rebuild first. */
  caughtUp: number;
  /** Events applied in the rebuild but not in the live schema: there should be none. */
  aheadOfLive: number;
}

export interface SwapReport {
  schema: string;
  liveSchema: string;
  retiredSchema: string;
  models: string[];
  tables: string[];
  caughtUp: number;
  attempts: number;
  /** How long the live consumer was held: from taking the lock to commit. */
  lockedMs: number;
  /** The rebuild schema is dropped after the swap unless something in it still has dependants. */
  rebuildSchemaDropped: boolean;
}

export interface RebuildOptions {
  models?: readonly string[];
  into?: string;
  batchSize?: number;
  /** Transactions each batch applies in at once, split by child, when every model chosen is per child. */
  lanes?: number;
  onProgress?: (progress: RebuildProgress & { total: number }) => void;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
/** How long a replay waits at the end for transactions still in flight before it leaves the rest to catch-up. */

/** A quoted SQL identifier. */
const q = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const literal = (value: string): string => `'${value.replaceAll("'", "''")}'`;

/** `20261123101500123`: to the millisecond, so names made one after another never collide. */
function stamp(now: Date): string {
  return now.toISOString().replace(/[-:TZ.]/g, '');
}

export function invalid(field: string, reason: string, message = `invalid input: ${field}`): JigsawError {
  return new JigsawError(ErrorCode.ValidationFailed, message, [{ field, reason }]);
}

/** The models named, each once, from those `known`; a name not known is refused, naming the ones that are. */
export function chosenModels(names: readonly string[], known: readonly ReadModel[]): ReadModel[] {
  const byName = new Map(known.map((m) => [m.name, m]));
  const unknown = names.filter((name) => !byName.has(name));
  if (unknown.length > 0) {
    throw invalid(
      'model',
      `must be one of ${[...byName.keys()].join(', ')}`,
      `unknown read model: ${unknown.join(', ')}`,
    );
  }
  return [...new Set(names)].map((name) => byName.get(name)!);
}

interface RebuildRow {
  schema_name: string;
  live_schema: string;
  models: string[];
  started_at: Date;
  finished_at: Date | null;
  events_read: string | null;
  events_applied: string | null;
  swapped_at: Date | null;
  retired_schema: string | null;
  dropped_at: Date | null;
}

function toRecord(row: RebuildRow): RebuildRecord {
  return {
    schema: row.schema_name,
    liveSchema: row.live_schema,
    models: row.models,
    startedAt: row.started_at.toISOString(),
    ...(row.finished_at ? { finishedAt: row.finished_at.toISOString() } : {}),
    ...(row.events_read !== null ? { eventsRead: Number(row.events_read) } : {}),
    ...(row.events_applied !== null ? { eventsApplied: Number(row.events_applied) } : {}),
    ...(row.swapped_at ? { swappedAt: row.swapped_at.toISOString() } : {}),
    ...(row.retired_schema ? { retiredSchema: row.retired_schema } : {}),
    ...(row.dropped_at ? { droppedAt: row.dropped_at.toISOString() } : {}),
  };
}

interface Column {
  name: string;
  type: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The rebuilds of one owner's read models (READ_MODEL_OWNERS: the view's, the notifications'). Runs on a
 * pool acting as that owner's role, since the rebuilt tables are the owner's and the swap moves the owner's
 * own; only the record of rebuilds is the audit service's (`ledger`).
 *
 * Rebuilds the owner's read models from the event store into a fresh schema, compares a rebuild with the
 * live schema row by row, and swaps rebuilt tables in while the owner's service keeps answering.
 *
 * A rebuild applies exactly the events the live schema has applied (its applied-events marks), never
 * more: so a rebuild can be compared with live exactly, and one read model can be swapped in under the
 * live schema's marks while the others stay. Events the live consumer applies after the replay are caught
 * up from the store: inside the compare's snapshot, and inside the swap's transaction, which holds the
 * live consumer back for those few milliseconds and then lets it carry on against the new tables.
 */
export class ReadModelRebuilds {
  private readonly models: readonly ReadModel[];
  readonly liveSchema: string;

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    owner: Pick<ReadModelOwner, 'liveSchema' | 'models'>,
    private readonly clock: () => Date = () => new Date(),
    /** The audit service's own pool, for its record of rebuilds (`audit.rebuilds`). */
    private readonly ledger: Pool = pool,
  ) {
    this.models = owner.models;
    this.liveSchema = owner.liveSchema;
  }

  get readModels(): readonly ReadModel[] {
    return this.models;
  }

  async rebuild(options: RebuildOptions = {}): Promise<RebuildReport> {
    const models = this.select(options.models);
    await this.requireLive();
    const schema = options.into ?? `${this.liveSchema}_rebuild_${stamp(this.clock())}`;
    if (!IDENTIFIER.test(schema)) {
      throw invalid('into', 'must be a lower-case SQL name: a-z, 0-9 and _, at most 63 characters');
    }
    const earlier = await this.find(schema);
    if (schema === this.liveSchema || (await this.schemaExists(schema)) || (earlier && !earlier.droppedAt)) {
      throw invalid('into', 'must name a schema that does not exist yet');
    }
    await this.ledger.query(
      `INSERT INTO audit.rebuilds (schema_name, live_schema, models) VALUES ($1, $2, $3)
       ON CONFLICT (schema_name) DO UPDATE SET live_schema = $2, models = $3, started_at = now(),
         finished_at = NULL, events_read = NULL, events_applied = NULL, swapped_at = NULL,
         retired_schema = NULL, dropped_at = NULL`,
      [schema, this.liveSchema, models.map((m) => m.name)],
    );
    // Made as the owner, with nothing recorded: a rebuild's schema is built once and dropped, never migrated.
    await buildSchema(this.pool, schema, [
      appliedEventsMigrations(schema),
      ...readModelMigrations(schema, this.models),
    ]);
    // Counted for the progress bar.
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events');
    const total = Number(rows[0]!.n);
    options.onProgress?.({ events: 0, applied: 0, elapsedMs: 0, perSecond: 0, total });
    const result = await rebuild(
      this.pool,
      this.store,
      schema,
      readModelProjections({ pool: this.pool }, models),
      {
        ...(options.batchSize ? { batchSize: options.batchSize } : {}),
        ...(options.lanes ? { lanes: options.lanes } : {}),
        onProgress: (progress) =>
          options.onProgress?.({ ...progress, total: Math.max(total, progress.events) }),
        select: (events) => this.appliedLive(events),
        // The head is every event of a transaction begun before the replay, waited for at most 10 s (a
        // transaction anywhere on the server holds the store's read horizon back); the compare and the
        // swap catch up whatever a replay that stopped waiting missed.
      },
    );
    const caughtUp = await withTransaction(this.pool, (tx) => this.catchUp(tx, schema, models));
    await this.ledger.query(
      `UPDATE audit.rebuilds SET finished_at = now(), events_read = $2, events_applied = $3 WHERE schema_name = $1`,
      [schema, result.events, result.applied + caughtUp],
    );
    return { schema, liveSchema: this.liveSchema, models: models.map((m) => m.name), ...result, caughtUp };
  }

  /** Compares the rebuilt tables with the live ones as of one snapshot, after catching the rebuild up to it. */
  async compare(schema: string, options: { models?: readonly string[] } = {}): Promise<CompareReport> {
    const record = await this.rebuildFor(schema);
    const models = this.select(options.models ?? record.models);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const caughtUp = await this.catchUp(client, schema, models);
      const aheadOfLive = await this.aheadOfLive(client, schema);
      const report: CompareReport = {
        schema,
        liveSchema: this.liveSchema,
        models: models.map((m) => m.name),
        tables: [],
        structure: [],
        differences: [],
        caughtUp,
        aheadOfLive,
      };
      for (const table of models.flatMap((m) => m.tables))
        await this.compareTable(client, schema, table, report);
      await client.query('COMMIT');
      return report;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Moves the rebuilt models' tables into the live schema, and the live ones out into a retired schema, in
   * one short transaction. The live consumer is held at its applied-events marks meanwhile; queries wait
   * at most the lock timeout and then read the new tables. On a busy lock it backs off and tries again.
   */
  async swap(
    schema: string,
    options: { attempts?: number; lockTimeoutMs?: number } = {},
  ): Promise<SwapReport> {
    const record = await this.rebuildFor(schema);
    if (!record.finishedAt) throw invalid('schema', 'names a rebuild that has not finished');
    const models = this.select(record.models);
    const tables = models.flatMap((m) => m.tables.map((t) => t.name));
    const retiredSchema = `${this.liveSchema}_retired_${stamp(this.clock())}`.slice(0, 63);
    if (await this.schemaExists(retiredSchema))
      throw invalid('schema', 'a swap ran this very moment; try again');
    // Most of the catching up happens here, so the live consumer is held only for the last few events.
    await withTransaction(this.pool, (tx) => this.catchUp(tx, schema, models));
    const attempts = options.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      let swapped: Omit<SwapReport, 'rebuildSchemaDropped'> | undefined;
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `SET LOCAL lock_timeout = ${Math.max(1, Math.round(options.lockTimeoutMs ?? 2000))}`,
        );
        const locked = Date.now();
        // Blocks the live consumer's next mark (and so its next batch) until commit; reads go on.
        await client.query(`LOCK TABLE ${q(this.liveSchema)}.applied_events IN SHARE ROW EXCLUSIVE MODE`);
        const caughtUp = await this.catchUp(client, schema, models);
        const ahead = await this.aheadOfLive(client, schema);
        if (ahead > 0) {
          throw new JigsawError(
            ErrorCode.ValidationFailed,
            `the rebuild has applied ${ahead} events the live schema has not; rebuild again`,
            [{ field: 'schema', reason: 'names a rebuild ahead of the live schema' }],
          );
        }
        await client.query(`CREATE SCHEMA ${q(retiredSchema)}`);
        for (const table of tables) {
          await client.query(`ALTER TABLE ${q(this.liveSchema)}.${q(table)} SET SCHEMA ${q(retiredSchema)}`);
          await client.query(`ALTER TABLE ${q(schema)}.${q(table)} SET SCHEMA ${q(this.liveSchema)}`);
        }
        // Recorded in the swap's own transaction, as the audit service that keeps the record.
        await client.query(`SET LOCAL ROLE ${OWNER_ROLES.audit}`);
        await client.query(
          'UPDATE audit.rebuilds SET swapped_at = now(), retired_schema = $2 WHERE schema_name = $1',
          [schema, retiredSchema],
        );
        await client.query('COMMIT');
        swapped = {
          schema,
          liveSchema: this.liveSchema,
          retiredSchema,
          models: models.map((m) => m.name),
          tables,
          caughtUp,
          attempts: attempt,
          lockedMs: Date.now() - locked,
        };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        // 55P03: the lock timeout passed (a long query, or the consumer mid-batch): back off, try again.
        if ((error as { code?: string }).code !== '55P03' || attempt >= attempts) throw error;
      } finally {
        client.release();
      }
      if (swapped) return { ...swapped, rebuildSchemaDropped: await this.dropLeftovers(schema) };
      await sleep(200 * attempt);
    }
  }

  /**
   * Drops a rebuild schema or a retired one; never the live one. A swapped rebuild's schema loses only its
   * own tables, never anything the swapped-in tables still depend on.
   */
  async drop(schema: string): Promise<{ schema: string; dropped: boolean }> {
    if (schema === this.liveSchema) throw invalid('schema', 'is the live schema');
    const { rows } = await this.ledger.query<RebuildRow>(
      'SELECT * FROM audit.rebuilds WHERE schema_name = $1 OR retired_schema = $1',
      [schema],
    );
    const row = rows[0];
    if (!row || !(await this.schemaExists(schema)))
      throw invalid('schema', 'names no rebuild or retired schema');
    if (row.schema_name === schema && row.swapped_at)
      return { schema, dropped: await this.dropLeftovers(schema) };
    await this.pool.query(`DROP SCHEMA ${q(schema)} CASCADE`);
    await this.forgetMigrations(schema);
    if (row.schema_name === schema) {
      await this.ledger.query('UPDATE audit.rebuilds SET dropped_at = now() WHERE schema_name = $1', [
        schema,
      ]);
    }
    return { schema, dropped: true };
  }

  /** Every rebuild, and whether its schema and retired schema are still there. */
  async list(): Promise<(RebuildRecord & { schemaExists: boolean; retiredSchemaExists: boolean })[]> {
    const { rows } = await this.ledger.query<
      RebuildRow & { schema_exists: boolean; retired_exists: boolean }
    >(
      `SELECT r.*, EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = r.schema_name) AS schema_exists,
              EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = r.retired_schema) AS retired_exists
       FROM audit.rebuilds r ORDER BY r.started_at`,
    );
    return rows.map((row) => ({
      ...toRecord(row),
      schemaExists: row.schema_exists,
      retiredSchemaExists: row.retired_exists,
    }));
  }

  private select(names: readonly string[] | undefined): ReadModel[] {
    return !names || names.length === 0 ? [...this.models] : chosenModels(names, this.models);
  }

  private async requireLive(): Promise<void> {
    const { rows } = await this.pool.query<{ found: string | null }>(
      'SELECT to_regclass($1)::text AS found',
      [`${q(this.liveSchema)}.applied_events`],
    );
    if (!rows[0]?.found) {
      throw new JigsawError(
        ErrorCode.ValidationFailed,
        `there is no live schema ${this.liveSchema} to rebuild against: start the service that owns it first`,
      );
    }
  }

  private async schemaExists(schema: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    return (rowCount ?? 0) > 0;
  }

  private async find(schema: string): Promise<RebuildRecord | undefined> {
    const { rows } = await this.ledger.query<RebuildRow>(
      'SELECT * FROM audit.rebuilds WHERE schema_name = $1',
      [schema],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  private async rebuildFor(schema: string): Promise<RebuildRecord> {
    const record = await this.find(schema);
    if (!record || record.droppedAt) throw invalid('schema', 'names no rebuild schema');
    if (record.swappedAt) throw invalid('schema', 'names a rebuild already swapped in');
    if (record.liveSchema !== this.liveSchema)
      throw invalid('schema', `was rebuilt against ${record.liveSchema}`);
    return record;
  }

  /** Of these events, those the live schema has applied. */
  private async appliedLive(events: readonly RecordedEvent[]): Promise<RecordedEvent[]> {
    if (events.length === 0) return [];
    const { rows } = await this.pool.query<{ event_key: string }>(
      `SELECT event_key FROM ${q(this.liveSchema)}.applied_events WHERE event_key = ANY($1::text[])`,
      [events.map(eventKeyOf)],
    );
    const applied = new Set(rows.map((r) => r.event_key));
    return events.filter((e) => applied.has(eventKeyOf(e)));
  }

  /** Applies to the rebuild, in `tx`, every event the live schema has applied and the rebuild has not. */
  private async catchUp(tx: PoolClient, schema: string, models: readonly ReadModel[]): Promise<number> {
    const { rows } = await tx.query<{ event_key: string }>(
      `SELECT l.event_key FROM ${q(this.liveSchema)}.applied_events l
       WHERE NOT EXISTS (SELECT 1 FROM ${q(schema)}.applied_events r WHERE r.event_key = l.event_key)`,
    );
    if (rows.length === 0) return 0;
    const found: StoredEvent[] = [];
    const keys = rows.map((r) => r.event_key);
    // A few lookups at a time: the pool is shared with the transaction this runs in.
    for (let i = 0; i < keys.length; i += 4) {
      const batch = await Promise.all(
        keys.slice(i, i + 4).map(async (key) => {
          const bar = key.indexOf('|');
          const stored = await this.store.findEvent(key.slice(0, bar), key.slice(bar + 1));
          if (!stored) throw new Error(`the live schema applied ${key}, which the event store does not hold`);
          return stored;
        }),
      );
      found.push(...batch);
    }
    const projections: Projection[] = readModelProjections({ pool: this.pool }, models);
    return applyEvents(
      tx,
      schema,
      projections,
      found.sort(byGlobalOrder).map((s) => s.event),
    );
  }

  private async aheadOfLive(tx: PoolClient, schema: string): Promise<number> {
    const { rows } = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${q(schema)}.applied_events r
       WHERE NOT EXISTS (SELECT 1 FROM ${q(this.liveSchema)}.applied_events l WHERE l.event_key = r.event_key)`,
    );
    return rows[0]!.n;
  }

  private async columns(tx: PoolClient, schema: string, table: string): Promise<Column[]> {
    const { rows } = await tx.query<Column>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
       ORDER BY a.attnum`,
      [schema, table],
    );
    return rows;
  }

  private async compareTable(
    tx: PoolClient,
    schema: string,
    table: ReadModelTable,
    report: CompareReport,
  ): Promise<void> {
    const live = await this.columns(tx, this.liveSchema, table.name);
    const rebuilt = await this.columns(tx, schema, table.name);
    if (live.length === 0 || rebuilt.length === 0) {
      report.structure.push(`${table.name}: missing in ${live.length === 0 ? this.liveSchema : schema}`);
      return;
    }
    const ignored = new Set(table.ignore ?? []);
    const rebuiltTypes = new Map(rebuilt.map((c) => [c.name, c.type]));
    const liveNames = new Set(live.map((c) => c.name));
    for (const column of live) {
      const type = rebuiltTypes.get(column.name);
      if (type === undefined) report.structure.push(`${table.name}.${column.name}: missing in ${schema}`);
      else if (type !== column.type) {
        report.structure.push(`${table.name}.${column.name}: ${column.type} live, ${type} rebuilt`);
      }
    }
    for (const column of rebuilt) {
      if (!liveNames.has(column.name))
        report.structure.push(`${table.name}.${column.name}: missing in ${this.liveSchema}`);
    }
    const comparable = live.filter((c) => rebuiltTypes.get(c.name) === c.type && !ignored.has(c.name));
    const keys = table.key;
    if (!keys.every((k) => comparable.some((c) => c.name === k))) {
      report.structure.push(`${table.name}: key ${keys.join(', ')} is not a column of both tables`);
      return;
    }
    // json has no equality operator; jsonb compares by value.
    const value = (side: string, c: Column): string =>
      `${side}.${q(c.name)}${c.type === 'json' ? '::jsonb' : ''}`;
    const compared = comparable.filter((c) => !keys.includes(c.name));
    const first = q(keys[0]!);
    const distinct = compared.length
      ? ` OR ROW(${compared.map((c) => value('l', c)).join(', ')}) IS DISTINCT FROM ROW(${compared.map((c) => value('r', c)).join(', ')})`
      : '';
    const differing = compared.length
      ? `array_remove(ARRAY[${compared
          .map(
            (c) => `CASE WHEN ${value('l', c)} IS DISTINCT FROM ${value('r', c)} THEN ${literal(c.name)} END`,
          )
          .join(', ')}], NULL)`
      : 'ARRAY[]::text[]';
    const { rows } = await tx.query<{
      key: string[];
      only_live: boolean;
      only_rebuilt: boolean;
      columns: string[];
    }>(
      `SELECT ARRAY[${keys.map((k) => `COALESCE(l.${q(k)}, r.${q(k)})::text`).join(', ')}] AS key,
              r.${first} IS NULL AS only_live, l.${first} IS NULL AS only_rebuilt, ${differing} AS columns
       FROM ${q(this.liveSchema)}.${q(table.name)} l
       FULL JOIN ${q(schema)}.${q(table.name)} r ON ${keys.map((k) => `l.${q(k)} = r.${q(k)}`).join(' AND ')}
       WHERE l.${first} IS NULL OR r.${first} IS NULL${distinct}
       ORDER BY 1`,
    );
    const counts = await tx.query<{ live: string; rebuilt: string }>(
      `SELECT (SELECT count(*) FROM ${q(this.liveSchema)}.${q(table.name)}) AS live,
              (SELECT count(*) FROM ${q(schema)}.${q(table.name)}) AS rebuilt`,
    );
    for (const row of rows) {
      const key = Object.fromEntries(keys.map((k, i) => [k, row.key[i] ?? '']));
      if (row.only_live) report.differences.push({ table: table.name, key, kind: 'missing-in-rebuilt' });
      else if (row.only_rebuilt) report.differences.push({ table: table.name, key, kind: 'missing-in-live' });
      else report.differences.push({ table: table.name, key, kind: 'different', columns: row.columns });
    }
    report.tables.push({
      table: table.name,
      liveRows: Number(counts.rows[0]!.live),
      rebuiltRows: Number(counts.rows[0]!.rebuilt),
      differences: rows.length,
    });
  }

  /** After a swap the rebuild schema holds only marks and unswapped tables; drop it unless something depends on it. */
  private async dropLeftovers(schema: string): Promise<boolean> {
    try {
      const { rows } = await this.pool.query<{ tablename: string }>(
        'SELECT tablename FROM pg_tables WHERE schemaname = $1',
        [schema],
      );
      for (const { tablename } of rows) await this.pool.query(`DROP TABLE ${q(schema)}.${q(tablename)}`);
      await this.pool.query(`DROP SCHEMA ${q(schema)}`);
      await this.forgetMigrations(schema);
      await this.ledger.query('UPDATE audit.rebuilds SET dropped_at = now() WHERE schema_name = $1', [
        schema,
      ]);
      return true;
    } catch {
      return false;
    }
  }

  /** A schema rebuilt before rebuilds were built unrecorded (`buildSchema`) has its migrations recorded. */
  private async forgetMigrations(schema: string): Promise<void> {
    await this.pool.query("DELETE FROM public.jigsaw_migrations WHERE split_part(component, '@', 2) = $1", [
      schema,
    ]);
  }
}
