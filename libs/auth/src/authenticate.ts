import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { HealthController } from '@jigsaw/http';
import { AuthenticationError, bearerTokenOf, type TokenVerifier } from './token-verifier.js';
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

/** The request's principal, or a 401 whose WWW-Authenticate says why (RFC 6750 section 3). */
export async function authenticate(context: ExecutionContext, verifier: TokenVerifier): Promise<Principal> {
  const http = context.switchToHttp();
  const request = http.getRequest<Request>();
  try {
    return await verifier.verify(bearerTokenOf(request.headers.authorization));
  } catch (error) {
    if (error instanceof AuthenticationError) {
      http.getResponse<Response>().setHeader('WWW-Authenticate', error.challenge);
    }
    throw error;
  }
}
