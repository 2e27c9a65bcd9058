import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '@jigsaw/config';
import { RateLimitConfig, TokenBuckets } from './rate-limit.js';

describe('RateLimitConfig', () => {
  it('is generous by default and read from the environment', () => {
    expect({ ...loadConfig(RateLimitConfig, {}) }).toEqual({
      RATE_LIMIT_PER_SECOND: 5_000,
      RATE_LIMIT_BURST: 20_000,
      RATE_LIMIT_ANONYMOUS_PER_SECOND: 50,
      RATE_LIMIT_ANONYMOUS_BURST: 200,
    });
    expect(loadConfig(RateLimitConfig, { RATE_LIMIT_PER_SECOND: '0' }).RATE_LIMIT_PER_SECOND).toBe(0);
  });

  it('fails at start naming a variable that is not a count', () => {
    expect(() => loadConfig(RateLimitConfig, { RATE_LIMIT_BURST: 'lots' })).toThrow(/RATE_LIMIT_BURST/);
  });
});

describe('TokenBuckets', () => {
  it('lets a burst through, then one request per refill, and says how long to wait', () => {
    const buckets = new TokenBuckets(2, 3);
    expect([0, 0, 0].map(() => buckets.take('a', 1_000))).toEqual([0, 0, 0]);
    expect(buckets.take('a', 1_000)).toBe(1);
    expect(buckets.take('a', 1_400)).toBe(1);
    expect(buckets.take('a', 1_500)).toBe(0);
    expect(buckets.take('a', 1_500)).toBe(1);
  });

  it('keeps one bucket per key', () => {
    const buckets = new TokenBuckets(1, 1);
    expect(buckets.take('a', 0)).toBe(0);
    expect(buckets.take('a', 0)).toBe(1);
    expect(buckets.take('b', 0)).toBe(0);
  });

  it('refills no higher than the burst', () => {
    const buckets = new TokenBuckets(100, 2);
    buckets.take('a', 0);
    expect([0, 0, 0].map(() => buckets.take('a', 60_000))).toEqual([0, 0, 1]);
  });

  it('waits whole seconds, at least one', () => {
    const buckets = new TokenBuckets(0.1, 1);
    buckets.take('a', 0);
    expect(buckets.take('a', 0)).toBe(10);
  });

  it('forgets the least recently used keys beyond its size', () => {
    const buckets = new TokenBuckets(1, 1, 2);
    buckets.take('a', 0);
    buckets.take('b', 0);
    buckets.take('a', 0);
    buckets.take('c', 0);
    // b was forgotten (a full bucket again); c, used last, is remembered and still empty.
    expect(buckets.take('b', 0)).toBe(0);
    expect(buckets.take('c', 0)).toBe(1);
  });

  it('limits nothing at a rate of 0', () => {
    const buckets = new TokenBuckets(0, 1);
    expect(Array.from({ length: 5 }, () => buckets.take('a', 0))).toEqual([0, 0, 0, 0, 0]);
  });
});
