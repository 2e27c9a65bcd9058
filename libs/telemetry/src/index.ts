export { FileSpanExporter, spanRecordOf, type SpanRecord } from './file-span-exporter.js';
export {
  createLogger,
  PinoLoggerService,
  rootLogger,
  traceFields,
  useRootLogger,
  type Logger,
  type LoggerOptions,
  type LogLevel,
} from './logger.js';
export {
  counter,
  enableProcessMetrics,
  histogram,
  METRIC_LABELS,
  metricsRegistry,
  registerGauge,
  registerLabelledGauge,
  renderMetrics,
  type MetricLabel,
} from './metrics.js';
export { extractTraceContext, injectTraceContext, traceContextOf, type TraceCarrier } from './propagation.js';
export { startTelemetry, stopTelemetry } from './telemetry.js';
export { endSpan, inSpan, outcomeOf, Traced, type SpanOptions, type TracedOptions } from './traced.js';
export {
  finishedSpans,
  resetFinishedSpans,
  startTracing,
  stopTracing,
  tracer,
  tracingConfigFrom,
  tracingEnabled,
  type TraceExporterName,
  type TracingConfig,
} from './tracing.js';
