import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * Helmet's defaults (a strict Content-Security-Policy, nosniff, frame denial, HSTS, no referrer, same-origin
 * resource policy...) on every answer, errors included, plus `Cache-Control: no-store`: answers carry
 * personal data, and no browser or proxy on the way may keep a copy.
 */
export function securityHeaders(): RequestHandler[] {
  const headers = helmet({
    // TLS ends in front of the services; over plain HTTP (local use) the upgrade would break every page.
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  return [
    headers,
    (_req: Request, res: Response, next: NextFunction): void => {
      res.setHeader('Cache-Control', 'no-store');
      next();
    },
  ];
}
