import { percentiles, type Percentiles } from './stats.js';

export interface LoadResult {
  requests: number;
  failures: number;
  seconds: number;
  perSecond: number;
  latencyMs: Percentiles;
}

type Send = () => Promise<boolean>;

/** `concurrency` loops sending back to back for `seconds`: the most the server will do at that concurrency. */
export async function closedLoop(send: Send, concurrency: number, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        const ok = await send().catch(() => false);
        latencies.push(performance.now() - t);
        if (!ok) failures++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    requests: latencies.length,
    failures,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    latencyMs: percentiles(latencies),
  };
}

/** Requests started at a fixed rate whatever the answers do (open loop), so slow answers show as latency. */
export async function openLoop(send: Send, ratePerSecond: number, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  const total = Math.round(ratePerSecond * seconds);
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const t = performance.now();
    inFlight.push(
      send()
        .catch(() => false)
        .then((ok) => {
          latencies.push(performance.now() - t);
          if (!ok) failures++;
        }),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  return {
    requests: total,
    failures,
    seconds: elapsed,
    perSecond: total / elapsed,
    latencyMs: percentiles(latencies),
  };
}
