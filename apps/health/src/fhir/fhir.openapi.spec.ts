import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { BatchIngest } from '@jigsaw/ingest';
import { SERVICE_CONFIG } from '@jigsaw/platform';
import { FhirController } from './fhir.controller.js';

describe('the FHIR adapter API description', () => {
  let app: INestApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      controllers: [FhirController],
      providers: [
        { provide: BatchIngest, useValue: {} },
        { provide: CommandBus, useValue: {} },
        { provide: SERVICE_CONFIG, useValue: {} },
      ],
    }).compile();
    app = module.createNestApplication({ logger: false });
    await app.init();
    document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
  });
  afterAll(async () => app?.close());

  it('documents the Bundle it takes, both kinds of answer, and each refusal as an OperationOutcome', () => {
    const operation = document.paths['/v1/adapters/fhir']?.post;
    const body = operation?.requestBody as { content: Record<string, { schema: { required: string[] } }> };
    expect(Object.keys(body.content).sort()).toEqual(['application/fhir+json', 'application/json']);
    expect(body.content['application/fhir+json']?.schema.required).toEqual(['resourceType', 'type', 'entry']);
    const content = (status: string) =>
      Object.keys((operation?.responses[status] as { content?: object })?.content ?? {}).sort();
    expect(content('200')).toEqual(['application/fhir+json', 'application/json']);
    for (const status of ['400', '401', '403', '409', '415'])
      expect(content(status)).toEqual(['application/fhir+json']);
    expect(operation?.summary).toBeTruthy();
  });
});
