import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { DuplicateEventError, StreamVersionConflictError } from './event-store.errors.js';
import { COMMAND_ATTEMPTS, RACE_PAUSE_CAP_MS, racePauseMs, retryOnRace } from './retry-on-race.js';

class MovedMeanwhile extends Error {}

const conflict = () => new StreamVersionConflictError('s', '1', 2);
const refusal = () => new JigsawError(ErrorCode.ValidationFailed, 'refused');

/** An attempt that throws the given errors in turn, then answers with the attempt's number; and its log. */
function scripted(errors: readonly Error[]) {
  const at: number[] = [];
  const attempt = (n: number): Promise<number> => {
    at.push(Date.now());
    const error = errors[n - 1];
    return error ? Promise.reject(error) : Promise.resolve(n);
  };
  return { attempt, at };
}

describe('retryOnRace: the one retry policy of commands', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('runs the attempt again after each race, and answers with the first that gets through', async () => {
    const { attempt, at } = scripted([conflict(), new DuplicateEventError('src', 'id'), conflict()]);
    await expect(retryOnRace(attempt)).resolves.toBe(4);
    expect(at).toHaveLength(4);
  });

  it('throws the last race once every attempt lost one, and tries no more', async () => {
    const last = conflict();
    const races = [...Array.from({ length: COMMAND_ATTEMPTS - 1 }, conflict), last, conflict()];
    const { attempt, at } = scripted(races);
    await expect(retryOnRace(attempt)).rejects.toBe(last);
    expect(at).toHaveLength(COMMAND_ATTEMPTS);
  });

  it('takes its number of attempts from the policy', async () => {
    const { attempt, at } = scripted(Array.from({ length: 10 }, conflict));
    await expect(retryOnRace(attempt, { attempts: 3 })).rejects.toBeInstanceOf(StreamVersionConflictError);
    expect(at).toHaveLength(3);
  });

  it('never retries a refusal or a failure: thrown at once, whatever attempt it came on', async () => {
    for (const error of [refusal(), new Error('connection lost'), new MovedMeanwhile()]) {
      const { attempt, at } = scripted([conflict(), error, conflict()]);
      await expect(retryOnRace(attempt)).rejects.toBe(error);
      expect(at).toHaveLength(2);
    }
  });

  it('retries the races a caller declares besides the store’s, and only those', async () => {
    const races = (e: unknown) => e instanceof MovedMeanwhile;
    const { attempt, at } = scripted([new MovedMeanwhile(), conflict(), new MovedMeanwhile()]);
    await expect(retryOnRace(attempt, { races })).resolves.toBe(4);
    expect(at).toHaveLength(4);
    const refused = scripted([new MovedMeanwhile(), refusal()]);
    await expect(retryOnRace(refused.attempt, { races })).rejects.toBeInstanceOf(JigsawError);
    expect(refused.at).toHaveLength(2);
  });

  it('pauses a random while before each retry, doubling from 10 ms and never above the cap', () => {
    const longest = Array.from({ length: 15 }, (_, i) => racePauseMs(i + 1, () => 1));
    expect(longest.slice(0, 6)).toEqual([10, 20, 40, 80, 160, 200]);
    expect(Math.max(...longest)).toBe(RACE_PAUSE_CAP_MS);
    expect(racePauseMs(3, () => 0)).toBe(0);
    expect(racePauseMs(3, () => 0.5)).toBe(20);
    for (let n = 1; n <= 40; n++) {
      const pause = racePauseMs(n);
      expect(pause).toBeGreaterThanOrEqual(0);
      expect(pause).toBeLessThanOrEqual(RACE_PAUSE_CAP_MS);
    }
  });

  it('waits those pauses between attempts: at most 1.5 s in all before the last race is thrown', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(1);
    const { attempt, at } = scripted(Array.from({ length: COMMAND_ATTEMPTS }, conflict));
    const started = Date.now();
    await expect(retryOnRace(attempt)).rejects.toBeInstanceOf(StreamVersionConflictError);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    const pauses = gaps.map((_, i) => racePauseMs(i + 1, () => 1));
    // Timers fire no sooner than asked (give or take the clock's millisecond).
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(pauses[i]! - 1));
    const total = pauses.reduce((a, b) => a + b, 0);
    expect(total).toBe(1510);
    expect(Date.now() - started).toBeLessThan(total + 1000);
  });
});
