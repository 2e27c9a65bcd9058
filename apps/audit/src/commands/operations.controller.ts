import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { Pool } from '@jigsaw/database';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { PG_POOL } from '@jigsaw/platform';
import { AUDIT, type Audit } from '../audit.js';
import type { AuditCaller } from '../auth/audit-caller.js';
import { CurrentAuditor } from '../auth/auditor.guard.js';
import { SILENT } from '../rebuild/progress.js';
import { AUDIT_COMMANDS, commandInputOf, type AuditCommand } from './index.js';
import { ApiOperationRun, ApiOperationsList } from '../audit.openapi.js';

const mayRun = (command: AuditCommand, caller: AuditCaller): boolean =>
  command.http?.roles.includes(caller.role) ?? false;

/** The audit commands the table opens to HTTP, each to the roles it names. */
@Controller('v1/operations')
export class OperationsController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(AUDIT) private readonly audit: Audit,
  ) {}

  @Get()
  @ApiOperationsList()
  list(
    @CurrentAuditor() caller: AuditCaller,
  ): Pick<AuditCommand, 'name' | 'summary' | 'usage' | 'options'>[] {
    return AUDIT_COMMANDS.filter((command) => mayRun(command, caller)).map(
      ({ name, summary, usage, options }) => ({
        name,
        summary,
        usage,
        options: options ?? {},
      }),
    );
  }

  @Post(':name')
  @ApiOperationRun()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async run(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentAuditor() caller: AuditCaller,
  ): Promise<unknown> {
    const command = AUDIT_COMMANDS.find((c) => c.name === name && c.http);
    if (!command) {
      throw new JigsawError(ErrorCode.ValidationFailed, 'no such operation', [
        {
          field: 'name',
          reason: `must be one of ${AUDIT_COMMANDS.filter((c) => c.http)
            .map((c) => c.name)
            .join(', ')}`,
        },
      ]);
    }
    if (!mayRun(command, caller)) {
      throw new JigsawError(ErrorCode.Forbidden, `${command.name} is not open to this role`, [
        { field: 'role', reason: `must be one of ${command.http!.roles.join(', ')}` },
      ]);
    }
    const output = await command.run(
      {
        pool: this.pool,
        store: this.audit.store,
        rebuilds: this.audit.rebuilds,
        reads: this.audit.reads,
        vault: this.audit.vault,
        caller: () => Promise.resolve(caller),
        progress: () => SILENT,
      },
      commandInputOf(command, body),
    );
    return output.json;
  }
}
