import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Body, Controller, Get, Header, HttpCode, Inject, Post, Redirect } from '@nestjs/common';
import { SignJWT } from 'jose';
import { Public } from '@jigsaw/auth';
import { repoRoot } from '@jigsaw/config';
import { agencyOfSource, type Agency, type Purpose, type Role } from '@jigsaw/envelope';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { SERVICE_CONFIG } from '@jigsaw/platform';
import type { SafeguardingViewConfig } from '../app.module.js';

/** Who a developer may sign in as when the service runs with the development key, and only then. */
export interface Persona {
  id: string;
  title: string;
  agency: Agency;
  role: Role;
  organisation: string;
  purposes: Purpose[];
}

export const PERSONAS: readonly Persona[] = [
  {
    id: 'social-worker',
    title: 'Social worker, children’s services',
    agency: 'council',
    role: 'social-worker',
    organisation: 'urn:jigsaw:org:council:leeds',
    purposes: ['safeguarding', 'child-protection', 'early-help'],
  },
  {
    id: 'designated-safeguarding-lead',
    title: 'Designated safeguarding lead, school',
    agency: 'education',
    role: 'designated-safeguarding-lead',
    organisation: 'urn:jigsaw:org:education:school-100001',
    purposes: ['safeguarding', 'education-welfare'],
  },
  {
    id: 'clinician',
    title: 'Clinician, emergency department',
    agency: 'health',
    role: 'clinician',
    organisation: 'urn:jigsaw:org:health:leeds-teaching-hospitals',
    purposes: ['safeguarding', 'health-care'],
  },
  {
    id: 'police-officer',
    title: 'Police officer, public protection',
    agency: 'police',
    role: 'police-officer',
    organisation: 'urn:jigsaw:org:police:met',
    purposes: ['safeguarding', 'child-protection'],
  },
  {
    id: 'data-protection-officer',
    title: 'Data protection officer, council',
    agency: 'council',
    role: 'data-protection-officer',
    organisation: 'urn:jigsaw:org:council:leeds',
    purposes: ['audit'],
  },
];

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
 */
@Public()
@Controller('console')
export class ConsoleController {
  private readonly files = { html: read('index.html'), js: read('console.js'), css: read('console.css') };

  constructor(@Inject(SERVICE_CONFIG) private readonly config: SafeguardingViewConfig) {}

  /** Development sign-in only while the service uses the development key, which it warns about at start. */
  private get devSignIn(): boolean {
    return !this.config.JWT_PUBLIC_KEY && this.config.JWT_SECRET.includes('development-only');
  }

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

  @Get('config')
  configuration(): { devSignIn: boolean; personas: Persona[]; auditUrl?: string } {
    const auditUrl = this.config.CONSOLE_AUDIT_URL;
    return {
      devSignIn: this.devSignIn,
      personas: this.devSignIn ? [...PERSONAS] : [],
      ...(auditUrl ? { auditUrl } : {}),
    };
  }

  @Post('dev-token')
  @HttpCode(200)
  async devToken(@Body() body: { persona?: unknown; organisation?: unknown }): Promise<{ token: string }> {
    if (!this.devSignIn) {
      throw new JigsawError(ErrorCode.Forbidden, 'development sign-in is off: this service has a real key');
    }
    const persona = PERSONAS.find((p) => p.id === body?.persona);
    if (!persona) {
      throw new JigsawError(ErrorCode.ValidationFailed, 'choose who you are', [
        { field: 'persona', reason: `must be one of ${PERSONAS.map((p) => p.id).join(', ')}` },
      ]);
    }
    const organisation = typeof body.organisation === 'string' ? body.organisation : persona.organisation;
    if (agencyOfSource(organisation) !== persona.agency) {
      throw new JigsawError(ErrorCode.ValidationFailed, 'the organisation does not fit the persona', [
        { field: 'organisation', reason: `must be urn:jigsaw:org:${persona.agency}:<code>` },
      ]);
    }
    const token = await new SignJWT({
      agency: persona.agency,
      organisation,
      role: persona.role,
      purposes: persona.purposes,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(`console-${persona.id}`)
      .setIssuer(this.config.JWT_ISSUER)
      .setAudience(this.config.JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('8h')
      .sign(new TextEncoder().encode(this.config.JWT_SECRET));
    return { token };
  }
}
