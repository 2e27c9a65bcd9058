import { createLogger, useRootLogger, type Logger } from './logger.js';
import { enableProcessMetrics } from './metrics.js';
import { startTracing, stopTracing, tracingConfigFrom } from './tracing.js';

/**
 * Starts what a service reports through, before NestJS: the JSON logger (LOG_LEVEL), Node's process
 * metrics, and tracing when the OTEL_* variables ask for it. Fails naming a misconfigured variable.
 */
export function startTelemetry(service: string, env: NodeJS.ProcessEnv = process.env): Logger {
  const config = tracingConfigFrom(env);
  const logger = createLogger({ service, level: env['LOG_LEVEL'] || 'info' });
  useRootLogger(logger);
  // Node's own warnings as JSON lines too, instead of its text on stderr.
  process.removeAllListeners('warning');
  process.on('warning', (warning) =>
    logger.warn({ context: 'node', warning: warning.name }, warning.message),
  );
  enableProcessMetrics();
  if (startTracing(service, config)) {
    logger.info({ context: 'telemetry', exporters: config.exporters }, 'tracing on');
  }
  return logger;
}

/** Exports the spans still pending; called as the service shuts down. */
export async function stopTelemetry(): Promise<void> {
  await stopTracing();
}
