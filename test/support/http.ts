import { readFileSync } from 'node:fs';
import { fromCloudEvent, toCloudEvent, type JigsawCloudEvent, type JigsawEnvelope } from '@jigsaw/envelope';
import { eventually as waitFor } from '@jigsaw/testing';

export interface JsonResponse<T = unknown> {
  status: number;
  contentType: string;
  body: T;
}

export async function postJson<T = unknown>(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}

export async function getJson<T = unknown>(
  url: string,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}

/** Polls until `probe` returns a value, or fails after the timeout; `eventually` of @jigsaw/testing. */
export function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  return waitFor(probe, { timeoutMs, what });
}

/**
 * Posts an event a test built in the hub's terms (the child as `subject`, the record as `data`) as the
 * CloudEvent an agency system sends: structured JSON.
 */
export function postEvent<T = unknown>(
  url: string,
  event: object,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  return postJson<T>(url, toCloudEvent(event as JigsawEnvelope), headers);
}

/** A valid example event under schemas/, in the hub's terms. */
export function exampleEvent<T = JigsawEnvelope>(path: string): T {
  return fromCloudEvent(JSON.parse(readFileSync(path, 'utf8')) as JigsawCloudEvent) as T;
}
