import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type ReadableSpan,
  type Sampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { FileSpanExporter } from './file-span-exporter.js';

export type TraceExporterName = 'otlp' | 'memory' | 'file';

/** What the OTEL_* variables (and JIGSAW_TRACES_FILE) ask for; `exporters` empty means tracing is off. */
export interface TracingConfig {
  exporters: TraceExporterName[];
  /** JSON lines file for the `file` exporter. */
  file?: string;
  sampler: Sampler;
  /** OTEL_BSP_* for the OTLP exporter's batch processor. */
  batch: {
    scheduledDelayMillis?: number;
    maxQueueSize?: number;
    maxExportBatchSize?: number;
    exportTimeoutMillis?: number;
  };
}

const EXPORTERS: readonly string[] = ['otlp', 'memory', 'file'];
const OTLP_PROTOCOLS: readonly string[] = ['http/json'];

function fail(variable: string, reason: string): never {
  throw new Error(`Invalid telemetry configuration:\n  ${variable}: ${reason}`);
}

function numberFrom(env: NodeJS.ProcessEnv, variable: string): number | undefined {
  const raw = env[variable]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) fail(variable, 'must be a non-negative number');
  return value;
}

function samplerFrom(env: NodeJS.ProcessEnv): Sampler {
  const name = env['OTEL_TRACES_SAMPLER']?.trim() || 'parentbased_always_on';
  const ratio = (): number => {
    const value = numberFrom(env, 'OTEL_TRACES_SAMPLER_ARG') ?? 1;
    if (value > 1) fail('OTEL_TRACES_SAMPLER_ARG', 'must be a ratio between 0 and 1');
    return value;
  };
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio());
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio()) });
    default:
      return fail(
        'OTEL_TRACES_SAMPLER',
        'must be always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio',
      );
  }
}

/**
 * Reads the standard variables. Tracing is off unless OTEL_TRACES_EXPORTER names an exporter or an OTLP
 * endpoint is set; OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none turn it off whatever else is set.
 */
export function tracingConfigFrom(env: NodeJS.ProcessEnv = process.env): TracingConfig {
  const off: TracingConfig = { exporters: [], sampler: new AlwaysOffSampler(), batch: {} };
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return off;
  const named = (env['OTEL_TRACES_EXPORTER'] ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (named.includes('none')) return off;
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  const exporters = named.length > 0 ? named : endpoint ? ['otlp'] : [];
  if (exporters.length === 0) return off;
  for (const name of exporters) {
    if (!EXPORTERS.includes(name))
      fail('OTEL_TRACES_EXPORTER', `must be otlp, memory, file or none, not ${name}`);
  }
  if (exporters.includes('otlp')) {
    for (const variable of ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
      const protocol = env[variable]?.trim();
      if (protocol && !OTLP_PROTOCOLS.includes(protocol)) {
        fail(variable, `only http/json is supported, not ${protocol}`);
      }
    }
  }
  const file = env['JIGSAW_TRACES_FILE']?.trim();
  if (exporters.includes('file') && !file) {
    fail('JIGSAW_TRACES_FILE', 'must name the file the file exporter writes spans to');
  }
  const batch: TracingConfig['batch'] = {};
  const delay = numberFrom(env, 'OTEL_BSP_SCHEDULE_DELAY');
  const queue = numberFrom(env, 'OTEL_BSP_MAX_QUEUE_SIZE');
  const size = numberFrom(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE');
  const timeout = numberFrom(env, 'OTEL_BSP_EXPORT_TIMEOUT');
  if (delay !== undefined) batch.scheduledDelayMillis = delay;
  if (queue !== undefined) batch.maxQueueSize = queue;
  if (size !== undefined) batch.maxExportBatchSize = size;
  if (timeout !== undefined) batch.exportTimeoutMillis = timeout;
  return {
    exporters: exporters as TraceExporterName[],
    ...(file ? { file } : {}),
    sampler: samplerFrom(env),
    batch,
  };
}

interface Running {
  provider: TracerProvider;
  memory: InMemorySpanExporter | undefined;
}

let running: Running | undefined;
let enabled = false;

/** True once tracing has started with at least one exporter; hot paths skip all span work otherwise. */
export function tracingEnabled(): boolean {
  return enabled;
}

/** Our one tracer; a no-op tracer while tracing is off. */
export function tracer(): Tracer {
  return trace.getTracer('jigsaw');
}

/**
 * Starts tracing for this process, before NestJS, as the OTEL_* variables say (see tracingConfigFrom).
 * Idempotent: a second call while running changes nothing. Returns whether tracing is on.
 */
export function startTracing(serviceName: string, config: TracingConfig = tracingConfigFrom()): boolean {
  if (running) return true;
  if (config.exporters.length === 0) return false;
  const processors: SpanProcessor[] = [];
  let memory: InMemorySpanExporter | undefined;
  for (const name of config.exporters) {
    if (name === 'otlp') {
      processors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter(), ...config.batch }));
    } else if (name === 'memory') {
      memory = new InMemorySpanExporter();
      processors.push(new SimpleSpanProcessor({ exporter: memory }));
    } else {
      processors.push(new SimpleSpanProcessor({ exporter: new FileSpanExporter(config.file!) }));
    }
  }
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES override the service's own name.
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new TracerProvider({ resource, sampler: config.sampler, spanProcessors: processors });
  const manager = new AsyncLocalStorageContextManager();
  manager.enable();
  context.setGlobalContextManager(manager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  running = { provider, memory };
  enabled = true;
  return true;
}

/** Exports what is pending and stops tracing; the process can start it again (tests do). */
export async function stopTracing(): Promise<void> {
  const current = running;
  running = undefined;
  enabled = false;
  trace.disable();
  propagation.disable();
  context.disable();
  if (current) await current.provider.shutdown();
}

/** Spans finished so far, with the `memory` exporter. */
export function finishedSpans(): ReadableSpan[] {
  return running?.memory?.getFinishedSpans() ?? [];
}

export function resetFinishedSpans(): void {
  running?.memory?.reset();
}
