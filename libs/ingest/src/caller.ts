import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** The authenticated agency system behind a request: it may publish only as its own organisation. */
export interface AgencyCallerIdentity {
  organisation: string;
  agency: string;
  subject: string;
}

/** Reads the caller that the authentication guard put on the request (`request.user`). */
export const AgencyCaller = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AgencyCallerIdentity | undefined =>
    context.switchToHttp().getRequest<{ user?: AgencyCallerIdentity }>().user,
);
