import { DuplicateEventError, StreamVersionConflictError } from './event-store.errors.js';

/**
 * How many times a command loads, decides and appends before another writer's conflict is thrown. Twelve
 * lets a burst of requests for one child all get through (each round one racer wins and the rest try
 * again), and the pauses between them add up to at most 1.5 s, 0.75 s on average, before a 409.
 */
export const COMMAND_ATTEMPTS = 12;

/** The longest pause between two attempts, in milliseconds. */
export const RACE_PAUSE_CAP_MS = 200;

/** The hub's one answer to a writer that got in between a command's read and its append. */
export interface RacePolicy {
  /** Attempts in all, the first included (default COMMAND_ATTEMPTS). */
  attempts?: number;
  /**
   * Errors besides the store's that mean another writer got in between, so loading and deciding again may
   * succeed (an identity registered meanwhile to another child than planned).
   */
  races?: (error: unknown) => boolean;
}

/** The event store's races: the stream moved since it was read, or an event id was stored meanwhile. */
export const isStoreRace = (error: unknown): boolean =>
  error instanceof StreamVersionConflictError || error instanceof DuplicateEventError;

/**
 * How long to wait after the `attempt`th lost race: a random while up to 10, 20, 40 … ms, never more than
 * RACE_PAUSE_CAP_MS (full jitter), so racers that collided do not collide again at once.
 */
export function racePauseMs(attempt: number, random: () => number = Math.random): number {
  return random() * Math.min(RACE_PAUSE_CAP_MS, 5 * 2 ** attempt);
}

/**
 * Runs one attempt of a command (load, decide, append) until it succeeds, is refused, or has lost
 * `attempts` races: a race waits racePauseMs and runs the attempt again from its load; anything else
 * (a refusal, a failure) is thrown at once; the last race is thrown as it is.
 */
export async function retryOnRace<T>(
  attempt: (n: number) => Promise<T>,
  policy: RacePolicy = {},
): Promise<T> {
  const attempts = policy.attempts ?? COMMAND_ATTEMPTS;
  const races = policy.races;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const raced = isStoreRace(error) || (races?.(error) ?? false);
      if (!raced || n >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, racePauseMs(n)));
    }
  }
}
