import { createParamDecorator, Injectable, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { PURPOSES, type Purpose } from '@jigsaw/envelope';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import type { Viewer } from '@jigsaw/sharing';
import type { Principal } from './principal.js';
import { PrincipalGuard } from './principal.guard.js';

const DEFAULT_PURPOSE = 'jigsaw:default-purpose';

/**
 * The purpose of a read that names none: for a route that a national standard defines without one (the CP-IS
 * FHIR search, for direct care). The token must still grant it, and the read is recorded with it.
 */
export const DefaultPurpose = (purpose: Purpose) => SetMetadata(DEFAULT_PURPOSE, purpose);

function purposeOf(request: Request, fallback: Purpose | undefined): Purpose {
  const purpose: unknown = request.query['purpose'] ?? fallback;
  if (typeof purpose !== 'string' || !(PURPOSES as readonly string[]).includes(purpose)) {
    throw new JigsawError(ErrorCode.ValidationFailed, 'every read must state one purpose', [
      {
        field: 'purpose',
        reason: purpose === undefined ? 'is required' : `must be one of ${PURPOSES.join(', ')}, given once`,
      },
    ]);
  }
  return purpose as Purpose;
}

/**
 * Lets practitioners read for one purpose their token grants, named in the `purpose` query parameter.
 * Agency systems read nothing: a person is accountable for every read. Sets `request.user` to the Viewer
 * the sharing policy decides for.
 */
@Injectable()
export class PractitionerGuard extends PrincipalGuard<Viewer> {
  protected userOf(principal: Principal, context: ExecutionContext): Viewer {
    if (principal.kind !== 'practitioner') {
      throw new JigsawError(ErrorCode.Forbidden, 'only a practitioner may read through the hub', [
        { field: 'role', reason: 'must be a practitioner role, not agency-system' },
      ]);
    }
    const fallback = this.reflector.getAllAndOverride<Purpose | undefined>(DEFAULT_PURPOSE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const purpose = purposeOf(context.switchToHttp().getRequest<Request>(), fallback);
    if (!principal.purposes.includes(purpose)) {
      throw new JigsawError(ErrorCode.Forbidden, 'the token does not grant this purpose', [
        { field: 'purpose', reason: `is not among the purposes granted to this sign-in` },
      ]);
    }
    return {
      agency: principal.agency,
      organisation: principal.organisation,
      role: principal.role,
      purpose,
      userId: principal.sub,
    };
  }
}

/** The Viewer PractitionerGuard authenticated; a route without the guard gets a 401, never a blank viewer. */
export const CurrentViewer = createParamDecorator((_data: unknown, context: ExecutionContext): Viewer => {
  const viewer = context.switchToHttp().getRequest<{ user?: Viewer }>().user;
  if (!viewer) throw new JigsawError(ErrorCode.Unauthenticated, 'a practitioner sign-in is required');
  return viewer;
});
