import { Injectable } from '@nestjs/common';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import type { Principal } from './principal.js';
import { PrincipalGuard } from './principal.guard.js';

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
export class AgencySystemGuard extends PrincipalGuard<AgencySystemIdentity> {
  protected userOf(principal: Principal): AgencySystemIdentity {
    if (principal.kind !== 'agency-system') {
      throw new JigsawError(ErrorCode.Forbidden, 'only an agency system may use this service', [
        { field: 'role', reason: 'must be agency-system' },
      ]);
    }
    return { organisation: principal.organisation, agency: principal.agency, subject: principal.sub };
  }
}
