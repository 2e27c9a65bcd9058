import { describe, expect, it } from '@jest/globals';
import type { Request, Response } from 'express';
import { corsFor } from './cors.middleware.js';

const CONSOLE = 'http://127.0.0.1:8080';

/** Runs the middleware on one request: the headers it set, whether it passed the request on, its status. */
function run(method: string, origin?: string) {
  const headers: Record<string, string> = {};
  let status: number | undefined;
  let passed = false;
  const response = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
      return response;
    },
    status: (code: number) => {
      status = code;
      return response;
    },
    end: () => response,
  };
  const request = { method, headers: origin ? { origin } : {} };
  corsFor([CONSOLE])(request as Request, response as unknown as Response, () => {
    passed = true;
  });
  return { headers, passed, status };
}

describe('CORS for the console', () => {
  it('lets the console read Retry-After, so it can say when to try again while a provider is down', () => {
    const { headers, passed } = run('GET', CONSOLE);
    expect(passed).toBe(true);
    expect(headers).toMatchObject({
      'access-control-allow-origin': CONSOLE,
      'access-control-expose-headers': 'Retry-After',
      vary: 'Origin',
    });
  });

  it('answers the console’s preflight, and gives another origin no CORS headers at all', () => {
    const preflight = run('OPTIONS', CONSOLE);
    expect(preflight.status).toBe(204);
    expect(preflight.passed).toBe(false);
    expect(preflight.headers['access-control-allow-headers']).toContain('Authorization');
    expect(run('GET', 'https://elsewhere.example')).toEqual({ headers: {}, passed: true, status: undefined });
    expect(run('GET')).toEqual({ headers: {}, passed: true, status: undefined });
  });
});
