import { BATCH_MEDIA_TYPE, DATA_MEDIA_TYPE, STRUCTURED_MEDIA_TYPE } from '@jigsaw/envelope';
import { ErrorCode, JigsawError, type FieldProblem } from '@jigsaw/errors';
import { validationFailed } from '@jigsaw/http';

/** At most this many events in one batched request (and, by the body limit, 1 MB). */
export const MAX_BATCH_EVENTS = 500;

/** A request to POST /v1/events, read by the CloudEvents HTTP binding's content mode it uses. */
export type CloudEventRequest =
  { mode: 'structured' | 'binary'; event: unknown } | { mode: 'batched'; events: unknown[] };

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** The attributes a binary-mode request must carry as `ce-*` headers (the rest are optional). */
const REQUIRED_BINARY = ['specversion', 'id', 'source', 'type', 'time', 'dataschema'];

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const mediaTypeOf = (contentType: string | undefined): string | undefined =>
  contentType?.split(';')[0]?.trim().toLowerCase() || undefined;

const unsupported = (detail: string, problems: FieldProblem[]): JigsawError =>
  new JigsawError(ErrorCode.UnsupportedMediaType, detail, problems);

/** Header values are percent-encoded where they hold what a header cannot (the binding's rule). */
function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Binary mode: the attributes in `ce-*` headers, the data (JSON) in the body. */
function binaryEvent(headers: Headers, mediaType: string | undefined, body: unknown): unknown {
  if (mediaType !== DATA_MEDIA_TYPE) {
    throw unsupported('binary mode (ce-* headers) needs the data as application/json', [
      {
        field: 'content-type',
        reason: `must be ${DATA_MEDIA_TYPE} in binary mode, not ${mediaType ?? 'absent'}`,
      },
    ]);
  }
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const text = Array.isArray(value) ? value[0] : value;
    if (name.startsWith('ce-') && text !== undefined) attributes[name.slice(3)] = decoded(text);
  }
  const missing = REQUIRED_BINARY.filter((attribute) => attributes[attribute] === undefined);
  if (missing.length > 0) {
    throw validationFailed(
      missing.map((attribute) => ({ field: `ce-${attribute}`, reason: 'is required in binary mode' })),
    );
  }
  // The content type is the data's, application/json: what an event without datacontenttype has, so the same
  // event sent structured or binary is the same event (and a resend in the other mode is a duplicate).
  return { ...attributes, data: body };
}

/**
 * Which content mode a request uses, and its event or events: structured (`application/cloudevents+json`,
 * or `application/json` without `ce-specversion`), binary (`ce-specversion` present), or batched
 * (`application/cloudevents-batch+json`). Anything else is refused, naming the mode and what it lacks.
 */
export function readCloudEventRequest(headers: Headers, body: unknown): CloudEventRequest {
  const mediaType = mediaTypeOf(header(headers, 'content-type'));
  if (header(headers, 'ce-specversion') !== undefined) {
    return { mode: 'binary', event: binaryEvent(headers, mediaType, body) };
  }
  if (mediaType === STRUCTURED_MEDIA_TYPE || mediaType === DATA_MEDIA_TYPE) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw validationFailed([
        { field: '(body)', reason: 'must be one CloudEvent as a JSON object in structured mode' },
      ]);
    }
    return { mode: 'structured', event: body };
  }
  if (mediaType === BATCH_MEDIA_TYPE) {
    if (!Array.isArray(body)) {
      throw validationFailed([
        { field: '(body)', reason: 'must be a JSON array of CloudEvents in batched mode' },
      ]);
    }
    if (body.length === 0 || body.length > MAX_BATCH_EVENTS) {
      throw validationFailed([
        {
          field: '(body)',
          reason: `must hold 1 to ${MAX_BATCH_EVENTS} events in batched mode, not ${body.length}`,
        },
      ]);
    }
    return { mode: 'batched', events: body };
  }
  throw unsupported(`no CloudEvents content mode reads ${mediaType ?? 'a request without a content type'}`, [
    {
      field: 'content-type',
      reason: `must be ${STRUCTURED_MEDIA_TYPE} or ${DATA_MEDIA_TYPE} (structured), ${DATA_MEDIA_TYPE} with ce-* headers (binary), or ${BATCH_MEDIA_TYPE} (batched)`,
    },
  ]);
}
