import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Controller, Get, Header, Inject, Redirect, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { authenticateRequest, parseOidcIssuers, Public, TokenVerifier, type Principal } from '@jigsaw/auth';
import { repoRoot } from '@jigsaw/config';
import { SERVICE_CONFIG } from '@jigsaw/platform';
import type { SafeguardingViewConfig } from '../app.module.js';

const CONSOLE_DIR = join(repoRoot(), 'apps/safeguarding-view/console');
const read = (file: string): string => readFileSync(join(CONSOLE_DIR, file), 'utf8');

/** The service's root is where a person arriving with a browser wants to be: the console. */
@Public()
@Controller()
export class RootController {
  @Get()
  @Redirect('/console/', 302)
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
  index(): string {
    return this.files.html;
  }

  @Get('console.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  script(): string {
    return this.files.js;
  }

  @Get('console.css')
  @Header('content-type', 'text/css; charset=utf-8')
  styles(): string {
    return this.files.css;
  }

  @Get('oauth4webapi.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  oauthClient(): string {
    return this.files.oauth;
  }

  /** The identity providers to sign in with, and the pasted-token form in development mode only. */
  @Get('config')
  configuration(): { devSignIn: boolean; issuers: ConsoleIssuer[]; auditUrl?: string } {
    const auditUrl = this.config.CONSOLE_AUDIT_URL;
    return {
      devSignIn: this.config.JIGSAW_DEVELOPMENT,
      issuers: consoleIssuers(this.config.OIDC_ISSUERS),
      ...(auditUrl ? { auditUrl } : {}),
    };
  }

  /** Who the token's issuer says the practitioner is, as the hub maps it: the console shows it. */
  @Get('session')
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
