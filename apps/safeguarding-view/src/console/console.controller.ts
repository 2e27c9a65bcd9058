import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { applyDecorators, Controller, Get, Header, Inject, Redirect, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { authenticateRequest, parseOidcIssuers, Public, TokenVerifier, type Principal } from '@jigsaw/auth';
import { repoRoot } from '@jigsaw/config';
import { PROBLEM_SCHEMA } from '@jigsaw/http';
import { SERVICE_CONFIG } from '@jigsaw/platform';
import type { SafeguardingViewConfig } from '../app.module.js';

const CONSOLE_DIR = join(repoRoot(), 'apps/safeguarding-view/console');
const read = (file: string): string => readFileSync(join(CONSOLE_DIR, file), 'utf8');

/** A static file of the console, as its media type. */
const ApiFile = (summary: string, media: string) =>
  applyDecorators(
    ApiOperation({ summary }),
    ApiOkResponse({ description: summary, content: { [media]: { schema: { type: 'string' } } } }),
  );
const SESSION_SCHEMA = {
  type: 'object',
  required: ['kind', 'sub', 'agency', 'organisation', 'role'],
  properties: {
    kind: { type: 'string', enum: ['agency-system', 'practitioner'] },
    sub: { type: 'string' },
    agency: { type: 'string' },
    organisation: { type: 'string' },
    role: { type: 'string' },
    purposes: { type: 'array', items: { type: 'string' } },
  },
};
const CONFIG_SCHEMA = {
  type: 'object',
  required: ['devSignIn', 'issuers'],
  properties: {
    devSignIn: {
      type: 'boolean',
      description: 'Whether the pasted-token form is offered (development mode).',
    },
    issuers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['issuer', 'label', 'clientId', 'scope'],
        properties: {
          issuer: { type: 'string' },
          label: { type: 'string' },
          clientId: { type: 'string' },
          scope: { type: 'string' },
        },
      },
    },
    auditUrl: { type: 'string', description: 'Where the console reads the access log.' },
    notificationsUrl: {
      type: 'string',
      description: "Where the console reads the organisation's notifications.",
    },
  },
};

/** The service's root is where a person arriving with a browser wants to be: the console. */
@Public()
@Controller()
export class RootController {
  @Get()
  @Redirect('/console/', 302)
  @ApiOperation({ summary: 'Sends a browser to the console' })
  @ApiFoundResponse({ description: 'To `/console/`.' })
  root(): void {}
}

/**
 * Serves the practitioners' console: static files that call the public query API with the practitioner's
 * own token, so the console can show nothing the API would not. The files hold no data, so they are public.
 * Practitioners sign in at their organisation's identity provider (authorization code with PKCE).
 */
@Public()
@Controller('console')
export class ConsoleController {
  private readonly files = {
    html: read('index.html'),
    js: read('console.js'),
    css: read('console.css'),
    // The certified OAuth client the console signs in with, served as a module beside it.
    oauth: readFileSync(createRequire(import.meta.url).resolve('oauth4webapi'), 'utf8'),
  };

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: SafeguardingViewConfig,
    private readonly verifier: TokenVerifier,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @ApiFile("The console's page", 'text/html')
  index(): string {
    return this.files.html;
  }

  @Get('console.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @ApiFile("The console's script", 'text/javascript')
  script(): string {
    return this.files.js;
  }

  @Get('console.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @ApiFile("The console's styles", 'text/css')
  styles(): string {
    return this.files.css;
  }

  @Get('oauth4webapi.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @ApiFile('The OAuth client the console signs in with', 'text/javascript')
  oauthClient(): string {
    return this.files.oauth;
  }

  /** The identity providers to sign in with, and the pasted-token form in development mode only. */
  @Get('config')
  @ApiOperation({ summary: 'The identity providers the console offers' })
  @ApiOkResponse({
    description: 'Where to sign in.',
    content: { 'application/json': { schema: CONFIG_SCHEMA } },
  })
  configuration(): {
    devSignIn: boolean;
    issuers: ConsoleIssuer[];
    auditUrl?: string;
    notificationsUrl?: string;
  } {
    const auditUrl = this.config.CONSOLE_AUDIT_URL;
    const notificationsUrl = this.config.CONSOLE_NOTIFICATIONS_URL;
    return {
      devSignIn: this.config.JIGSAW_DEVELOPMENT,
      issuers: consoleIssuers(this.config.OIDC_ISSUERS),
      ...(auditUrl ? { auditUrl } : {}),
      ...(notificationsUrl ? { notificationsUrl } : {}),
    };
  }

  /** Who the token's issuer says the practitioner is, as the hub maps it: the console shows it. */
  @Get('session')
  @ApiOperation({ summary: 'Who the bearer token says you are, as the hub maps it' })
  @ApiOkResponse({
    description: 'The signed-in principal.',
    content: { 'application/json': { schema: SESSION_SCHEMA } },
  })
  @ApiResponse({
    status: 401,
    description: 'No bearer token, or one that is expired, forged or for another audience.',
    content: { 'application/problem+json': { schema: PROBLEM_SCHEMA } },
  })
  @ApiResponse({
    status: 503,
    description: "The token's issuer does not answer and its keys are due: try again after `Retry-After`.",
    content: { 'application/problem+json': { schema: PROBLEM_SCHEMA } },
  })
  async session(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<Principal> {
    return authenticateRequest(request, response, this.verifier);
  }
}

export interface ConsoleIssuer {
  issuer: string;
  label: string;
  clientId: string;
  scope: string;
}

/** The issuers the console offers, from the same OIDC_ISSUERS the services trust. */
export function consoleIssuers(json: string | undefined): ConsoleIssuer[] {
  return parseOidcIssuers(json).flatMap(({ issuer, console }) => (console ? [{ issuer, ...console }] : []));
}
