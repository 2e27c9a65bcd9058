import { RequestMethod, type MiddlewareConsumer } from '@nestjs/common';
import { Matches } from 'class-validator';
import type { NextFunction, Request, Response } from 'express';

/**
 * Lets the listed browser origins (the view's console) call a service's API with a bearer token. Tokens
 * travel in the Authorization header, never cookies, so credentials are not allowed; other origins get
 * no CORS headers and the browser keeps the answer from them.
 */
export function corsFor(origins: readonly string[]) {
  const allowed = new Set(origins);
  return (request: Request, response: Response, next: NextFunction): void => {
    const origin = request.headers.origin;
    if (origin === undefined || !allowed.has(origin)) {
      next();
      return;
    }
    response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Vary', 'Origin');
    if (request.method !== 'OPTIONS') {
      // A 503 while an identity provider is down says when to try again; the console must be able to read it.
      response.setHeader('Access-Control-Expose-Headers', 'Retry-After');
      next();
      return;
    }
    response.setHeader('Access-Control-Allow-Methods', 'GET, POST');
    response.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept');
    response.setHeader('Access-Control-Max-Age', '600');
    response.status(204).end();
  };
}

/** Validates CORS_ORIGINS: origins (scheme://host[:port]) separated by commas. */
export const IsOriginList = (): PropertyDecorator =>
  Matches(/^https?:\/\/[^,\s/]+(,https?:\/\/[^,\s/]+)*$/, {
    message: 'CORS_ORIGINS must be origins (scheme://host[:port]) separated by commas',
  });

/** Lets CORS_ORIGINS (comma-separated; none when unset) call every route of the service. */
export function allowOrigins(consumer: MiddlewareConsumer, origins: string | undefined): void {
  const list = origins?.split(',') ?? [];
  if (list.length > 0) {
    consumer.apply(corsFor(list)).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
