import { Controller, Get, Header, Inject, Param } from '@nestjs/common';
import { AUDIT, type Audit } from '../audit.js';
import type { AuditCaller } from '../auth/audit-caller.js';
import { CurrentAuditor } from '../auth/auditor.guard.js';
import type { AccessLogEntry } from './access-log.js';
import { ApiAccessLog } from '../audit.openapi.js';

@Controller('v1/children')
export class AccessLogController {
  constructor(@Inject(AUDIT) private readonly audit: Audit) {}

  /** Every recorded read of the child, for the child's council, a data protection officer or a review panel. */
  @Get(':ref/access-log')
  @ApiAccessLog()
  @Header('Cache-Control', 'no-store')
  accessLog(
    @Param('ref') ref: string,
    @CurrentAuditor() caller: AuditCaller,
  ): Promise<{ childId: string; entries: AccessLogEntry[] }> {
    return this.audit.reads.accessLog(caller, ref);
  }
}
