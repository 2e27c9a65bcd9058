import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module, Post, UseGuards, type INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ServiceConfig } from '@jigsaw/config';
import { configureHttp, HealthController, Readiness, READINESS_CHECKS } from '@jigsaw/http';
import { AgencyCaller, type AgencyCallerIdentity } from '@jigsaw/ingest';
import { SERVICE_CONFIG } from '@jigsaw/platform';
import type { Viewer } from '@jigsaw/sharing';
import { agencySystemToken, practitionerToken } from '@jigsaw/testing';
import { AgencySystemGuard } from './agency-system.guard.js';
import { CurrentViewer, PractitionerGuard } from './practitioner.guard.js';
import { Public } from './public.decorator.js';
import { TokenVerifier } from './token-verifier.js';

@Controller('v1')
class AgencyRoutes {
  @Post('events')
  record(@AgencyCaller() caller: AgencyCallerIdentity | undefined): AgencyCallerIdentity | undefined {
    return caller;
  }

  @Public()
  @Get('open')
  open(): { open: true } {
    return { open: true };
  }
}

@Controller('v1/children')
@UseGuards(PractitionerGuard)
class ReadRoutes {
  @Get('chronology')
  read(@CurrentViewer() viewer: Viewer): Viewer {
    return viewer;
  }
}

@Module({
  controllers: [HealthController, AgencyRoutes, ReadRoutes],
  providers: [
    { provide: SERVICE_CONFIG, useValue: Object.assign(new ServiceConfig(), { JIGSAW_DEVELOPMENT: true }) },
    { provide: READINESS_CHECKS, useValue: [] },
    Readiness,
    TokenVerifier,
    PractitionerGuard,
    { provide: APP_GUARD, useClass: AgencySystemGuard },
  ],
})
class AgencyAppModule {}

@Module({
  controllers: [ReadRoutes],
  providers: [
    { provide: SERVICE_CONFIG, useValue: Object.assign(new ServiceConfig(), { JIGSAW_DEVELOPMENT: true }) },
    TokenVerifier,
    PractitionerGuard,
  ],
})
class ViewAppModule {}

const MET = 'urn:jigsaw:org:police:met';
const dsl = {
  sub: 'dsl-1',
  agency: 'education',
  organisation: 'urn:jigsaw:org:education:school-100001',
  role: 'designated-safeguarding-lead',
  purposes: ['safeguarding'],
};

async function start(module: new () => unknown): Promise<{ app: INestApplication; url: string }> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
  configureHttp(app);
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as { address(): { port: number } };
  const { port } = server.address();
  return { app, url: `http://127.0.0.1:${port}` };
}

async function call(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    challenge: response.headers.get('www-authenticate'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

const bearer = (token: string): RequestInit => ({ headers: { authorization: `Bearer ${token}` } });

describe('AgencySystemGuard as APP_GUARD', () => {
  let agency: { app: INestApplication; url: string };
  beforeAll(async () => {
    agency = await start(AgencyAppModule);
  });
  afterAll(async () => agency.app.close());

  it('hands the agency system to the route as its caller', async () => {
    const response = await call(`${agency.url}/v1/events`, {
      method: 'POST',
      ...bearer(agencySystemToken(MET)),
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ organisation: MET, agency: 'police', subject: `system:${MET}` });
  });

  it('answers a missing token with 401 problem+json and a Bearer challenge', async () => {
    const response = await call(`${agency.url}/v1/events`, { method: 'POST' });
    expect(response).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect(response.contentType).toContain('application/problem+json');
    expect(response.challenge).toBe('Bearer realm="jigsaw"');
  });

  it('answers an expired token with 401 and invalid_token', async () => {
    const response = await call(`${agency.url}/v1/events`, {
      method: 'POST',
      ...bearer(agencySystemToken(MET, { ttlSeconds: -60 })),
    });
    expect(response.status).toBe(401);
    expect(response.challenge).toContain('error="invalid_token"');
  });

  it('answers a practitioner token with 403', async () => {
    const response = await call(`${agency.url}/v1/events`, {
      method: 'POST',
      ...bearer(practitionerToken(dsl)),
    });
    expect(response).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(response.challenge).toBeNull();
  });

  it('leaves health checks and @Public() routes open', async () => {
    expect((await call(`${agency.url}/health/live`)).status).toBe(200);
    expect((await call(`${agency.url}/health/ready`)).status).toBe(200);
    expect((await call(`${agency.url}/v1/open`)).status).toBe(200);
  });
});

describe('PractitionerGuard', () => {
  let view: { app: INestApplication; url: string };
  beforeAll(async () => {
    view = await start(ViewAppModule);
  });
  afterAll(async () => view.app.close());

  const read = (query: string, token?: string) =>
    call(`${view.url}/v1/children/chronology${query}`, token ? bearer(token) : {});

  it('hands the route a Viewer for the purpose asked', async () => {
    const response = await read('?purpose=safeguarding', practitionerToken(dsl));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      agency: 'education',
      organisation: dsl.organisation,
      role: 'designated-safeguarding-lead',
      purpose: 'safeguarding',
      userId: 'dsl-1',
    });
  });

  it('authenticates before anything else', async () => {
    expect((await read('')).status).toBe(401);
  });

  it.each([
    ['', 'is required'],
    ['?purpose=curiosity', 'must be one of'],
    ['?purpose=safeguarding&purpose=audit', 'must be one of'],
  ])('answers purpose %j with 400 naming purpose', async (query, reason) => {
    const response = await read(query, practitionerToken(dsl));
    expect(response.status).toBe(400);
    expect(response.body['errors']).toEqual([{ field: 'purpose', reason: expect.stringContaining(reason) }]);
  });

  it('answers a purpose the token does not grant with 403', async () => {
    const response = await read('?purpose=child-protection', practitionerToken(dsl));
    expect(response).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
  });

  it('answers an agency system token with 403', async () => {
    expect((await read('?purpose=safeguarding', agencySystemToken(MET))).status).toBe(403);
  });
});
