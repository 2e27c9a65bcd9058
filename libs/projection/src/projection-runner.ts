import { join } from 'node:path';
import { repoRoot } from '@jigsaw/config';
import type { MigrationSet, Pool } from '@jigsaw/database';
import {
  fromCloudEvent,
  upcast,
  type JigsawCloudEvent,
  type RecordedEvent,
  type SchemaRegistry,
} from '@jigsaw/envelope';
import { PoisonMessageError, type IncomingMessage, type RejectedMessage } from '@jigsaw/messaging';
import { observeVisible, projectionSpans } from './projection.telemetry.js';
import { applyFresh } from './rebuild.js';
import type { Projection } from './projection.js';

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
    // Topics keep what was published before envelope v2: such an event is read as its v2 CloudEvent.
    if (typeof value === 'object' && value !== null) value = upcast(value);
    const problems = this.schemas.validateEnvelope(value);
    const event = value as Partial<JigsawCloudEvent>;
    if (typeof event?.childid !== 'string') problems.push({ field: 'childid', reason: 'is required' });
    if (typeof event?.recordedtime !== 'string')
      problems.push({ field: 'recordedtime', reason: 'is required' });
    if (problems.length > 0) {
      throw new PoisonMessageError(
        `the event fails its schema: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`,
        problems,
      );
    }
    return fromCloudEvent(value as JigsawCloudEvent);
  }

  /** Applies the valid messages of a chunk in one transaction and returns the poison ones. */
  async handleBatch(messages: readonly IncomingMessage[]): Promise<RejectedMessage[]> {
    const rejected: RejectedMessage[] = [];
    const events: RecordedEvent[] = [];
    const sources: IncomingMessage[] = [];
    for (const message of messages) {
      try {
        events.push(this.parse(message));
        sources.push(message);
      } catch (error) {
        if (!(error instanceof PoisonMessageError)) throw error;
        rejected.push({ message, error });
      }
    }
    await this.applyAll(events, sources);
    return rejected;
  }

  /** Applies one event, with its applied mark, in one transaction; false if it was applied before. */
  async apply(event: RecordedEvent): Promise<boolean> {
    return (await this.applyAll([event])) > 0;
  }

  private async applyAll(
    events: readonly RecordedEvent[],
    messages: readonly IncomingMessage[] = [],
  ): Promise<number> {
    const spans = projectionSpans(
      this.schema,
      events,
      messages.map((m) => m.headers),
      messages.map((m) => m.topic),
    );
    let fresh: RecordedEvent[];
    try {
      fresh = await applyFresh(this.pool, this.schema, this.projections, events);
    } catch (error) {
      spans.end([], error);
      throw error;
    }
    spans.end(fresh);
    observeVisible(fresh);
    if (fresh.length > 0) {
      this.applied += fresh.length;
      this.lastAppliedAt = new Date();
    }
    return fresh.length;
  }
}
