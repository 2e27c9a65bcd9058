import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Backpressure: how many writes a service works on at once. Beyond it a write is refused at once with 503
 * and Retry-After, before its body is read, so an overload costs neither memory nor a timeout, and a client
 * that retries after the wait loses nothing. Reads are not counted.
 */
export class AdmissionConfig {
  /**
   * Writes (POST, PUT, PATCH, DELETE) in flight at once. 0 turns the limit off. A few per database
   * connection (DATABASE_POOL_MAX, 10): more only queue for a connection, until they time out in the pool.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000)
  MAX_WRITES_IN_FLIGHT = 64;

  /** The Retry-After a refused write is given, in seconds. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60)
  OVERLOAD_RETRY_AFTER_SECONDS = 1;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Counts writes in flight; refuses one over the limit with 503 problem+json and Retry-After. */
export function admission(config: AdmissionConfig): RequestHandler & { inFlight: () => number } {
  let inFlight = 0;
  const limit = config.MAX_WRITES_IN_FLIGHT;
  const retryAfter = String(config.OVERLOAD_RETRY_AFTER_SECONDS);
  const handler = (req: Request, res: Response, next: NextFunction): void => {
    if (limit === 0 || !WRITES.has(req.method)) return next();
    if (inFlight >= limit) {
      res
        .status(503)
        // The connection stays open: closing it under a body still being sent resets the client instead.
        .set({ 'retry-after': retryAfter, 'content-type': 'application/problem+json' })
        .send(
          JSON.stringify({
            type: 'about:blank',
            title: 'Service Unavailable',
            status: 503,
            detail: `the service is working on ${limit} writes already: retry after ${retryAfter} s; nothing was recorded`,
          }),
        );
      return;
    }
    inFlight++;
    // 'close' comes once however the exchange ends: answered, or the client gone.
    res.once('close', () => inFlight--);
    next();
  };
  return Object.assign(handler, { inFlight: () => inFlight });
}
