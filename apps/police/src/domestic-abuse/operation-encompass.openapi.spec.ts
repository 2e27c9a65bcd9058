import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { BatchIngest } from '@jigsaw/ingest';
import { SERVICE_CONFIG } from '@jigsaw/platform';
import { OPERATION_ENCOMPASS_FIELDS } from './operation-encompass.adapter.js';
import { OperationEncompassController } from './operation-encompass.controller.js';

describe('the Operation Encompass adapter API description', () => {
  let app: INestApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      controllers: [OperationEncompassController],
      providers: [
        { provide: BatchIngest, useValue: {} },
        { provide: SERVICE_CONFIG, useValue: {} },
      ],
    }).compile();
    app = module.createNestApplication({ logger: false });
    await app.init();
    document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
  });
  afterAll(async () => app?.close());

  it('documents the rows it takes (JSON or CSV, every column), the report, and the refusal', () => {
    const operation = document.paths['/v1/adapters/operation-encompass']?.post;
    const body = operation?.requestBody as {
      description: string;
      content: Record<string, { schema: { items: { required: string[]; properties: object } } }>;
    };
    expect(Object.keys(body.content).sort()).toEqual(['application/json', 'text/csv']);
    const items = body.content['application/json']!.schema.items;
    expect(Object.keys(items.properties)).toEqual(OPERATION_ENCOMPASS_FIELDS.map((f) => f.key));
    expect(items.required).toEqual(OPERATION_ENCOMPASS_FIELDS.filter((f) => f.required).map((f) => f.key));
    for (const field of OPERATION_ENCOMPASS_FIELDS) expect(body.description).toContain(`\`${field.column}\``);
    const content = (status: string) =>
      Object.keys((operation?.responses[status] as { content?: object })?.content ?? {});
    expect(content('200')).toEqual(['application/json']);
    expect(content('400')).toEqual(['application/problem+json']);
  });
});
