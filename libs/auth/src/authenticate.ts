import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { HealthController } from '@jigsaw/http';
import {
  AuthenticationError,
  bearerTokenOf,
  IssuerUnavailableError,
  type TokenVerifier,
} from './token-verifier.js';
import { IS_PUBLIC } from './public.decorator.js';
import type { Principal } from './principal.js';

/** Health checks are for load balancers and orchestrators, which hold no tokens. */
export function isPublic(context: ExecutionContext, reflector: Reflector): boolean {
  if (context.getClass() === HealthController) return true;
  return (
    reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]) === true
  );
}

/**
 * The request's principal, or a 401 whose WWW-Authenticate says why (RFC 6750 section 3), or a 503 with
 * Retry-After when the token's identity provider does not answer.
 */
export async function authenticate(context: ExecutionContext, verifier: TokenVerifier): Promise<Principal> {
  const http = context.switchToHttp();
  return authenticateRequest(http.getRequest<Request>(), http.getResponse<Response>(), verifier);
}

/** `authenticate` for a route that reads the request itself. */
export async function authenticateRequest(
  request: Request,
  response: Response,
  verifier: TokenVerifier,
): Promise<Principal> {
  try {
    return await verifier.verify(bearerTokenOf(request.headers.authorization));
  } catch (error) {
    if (error instanceof AuthenticationError) response.setHeader('WWW-Authenticate', error.challenge);
    if (error instanceof IssuerUnavailableError) {
      response.setHeader('Retry-After', String(error.retryAfterSeconds));
    }
    throw error;
  }
}
