import { performance } from 'node:perf_hooks';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  extractTraceContext,
  histogram,
  renderMetrics,
  rootLogger,
  tracer,
  tracingEnabled,
} from '@jigsaw/telemetry';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
export const UNMATCHED_ROUTE = '(unmatched)';

const requestSeconds = histogram({
  name: 'http_server_request_duration_seconds',
  help: 'HTTP requests by method, route template and status code',
  labelNames: ['method', 'route', 'status_code'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/** The route's template (`/v1/children/:ref/chronology`), never the path, which can carry an NHS number. */
export function routeOf(request: Request): string {
  const path = (request.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${request.baseUrl}${path}` : UNMATCHED_ROUTE;
}

/** Probes and scrapes are measured but not traced: they would outnumber every real trace. */
function untraced(path: string): boolean {
  return path.startsWith('/health/');
}

/**
 * One server span per request, continuing the caller's `traceparent`, named `METHOD /route/:template`
 * once routing has matched; and the request's duration by route template, method and status.
 */
export function httpTelemetry(): RequestHandler {
  const log = rootLogger().child({ context: 'http' });
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = performance.now();
    const method = METHODS.has(request.method) ? request.method : '_OTHER';
    const span =
      tracingEnabled() && !untraced(request.path)
        ? tracer().startSpan(
            method,
            {
              kind: SpanKind.SERVER,
              attributes: { 'http.request.method': method, 'url.scheme': request.protocol },
            },
            extractTraceContext(request.headers),
          )
        : undefined;
    response.once('close', () => {
      const route = routeOf(request);
      const status = response.statusCode;
      const seconds = (performance.now() - started) / 1000;
      requestSeconds.observe({ method, route, status_code: String(status) }, seconds);
      if (span) {
        if (route !== UNMATCHED_ROUTE) {
          span.updateName(`${method} ${route}`);
          span.setAttribute('http.route', route);
        }
        span.setAttribute('http.response.status_code', status);
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        if (!response.writableFinished) span.setAttribute('jigsaw.outcome', 'aborted');
        context.with(trace.setSpan(context.active(), span), () =>
          log.debug({ method, route, status, ms: Math.round(seconds * 1000) }, 'request'),
        );
        span.end();
      } else {
        log.debug({ method, route, status, ms: Math.round(seconds * 1000) }, 'request');
      }
    });
    if (span) context.with(trace.setSpan(context.active(), span), next);
    else next();
  };
}

/** `GET /metrics`: Prometheus text, public like the health checks (scrapers hold no tokens). */
export function metricsRoute(): RequestHandler {
  return (_request: Request, response: Response): void => {
    renderMetrics().then(
      ({ contentType, body }) => void response.status(200).type(contentType).send(body),
      () => void response.status(500).type('text/plain').send('metrics could not be collected\n'),
    );
  };
}
