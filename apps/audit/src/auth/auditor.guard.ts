import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { authenticate, isPublic, TokenVerifier } from '@jigsaw/auth';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { auditCallerOf, type AuditCaller } from './audit-caller.js';

/** Installed as APP_GUARD: every audit route but health needs a token with an auditing role and purpose. */
@Injectable()
export class AuditorGuard implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (isPublic(context, this.reflector)) return true;
    const caller = auditCallerOf(await authenticate(context, this.verifier));
    context.switchToHttp().getRequest<{ user?: AuditCaller }>().user = caller;
    return true;
  }
}

export const CurrentAuditor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuditCaller => {
    const caller = context.switchToHttp().getRequest<{ user?: AuditCaller }>().user;
    if (!caller) throw new JigsawError(ErrorCode.Unauthenticated, 'an auditor sign-in is required');
    return caller;
  },
);
