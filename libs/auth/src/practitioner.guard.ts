import {
  createParamDecorator,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { PURPOSES, type Purpose } from '@jigsaw/envelope';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import type { Viewer } from '@jigsaw/sharing';
import { authenticate, isPublic } from './authenticate.js';
import { TokenVerifier } from './token-verifier.js';

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
export class PractitionerGuard implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (isPublic(context, this.reflector)) return true;
    const principal = await authenticate(context, this.verifier);
    if (principal.kind !== 'practitioner') {
      throw new JigsawError(ErrorCode.Forbidden, 'only a practitioner may read through the hub', [
        { field: 'role', reason: 'must be a practitioner role, not agency-system' },
      ]);
    }
    const request = context.switchToHttp().getRequest<Request & { user?: Viewer }>();
    const fallback = this.reflector.getAllAndOverride<Purpose | undefined>(DEFAULT_PURPOSE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const purpose = purposeOf(request, fallback);
    if (!principal.purposes.includes(purpose)) {
      throw new JigsawError(ErrorCode.Forbidden, 'the token does not grant this purpose', [
        { field: 'purpose', reason: `is not among the purposes granted to this sign-in` },
      ]);
    }
    request.user = {
      agency: principal.agency,
      organisation: principal.organisation,
      role: principal.role,
      purpose,
      userId: principal.sub,
    };
    return true;
  }
}

/** The Viewer PractitionerGuard authenticated; a route without the guard gets a 401, never a blank viewer. */
export const CurrentViewer = createParamDecorator((_data: unknown, context: ExecutionContext): Viewer => {
  const viewer = context.switchToHttp().getRequest<{ user?: Viewer }>().user;
  if (!viewer) throw new JigsawError(ErrorCode.Unauthenticated, 'a practitioner sign-in is required');
  return viewer;
});
