import { Controller, Get, Header, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AUDIT, type Audit } from '../audit.js';
import type { AuditCaller } from '../auth/audit-caller.js';
import { CurrentAuditor } from '../auth/auditor.guard.js';
import { usageError } from '../commands/command.js';
import type { SubjectAccessExport } from './subject-access-export.js';
import { renderSubjectAccessHtml } from './subject-access.html.js';
import { ApiSubjectAccessExport } from '../audit.openapi.js';

/** Styles inline, nothing else: the document loads nothing and runs nothing. */
const HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

@Controller('v1/children')
export class SubjectAccessController {
  constructor(@Inject(AUDIT) private readonly audit: Audit) {}

  /** JSON, or a readable HTML document for `Accept: text/html` or `?format=html`. */
  @Get(':ref/subject-access-export')
  @ApiSubjectAccessExport()
  @Header('Cache-Control', 'no-store')
  async export(
    @Param('ref') ref: string,
    @Query('format') format: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentAuditor() caller: AuditCaller,
  ): Promise<SubjectAccessExport | string> {
    const html = this.wantsHtml(format, request);
    const sar = await this.audit.reads.subjectAccessExport(caller, ref);
    if (!html) return sar;
    response.type('text/html; charset=utf-8');
    response.setHeader('Content-Security-Policy', HTML_POLICY);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    return renderSubjectAccessHtml(sar);
  }

  private wantsHtml(format: unknown, request: Request): boolean {
    if (format === undefined) return request.accepts(['application/json', 'text/html']) === 'text/html';
    if (format === 'html' || format === 'json') return format === 'html';
    throw usageError('format', 'must be json or html, given once');
  }
}
