import { join } from 'node:path';
import { repoRoot } from '@jigsaw/config';
import { withTransaction, type MigrationSet, type Pool } from '@jigsaw/database';
import type { RecordedEvent, SchemaRegistry } from '@jigsaw/envelope';
import { PoisonMessageError, type IncomingMessage, type RejectedMessage } from '@jigsaw/messaging';
import { applyBatch } from './rebuild.js';
import { eventKeyOf, type Projection } from './projection.js';

export function appliedEventsMigrations(schema: string): MigrationSet {
  return { component: 'projection', directory: join(repoRoot(), 'libs/projection/migrations'), schema };
}

/** Applies events to a set of read models in one schema, each event at most once. */
export class ProjectionRunner {
  applied = 0;
  lastAppliedAt: Date | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly projections: readonly Projection[],
    private readonly schemas: SchemaRegistry,
  ) {}

  /** Parses and validates a Kafka message; anything that can never apply is a poison message. */
  parse(message: IncomingMessage): RecordedEvent {
    let value: unknown;
    try {
      value = JSON.parse(message.value?.toString('utf8') ?? '');
    } catch {
      throw new PoisonMessageError('the message is not valid JSON');
    }
    const problems = this.schemas.validateEnvelope(value);
    const event = value as Partial<RecordedEvent>;
    if (typeof event?.childid !== 'string') problems.push({ field: 'childid', reason: 'is required' });
    if (typeof event?.recordedtime !== 'string')
      problems.push({ field: 'recordedtime', reason: 'is required' });
    if (problems.length > 0) {
      throw new PoisonMessageError(
        `the event fails its schema: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`,
        problems,
      );
    }
    return value as RecordedEvent;
  }

  async handle(message: IncomingMessage): Promise<void> {
    await this.apply(this.parse(message));
  }

  /** Applies the valid messages of a chunk in one transaction and returns the poison ones. */
  async handleBatch(messages: readonly IncomingMessage[]): Promise<RejectedMessage[]> {
    const rejected: RejectedMessage[] = [];
    const events: RecordedEvent[] = [];
    for (const message of messages) {
      try {
        events.push(this.parse(message));
      } catch (error) {
        if (!(error instanceof PoisonMessageError)) throw error;
        rejected.push({ message, error });
      }
    }
    const applied = await applyBatch(this.pool, this.schema, this.projections, events);
    if (applied > 0) {
      this.applied += applied;
      this.lastAppliedAt = new Date();
    }
    return rejected;
  }

  /** Applies one event to every projection in one transaction, with its applied mark; false if seen before. */
  async apply(event: RecordedEvent): Promise<boolean> {
    const applied = await withTransaction(this.pool, async (tx) => {
      await tx.query(`SET LOCAL search_path TO "${this.schema}", public`);
      const mark = await tx.query(
        'INSERT INTO applied_events (event_key) VALUES ($1) ON CONFLICT (event_key) DO NOTHING',
        [eventKeyOf(event)],
      );
      if (mark.rowCount === 0) return false;
      for (const projection of this.projections) await projection.apply(tx, event);
      return true;
    });
    if (applied) {
      this.applied++;
      this.lastAppliedAt = new Date();
    }
    return applied;
  }
}
