import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

export interface SecurityHeaderOptions {
  /** Origins besides this one that pages served here may call (Content-Security-Policy connect-src). */
  connectSources?: readonly string[];
}

/**
 * Helmet's defaults (a strict Content-Security-Policy, nosniff, frame denial, HSTS, no referrer, same-origin
 * resource policy...) on every answer, errors included, plus `Cache-Control: no-store`: answers carry
 * personal data, and no browser or proxy on the way may keep a copy.
 */
export function securityHeaders(options: SecurityHeaderOptions = {}): RequestHandler[] {
  const headers = helmet({
    contentSecurityPolicy: {
      directives: {
        // TLS ends in front of the services; over plain HTTP (local use) the upgrade would break every page.
        upgradeInsecureRequests: null,
        // Pages served here call this origin's API, and only the other origins named (the console's audit).
        connectSrc: ["'self'", ...(options.connectSources ?? [])],
      },
    },
  });
  return [
    headers,
    (_req: Request, res: Response, next: NextFunction): void => {
      res.setHeader('Cache-Control', 'no-store');
      next();
    },
  ];
}
