import type { LoggerService } from '@nestjs/common';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import pino from 'pino';

export type Logger = pino.Logger;
export type LogLevel = pino.LevelWithSilent;

/**
 * Fields that may hold personal data if someone ever logs an event or a request body: masked, whatever
 * the message. Logs carry codes, counts, templates and pseudonymous ids; never a child's identifiers.
 */
const REDACTED = [
  'subject',
  '*.subject',
  'nhsNumber',
  '*.nhsNumber',
  'upn',
  '*.upn',
  'birthDate',
  '*.birthDate',
  'postcode',
  '*.postcode',
  'address',
  '*.address',
  'headers.authorization',
  '*.headers.authorization',
];

/** The active span's ids, in the OpenTelemetry log data model's names; nothing outside a span. */
export function traceFields(): { trace_id?: string; span_id?: string; trace_flags?: string } {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const ids = span.spanContext();
  if (!isSpanContextValid(ids)) return {};
  return {
    trace_id: ids.traceId,
    span_id: ids.spanId,
    trace_flags: `0${ids.traceFlags.toString(16)}`.slice(-2),
  };
}

export interface LoggerOptions {
  service: string;
  level?: string;
  /** stdout by default, written synchronously so nothing is lost when the process exits. */
  destination?: pino.DestinationStream;
}

/** JSON lines: `{"level":"info","time":"…","service":"police","context":"…","msg":"…","trace_id":"…"}`. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: traceFields,
      redact: { paths: REDACTED, censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

let root: Logger | undefined;

/** The process's logger: the one `useRootLogger` set, else one named by OTEL_SERVICE_NAME at LOG_LEVEL. */
export function rootLogger(): Logger {
  root ??= createLogger({
    service: process.env['OTEL_SERVICE_NAME'] ?? 'jigsaw',
    level: process.env['LOG_LEVEL'] ?? 'info',
  });
  return root;
}

export function useRootLogger(logger: Logger): void {
  root = logger;
}

const STACK = /\n\s*at /;

/** NestJS's LoggerService over pino: Nest's own lines and every `new Logger(context)` become JSON. */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly logger: Logger = rootLogger()) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: pino.Level, message: unknown, params: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    // Nest passes the context last; an error may pass a stack before it (or alone, without a context).
    const rest = [...params];
    let contextName: string | undefined;
    let stack: string | undefined;
    const last = rest[rest.length - 1];
    if (typeof last === 'string' && !(level === 'error' && rest.length === 1 && STACK.test(last))) {
      contextName = last;
      rest.pop();
    }
    if (level === 'error' || level === 'fatal') {
      const first = rest[0];
      if (typeof first === 'string' && STACK.test(first)) stack = first;
    }
    const fields: Record<string, unknown> = {};
    if (contextName) fields['context'] = contextName;
    if (stack) fields['stack'] = stack;
    if (message instanceof Error) {
      fields['err'] = { type: message.name, stack: message.stack };
      this.logger[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
