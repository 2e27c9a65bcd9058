import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Module,
  Post,
  SetMetadata,
  type INestApplication,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { OpenAPIObject } from '@nestjs/swagger';
import { HealthController, Readiness, READINESS_CHECKS } from './health.controller.js';
import { createOpenApiDocument, operationsOf } from './openapi.js';

/** A controller no one told the docs about, as a later feature adds one. */
@Controller('v1/notifications')
class LaterController {
  @Get()
  list(): unknown[] {
    return [];
  }
}

/** Marked public as @jigsaw/auth's Public() does it. */
@Controller('console')
class OpenPages {
  private readonly config: { flag: boolean } | undefined = undefined;

  /** A getter that fails on the bare prototype, as a controller's may. */
  get flagged(): boolean {
    return this.config!.flag;
  }

  @SetMetadata('jigsaw:public', true)
  @Get()
  page(): string {
    return '<html></html>';
  }
}

@Controller('v1/events')
class EventsRoute {
  @Post()
  @HttpCode(202)
  record(@Body() body: unknown): unknown {
    return body;
  }
}

@Module({
  controllers: [HealthController, LaterController, OpenPages, EventsRoute],
  providers: [{ provide: READINESS_CHECKS, useValue: [] }, Readiness],
})
class SomeServiceModule {}

describe('the OpenAPI document', () => {
  let app: INestApplication;
  let view: OpenAPIObject;
  let police: OpenAPIObject;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [SomeServiceModule] }).compile();
    app = moduleRef.createNestApplication();
    view = createOpenApiDocument(app, 'safeguarding-view');
    police = createOpenApiDocument(app, 'police');
  });
  afterAll(async () => app.close());

  it('lists every registered controller, whoever wrote it', () => {
    expect(
      operationsOf(view)
        .map(({ method, path }) => `${method} ${path}`)
        .sort(),
    ).toEqual([
      'get /console',
      'get /health/live',
      'get /health/ready',
      'get /v1/notifications',
      'post /v1/events',
    ]);
  });

  it('opens the health checks and public routes, and asks a bearer token with problem+json refusals everywhere else', () => {
    for (const { path, operation } of operationsOf(view)) {
      if (path === '/console') {
        expect(operation.security).toEqual([]);
        expect(operation.responses).not.toHaveProperty('401');
      } else if (path.startsWith('/health/')) {
        expect(operation.security).toEqual([]);
        expect(operation.responses['200']).toMatchObject({
          content: { 'application/json': { example: expect.anything() } },
        });
      } else {
        expect(operation.security).toEqual([{ bearer: [] }]);
        for (const status of ['401', '403']) {
          expect(operation.responses[status]).toMatchObject({
            content: { 'application/problem+json': { example: { status: Number(status) } } },
          });
        }
      }
    }
    expect(view.components?.securitySchemes?.['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it("gives an agency's POST /v1/events its own events from schemas/ as request examples", () => {
    const ingest = police.paths['/v1/events']!.post!;
    const body = ingest.requestBody as {
      content: Record<string, { examples: Record<string, { value: { type: string } }> }>;
    };
    const examples = Object.values(body.content['application/json']!.examples);
    expect(examples.length).toBeGreaterThanOrEqual(5);
    expect(examples.every((e) => e.value.type.startsWith('police.'))).toBe(true);
    // CloudEvents structured mode's own media type is taken too (the body parser reads any */*+json), and
    // batched mode's.
    expect(Object.keys(body.content).sort()).toEqual([
      'application/cloudevents+json',
      'application/cloudevents-batch+json',
      'application/json',
    ]);
    expect(ingest.responses['202']).toMatchObject({
      content: { 'application/json': { example: { id: expect.any(String) } } },
    });
    expect(ingest.responses['400']).toMatchObject({
      content: {
        'application/problem+json': {
          example: {
            errors: expect.arrayContaining([expect.objectContaining({ field: expect.any(String) })]),
          },
        },
      },
    });
    // The view is no agency: its events route (if it had one) gets no agency's examples.
    expect(view.paths['/v1/events']!.post!.requestBody).toBeUndefined();
  });
});
