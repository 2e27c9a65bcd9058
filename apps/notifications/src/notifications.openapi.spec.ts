import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { NotificationInbox } from './notification-inbox.js';
import { NotificationsController } from './notifications.controller.js';

describe('the notifications API description', () => {
  let app: INestApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      controllers: [NotificationsController],
      providers: [{ provide: NotificationInbox, useValue: {} }],
    }).compile();
    app = module.createNestApplication({ logger: false });
    await app.init();
    document = SwaggerModule.createDocument(app, new DocumentBuilder().addBearerAuth().build());
  });
  afterAll(async () => app?.close());

  it('describes both routes, behind a bearer token, with an example for every answer it documents', () => {
    const list = document.paths['/v1/notifications']?.get;
    const acknowledge = document.paths['/v1/notifications/{id}/acknowledgement']?.post;
    for (const operation of [list, acknowledge]) {
      expect(operation?.security).toEqual([{ bearer: [] }]);
      expect(operation?.summary).toBeTruthy();
    }
    // Answers as JSON; refusals as problem+json, as ProblemDetailsFilter serves them.
    const example = (op: typeof list, status: string): unknown =>
      (op?.responses[status] as { content?: Record<string, { example?: unknown }> })?.content?.[
        status.startsWith('4') ? 'application/problem+json' : 'application/json'
      ]?.example;
    expect(example(list, '200')).toMatchObject({
      notifications: [expect.objectContaining({ kind: 'operation-encompass' })],
    });
    expect(example(list, '400')).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(example(acknowledge, '200')).toMatchObject({ repeated: false });
    expect(example(acknowledge, '404')).toMatchObject({ code: 'NOT_FOUND' });
    expect(list?.parameters?.map((p) => ('name' in p ? p.name : undefined)).sort()).toEqual([
      'cursor',
      'kind',
      'limit',
      'purpose',
      'status',
    ]);
  });
});
