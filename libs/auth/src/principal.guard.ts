import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { authenticate, isPublic } from './authenticate.js';
import type { Principal } from './principal.js';
import { TokenVerifier } from './token-verifier.js';

/**
 * What every service's global guard does: a public route passes; any other needs a bearer token (401 or
 * 503 from `authenticate` when it cannot be verified), whose principal `userOf` turns into the route's
 * `request.user`, or refuses by throwing. Each service says only whom it serves.
 */
@Injectable()
export abstract class PrincipalGuard<User> implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    protected readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (isPublic(context, this.reflector)) return true;
    const principal = await authenticate(context, this.verifier);
    context.switchToHttp().getRequest<{ user?: User }>().user = this.userOf(principal, context);
    return true;
  }

  /** The route's user for this principal; throws a JigsawError for a principal the service does not serve. */
  protected abstract userOf(principal: Principal, context: ExecutionContext): User;
}
