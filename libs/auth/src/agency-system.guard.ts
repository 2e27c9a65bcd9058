import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { authenticate, isPublic } from './authenticate.js';
import { TokenVerifier } from './token-verifier.js';

/** What an agency route learns about its caller; the shape @jigsaw/ingest's `@AgencyCaller()` reads. */
export interface AgencySystemIdentity {
  organisation: string;
  agency: string;
  subject: string;
}

/**
 * Lets only agency systems in: installed as APP_GUARD in each agency service, so every route, including
 * adapters added later, needs a token whose organisation the ingest then holds each event's source to.
 */
@Injectable()
export class AgencySystemGuard implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (isPublic(context, this.reflector)) return true;
    const principal = await authenticate(context, this.verifier);
    if (principal.kind !== 'agency-system') {
      throw new JigsawError(ErrorCode.Forbidden, 'only an agency system may use this service', [
        { field: 'role', reason: 'must be agency-system' },
      ]);
    }
    const identity: AgencySystemIdentity = {
      organisation: principal.organisation,
      agency: principal.agency,
      subject: principal.sub,
    };
    context.switchToHttp().getRequest<{ user?: AgencySystemIdentity }>().user = identity;
    return true;
  }
}
