import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { PoolClient } from '@jigsaw/database';
import { SchemaRegistry, type RecordedEvent } from '@jigsaw/envelope';
import { EVENT_STORE_MIGRATIONS, OutboxRelay, PostgresEventStore } from '@jigsaw/event-store';
import { KafkaMessaging, type MessageConsumer, type Publisher } from '@jigsaw/messaging';
import {
  finishedSpans,
  inSpan,
  renderMetrics,
  startTracing,
  stopTracing,
  tracingConfigFrom,
} from '@jigsaw/telemetry';
import {
  aRecordedEvent,
  createTestDatabase,
  eventually,
  testBrokers,
  type TestDatabase,
  uniqueTopicPrefix,
} from '@jigsaw/testing';
import type { Projection } from './projection.js';
import { appliedEventsMigrations, ProjectionRunner } from './projection-runner.js';

const SCHEMA = 'trace_test';

const recording: Projection = {
  name: 'recording',
  async apply(tx: PoolClient, event: RecordedEvent): Promise<void> {
    await tx.query('INSERT INTO seen (event_id) VALUES ($1)', [event.id]);
  },
};

describe('one trace from the append, through the outbox and Kafka, to the projection', () => {
  let db: TestDatabase;
  let messaging: KafkaMessaging;
  let publisher: Publisher;
  let consumer: MessageConsumer;
  let store: PostgresEventStore;
  let relay: OutboxRelay;
  const prefix = uniqueTopicPrefix('trace');
  const topic = `${prefix}police.events`;

  beforeAll(async () => {
    startTracing('trace-test', tracingConfigFrom({ OTEL_TRACES_EXPORTER: 'memory' }));
    db = await createTestDatabase([EVENT_STORE_MIGRATIONS, appliedEventsMigrations(SCHEMA)]);
    await db.pool.query(`CREATE TABLE ${SCHEMA}.seen (event_id text PRIMARY KEY)`);
    messaging = new KafkaMessaging({ brokers: testBrokers(), clientId: 'trace-test' });
    await messaging.ensureTopics([topic]);
    store = new PostgresEventStore(db.pool, { route: (e) => ({ topic, key: e.childid }) });
    publisher = messaging.publisher();
    relay = new OutboxRelay(db.pool, publisher);
    const runner = new ProjectionRunner(db.pool, SCHEMA, [recording], new SchemaRegistry());
    consumer = messaging.consumer({ groupId: `${prefix}view`, topics: [topic] });
    await consumer.startBatch((messages) => runner.handleBatch(messages));
  });

  afterAll(async () => {
    await consumer?.stop();
    await publisher?.close();
    await db?.drop();
    await stopTracing();
  });

  it('stores the append span with the outbox row; the projection span descends from the request', async () => {
    const event = aRecordedEvent();
    const request = await inSpan('request', { kind: SpanKind.SERVER }, async (span) => {
      await store.append(`police-${event.childid}`, [event], { expectedVersion: 'no-stream' });
      return span.spanContext();
    });
    const append = finishedSpans().find((s) => s.name === 'event-store append')!;
    expect(append.parentSpanContext?.spanId).toBe(request.spanId);
    const { rows } = await db.pool.query<{ traceparent: string | null }>(
      'SELECT traceparent FROM event_store.outbox',
    );
    expect(rows).toEqual([{ traceparent: `00-${request.traceId}-${append.spanContext().spanId}-01` }]);

    expect(await relay.relayBatch()).toBe(1);
    const projection = await eventually(() => finishedSpans().find((s) => s.name === 'projection apply'), {
      what: 'the projection span',
      timeoutMs: 30_000,
    });
    const byId = new Map(finishedSpans().map((s) => [s.spanContext().spanId, s]));
    const chain: ReadableSpan[] = [];
    for (let s: ReadableSpan | undefined = projection; s; s = byId.get(s.parentSpanContext?.spanId ?? '')) {
      chain.push(s);
    }
    expect(chain.map((s) => s.name)).toEqual([
      'projection apply',
      'outbox relay',
      'event-store append',
      'request',
    ]);
    expect(new Set(chain.map((s) => s.spanContext().traceId))).toEqual(new Set([request.traceId]));
    expect(chain.map((s) => s.kind)).toEqual([
      SpanKind.CONSUMER,
      SpanKind.PRODUCER,
      SpanKind.INTERNAL,
      SpanKind.SERVER,
    ]);
    expect(projection.attributes).toMatchObject({
      'jigsaw.agency': 'police',
      'jigsaw.event.type': event.type,
      'jigsaw.outcome': 'applied',
      'messaging.destination.name': topic,
    });
    // Attributes name kinds and types, never the child's stream or id.
    expect(JSON.stringify(chain.map((s) => s.attributes))).not.toContain(event.childid);
  });

  it('reports append latency, relay, lag and visibility on /metrics', async () => {
    const metrics = await eventually(
      async () => {
        const { body } = await renderMetrics();
        return /^jigsaw_consumer_lag_messages\{/m.test(body) ? body : undefined;
      },
      { what: 'the consumer lag', timeoutMs: 30_000 },
    );
    expect(metrics).toMatch(/^jigsaw_event_store_append_seconds_count\{stream="police",outcome="ok"\} 1$/m);
    expect(metrics).toMatch(new RegExp(`^jigsaw_outbox_published_total\\{topic="${topic}"\\} 1$`, 'm'));
    expect(metrics).toMatch(/^jigsaw_outbox_backlog 0$/m);
    expect(metrics).toMatch(
      new RegExp(`^jigsaw_consumer_lag_messages\\{group="${prefix}view",topic="${topic}"\\} 0$`, 'm'),
    );
    expect(metrics).toMatch(/^jigsaw_event_visibility_seconds_count\{agency="police"\} 1$/m);
    expect(metrics).toMatch(/^jigsaw_event_occurrence_to_visibility_seconds_count\{agency="police"\} 1$/m);
  });

  it('counts a failed append by its outcome code, and writes no outbox row without tracing context', async () => {
    await stopTracing();
    const event = aRecordedEvent();
    await store.append(`police-${event.childid}`, [event], { expectedVersion: 'no-stream' });
    await expect(
      store.append(`police-${event.childid}`, [aRecordedEvent({ childid: event.childid })], {
        expectedVersion: 'no-stream',
      }),
    ).rejects.toThrow();
    const { rows } = await db.pool.query<{ traceparent: string | null }>(
      'SELECT traceparent FROM event_store.outbox',
    );
    expect(rows).toEqual([{ traceparent: null }]);
    const { body } = await renderMetrics();
    expect(body).toMatch(
      /^jigsaw_event_store_append_seconds_count\{stream="police",outcome="stream_version_conflict"\} 1$/m,
    );
  });
});
