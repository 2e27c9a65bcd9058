import { STRUCTURED_MEDIA_TYPE, upcast } from '@jigsaw/envelope';

/**
 * The Kafka record of a stored event, in the CloudEvents Kafka binding's structured mode: the value is the
 * whole CloudEvent (upcast if it was stored in an older envelope), `content-type` says so, and the
 * `traceparent` that travels in the headers is also the event's distributed-tracing attribute.
 */
export function cloudEventRecord(
  stored: unknown,
  headers: Record<string, string>,
): { value: unknown; headers: Record<string, string> } {
  const event = upcast(stored);
  const traceparent = headers['traceparent'];
  return {
    value: traceparent ? { ...event, traceparent } : event,
    headers: { ...headers, 'content-type': STRUCTURED_MEDIA_TYPE },
  };
}
