export interface WaitOptions {
  /** What is awaited, for the error when it does not come. */
  what?: string;
  timeoutMs?: number;
  intervalMs?: number;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asks `probe` until it answers a value, and returns it; fails after the timeout (15 s unless told), naming
 * what it waited for. For what arrives asynchronously: a projection, a relay, a consumer.
 */
export async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  { what = 'condition', timeoutMs = 15_000, intervalMs = 100 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await pause(intervalMs);
  }
}

/** `eventually` for a yes-or-no condition. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  options: WaitOptions = {},
): Promise<void> {
  await eventually(async () => ((await condition()) ? true : undefined), options);
}
