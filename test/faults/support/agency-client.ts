import { setTimeout as sleep } from 'node:timers/promises';
import { toCloudEvent, type JigsawEnvelope } from '@jigsaw/envelope';
import { agencySystemToken } from '@jigsaw/testing';

export interface Answer {
  status: number;
  /** Attempts it took, counting the one that was answered. */
  attempts: number;
  body: unknown;
}

const tokens = new Map<string, string>();

/** An agency system token for `organisation`, minted once per run. */
export function bearerFor(organisation: string): string {
  let token = tokens.get(organisation);
  if (!token) {
    token = agencySystemToken(organisation, { ttlSeconds: 4 * 3600 });
    tokens.set(organisation, token);
  }
  return `Bearer ${token}`;
}

/**
 * Posts an event as an agency system does: on a network error, a 5xx or a 429 it waits and sends the same
 * event again (the same id, so the hub records it once), until the hub answers or the deadline passes.
 */
export function postUntilAnswered(
  url: string,
  organisation: string,
  /** An event in the hub's terms, sent as its CloudEvent. */
  event: JigsawEnvelope,
  options: PostOptions = {},
): Promise<Answer> {
  return postBodyUntilAnswered(url, organisation, toCloudEvent(event), options);
}

export interface PostOptions {
  deadline?: number;
  retry?: boolean;
  /** How long one attempt may take (30 s). */
  timeoutMs?: number;
  /** The body's media type (application/json). */
  contentType?: string;
}

/** As postUntilAnswered, for a body of another shape (an adapter's batch). */
export async function postBodyUntilAnswered(
  url: string,
  organisation: string,
  body: unknown,
  options: PostOptions = {},
): Promise<Answer> {
  const deadline = options.deadline ?? Date.now() + 120_000;
  for (let attempt = 1; ; attempt++) {
    let status = 0;
    let answer: unknown;
    let retryAfterMs = 0;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': options.contentType ?? 'application/json',
          authorization: bearerFor(organisation),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      status = response.status;
      retryAfterMs = Number(response.headers.get('retry-after') ?? 0) * 1000;
      const text = await response.text();
      answer = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      status = 0;
    }
    const transient = status === 0 || status >= 500 || status === 429;
    if (!transient || options.retry === false || Date.now() > deadline) {
      return { status, attempts: attempt, body: answer };
    }
    await sleep(Math.max(retryAfterMs, Math.min(100 * attempt, 1000)));
  }
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function inParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

/** Polls until `probe` returns a value; fails after the timeout naming what it waited for. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: Error | undefined;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error as Error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what} not reached within ${timeoutMs} ms${last ? ` (last error: ${last.message})` : ''}`,
      );
    }
    await sleep(intervalMs);
  }
}
