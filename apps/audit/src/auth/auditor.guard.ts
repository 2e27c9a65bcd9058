import { createParamDecorator, Injectable, type ExecutionContext } from '@nestjs/common';
import { PrincipalGuard, type Principal } from '@jigsaw/auth';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { auditCallerOf, type AuditCaller } from './audit-caller.js';

/** Installed as APP_GUARD: every audit route but health needs a token with an auditing role and purpose. */
@Injectable()
export class AuditorGuard extends PrincipalGuard<AuditCaller> {
  protected userOf(principal: Principal): AuditCaller {
    return auditCallerOf(principal);
  }
}

export const CurrentAuditor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuditCaller => {
    const caller = context.switchToHttp().getRequest<{ user?: AuditCaller }>().user;
    if (!caller) throw new JigsawError(ErrorCode.Unauthenticated, 'an auditor sign-in is required');
    return caller;
  },
);
