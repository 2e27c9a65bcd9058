import { Controller, Get, Header, Inject, Param, Query } from '@nestjs/common';
import { AUDIT, type Audit } from '../audit.js';
import type { AuditCaller } from '../auth/audit-caller.js';
import { CurrentAuditor } from '../auth/auditor.guard.js';
import type { AsKnownAt } from './as-known-at.js';
import { ApiAsKnownAt } from '../audit.openapi.js';

@Controller('v1/children')
export class AsKnownAtController {
  constructor(@Inject(AUDIT) private readonly audit: Audit) {}

  /** `?viewer=<organisation>&role=<role>&purpose=<purpose>&at=<date-time>`; the read is logged first. */
  @Get(':ref/as-known-at')
  @ApiAsKnownAt()
  @Header('Cache-Control', 'no-store')
  asKnownAt(
    @Param('ref') ref: string,
    @Query() query: Record<string, unknown>,
    @CurrentAuditor() caller: AuditCaller,
  ): Promise<AsKnownAt> {
    return this.audit.reads.asKnownAt(caller, ref, query);
  }
}
