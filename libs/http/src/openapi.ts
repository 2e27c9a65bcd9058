import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import {
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
  type OperationObject,
  type PathItemObject,
  type ResponseObject,
  type SchemaObject,
} from '@nestjs/swagger';
import { repoRoot } from '@jigsaw/config';

/** The UI at `/docs`, the document at `/docs-json` (and `/docs-yaml`); both open to callers without a token. */
/** RFC 7807, as ProblemDetailsFilter writes it. */
export const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'instance'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string', description: 'A stable error code (libs/errors ErrorCode).' },
    errors: {
      type: 'array',
      description: 'Each field (or query parameter) that failed, and why.',
      items: {
        type: 'object',
        required: ['field', 'reason'],
        properties: { field: { type: 'string' }, reason: { type: 'string' } },
      },
    },
  },
};

export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs-json';

const AGENCIES = ['council', 'police', 'health', 'education'] as const;
/** @jigsaw/auth's IS_PUBLIC: auth builds on this lib, so it cannot be imported here. */
const PUBLIC_METADATA = 'jigsaw:public';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
type Method = (typeof METHODS)[number];

/** Every operation in the document, with its path and method. */
export function operationsOf(
  document: OpenAPIObject,
): { path: string; method: Method; operation: OperationObject }[] {
  return Object.entries(document.paths).flatMap(([path, item]: [string, PathItemObject]) =>
    METHODS.flatMap((method) => (item[method] ? [{ path, method, operation: item[method] }] : [])),
  );
}

const problem = (
  status: number,
  title: string,
  detail: string,
  instance: string,
): Record<string, unknown> => ({
  type: status === 401 ? 'urn:jigsaw:problem:unauthenticated' : 'urn:jigsaw:problem:forbidden',
  title,
  status,
  detail,
  instance,
  code: status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN',
});

function problemResponse(description: string, example: Record<string, unknown>): ResponseObject {
  return { description, content: { 'application/problem+json': { schema: PROBLEM_SCHEMA, example } } };
}

const READY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ok'] },
    checks: { type: 'object', additionalProperties: { type: 'string' } },
  },
};
const HEALTH_RESPONSES: Record<string, Record<string, ResponseObject>> = {
  '/health/live': {
    '200': {
      description: 'The process is up.',
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['status'],
            properties: { status: { type: 'string', enum: ['ok'] } },
          },
          example: { status: 'ok' },
        },
      },
    },
  },
  '/health/ready': {
    '200': {
      description: 'The database and Kafka answer.',
      content: {
        'application/json': {
          schema: READY_SCHEMA,
          example: { status: 'ok', checks: { database: 'up', kafka: 'up' } },
        },
      },
    },
    '503': problemResponse('Not ready: the detail names what is down, or that the service is stopping.', {
      type: 'urn:jigsaw:problem:service-unavailable',
      title: 'Service Unavailable',
      status: 503,
      detail: 'not ready: kafka down',
      instance: '/health/ready',
    }),
  },
};

const notFound = (path: string): ResponseObject =>
  problemResponse('Nothing with that identifier is known here (or it is not yours to see).', {
    type: 'urn:jigsaw:problem:not-found',
    title: 'Not Found',
    status: 404,
    detail: 'no child with that identifier is known to the hub',
    instance: path,
    code: 'NOT_FOUND',
  });
const badRequest = (path: string): ResponseObject =>
  problemResponse('A parameter or the body is missing or invalid; `errors` names each field and why.', {
    type: 'urn:jigsaw:problem:validation-failed',
    title: 'Bad Request',
    status: 400,
    detail: 'invalid input: reason',
    instance: path,
    code: 'VALIDATION_FAILED',
    errors: [{ field: 'reason', reason: 'should not be empty' }],
  });

interface Example {
  name: string;
  summary: string;
  value: unknown;
}

/** The agency's own event examples (schemas/<agency>/<type>/examples/<kind>), named by type and file. */
function eventExamples(agency: string, kind: 'valid' | 'invalid'): Example[] {
  const folder = join(repoRoot(), 'schemas', agency);
  const examples: Example[] = [];
  for (const type of readdirSync(folder, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    const dir = join(folder, type.name, 'examples', kind);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      examples.push({
        name: `${type.name}/${file.replace(/\.json$/, '')}`,
        summary: `${agency}.${type.name}`,
        value: JSON.parse(readFileSync(join(dir, file), 'utf8')),
      });
    }
  }
  return examples;
}

/** POST /v1/events takes any of the agency's event types: its examples are the schemas' own. */
function describeEventIngest(operation: OperationObject, agency: string): void {
  const valid = eventExamples(agency, 'valid');
  const examples = Object.fromEntries(valid.map(({ name, summary, value }) => [name, { summary, value }]));
  const first = valid[0]?.value as { id?: string } | undefined;
  // An invalid example carries the problems the service answers with.
  const invalid = eventExamples(agency, 'invalid')[0]?.value as
    { expected?: { field: string }[] } | undefined;
  const errors = invalid?.expected ?? [{ field: 'data', reason: 'must be an object' }];
  operation.requestBody = {
    required: true,
    description:
      'CloudEvents 1.0 (schemas/envelope/v2.json; `data` is `{child, sharing, record}`, and ' +
      'schemas/<agency>/<type>/v<n>.json describes `data.record`). Structured mode: one event as the body. ' +
      'Binary mode: the attributes in `ce-*` headers, `data` as the application/json body. Batched mode: ' +
      'an array of 1 to 500 events, answered 207.',
    content: {
      'application/json': { schema: { type: 'object' }, examples },
      // CloudEvents structured mode names its own media type; the body is the same.
      'application/cloudevents+json': { schema: { type: 'object' }, examples },
      'application/cloudevents-batch+json': {
        schema: { type: 'array', minItems: 1, maxItems: 500, items: { type: 'object' } },
      },
    },
  };
  operation.responses['207'] = {
    description:
      "A batch: each event's outcome in the order sent, accepted, duplicate or refused with its problem details.",
    content: {
      'application/json': {
        example: {
          accepted: 1,
          duplicates: 0,
          refused: 0,
          results: [{ index: 0, id: first?.id ?? 'event-id', status: 'accepted' }],
        },
      },
    },
  };
  operation.responses['415'] ??= problemResponse('No CloudEvents content mode reads the request.', {
    type: 'urn:jigsaw:problem:unsupported-media-type',
    title: 'Unsupported Media Type',
    status: 415,
    detail: 'no CloudEvents content mode reads text/plain',
    instance: '/v1/events',
    code: 'UNSUPPORTED_MEDIA_TYPE',
    errors: [{ field: 'content-type', reason: 'must be application/cloudevents+json or application/json' }],
  });
  operation.responses['202'] = {
    description: 'Recorded (or the same id and content seen before): answered with its id.',
    content: {
      'application/json': {
        schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        example: { id: first?.id ?? 'event-id' },
      },
    },
  };
  operation.responses['400'] ??= problemResponse(
    'The event fails its schema or rules; `errors` names each field.',
    {
      type: 'urn:jigsaw:problem:validation-failed',
      title: 'Bad Request',
      status: 400,
      detail: `invalid input: ${errors.map((e) => e.field).join(', ')}`,
      instance: '/v1/events',
      code: 'VALIDATION_FAILED',
      errors,
    },
  );
  operation.responses['409'] ??= problemResponse('The same id was recorded before with other content.', {
    type: 'urn:jigsaw:problem:duplicate-event-conflict',
    title: 'Conflict',
    status: 409,
    detail: 'an event with this source and id was recorded with different content',
    instance: '/v1/events',
    code: 'DUPLICATE_EVENT_CONFLICT',
  });
}

/** The operation ids (`Controller_method`, swagger's default) of the routes marked public. */
function publicOperations(app: INestApplication): Set<string> {
  const ids = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (abstract new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const open = Reflect.getMetadata(PUBLIC_METADATA, controller) === true;
      const prototype = controller.prototype as object;
      for (const key of Object.getOwnPropertyNames(prototype)) {
        // Read the descriptor, never the property: a getter would run against the bare prototype.
        const handler: unknown = Object.getOwnPropertyDescriptor(prototype, key)?.value;
        if (key === 'constructor' || typeof handler !== 'function') continue;
        if (open || Reflect.getMetadata(PUBLIC_METADATA, handler) === true)
          ids.add(`${controller.name}_${key}`);
      }
    }
  }
  return ids;
}

/**
 * What every service's document says whatever its controllers declare: health checks and routes marked
 * public are open, every other route needs a bearer token and answers 401 and 403 as problem+json.
 */
function completeDocument(document: OpenAPIObject, service: string, open: ReadonlySet<string>): void {
  const agency = AGENCIES.find((a) => a === service);
  for (const { path, method, operation } of operationsOf(document)) {
    // Tools list operations by summary (Redocly's recommended rules require one): a route without its
    // own is named by its method and path.
    operation.summary ??= `${method.toUpperCase()} ${path}`;
    const health = HEALTH_RESPONSES[path];
    if (health) {
      operation.security = [];
      operation.responses = { ...operation.responses, ...health };
      continue;
    }
    if (operation.operationId && open.has(operation.operationId)) {
      operation.security = [];
      continue;
    }
    operation.security ??= [{ bearer: [] }];
    operation.responses['401'] ??= problemResponse(
      'No bearer token, or one that is expired, forged or for another audience.',
      problem(401, 'Unauthorized', 'a bearer token is required', path),
    );
    operation.responses['403'] ??= problemResponse(
      'The token does not allow this.',
      problem(403, 'Forbidden', 'the token does not allow this', path),
    );
    if (agency && path === '/v1/events' && method === 'post') describeEventIngest(operation, agency);
    // Whatever takes input can refuse it; whatever names a thing in its path can find nothing.
    if ((operation.parameters?.length ?? 0) > 0 || operation.requestBody)
      operation.responses['400'] ??= badRequest(path);
    if (path.includes('{')) operation.responses['404'] ??= notFound(path);
  }
}

/** The OpenAPI document of every controller the app registered, whoever wrote it. */
export function createOpenApiDocument(app: INestApplication, service: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(`Jigsaw ${service}`)
    .setDescription(
      'Jigsaw: an event-sourced information-sharing hub for child safeguarding partnerships. Every route ' +
        'but `/health/*` and these docs needs a bearer JWT; errors are RFC 7807 `application/problem+json`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    // Relative: the document describes the service that serves it, wherever it is deployed.
    .addServer('/', 'This service')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  completeDocument(document, service, publicOperations(app));
  return document;
}

/** Serves the docs: registered on the HTTP adapter itself, so no guard asks for a token. */
export function setupOpenApi(app: INestApplication, service: string): OpenAPIObject {
  const document = createOpenApiDocument(app, service);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: DOCS_JSON_PATH,
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: `Jigsaw ${service} API`,
  });
  return document;
}
