import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { birthDateProblem, MAX_CHILD_AGE_YEARS } from './birth-date.js';

const NOW = new Date('2026-12-06T12:00:00Z');

describe('birthDateProblem', () => {
  it('accepts a real date from today back to the oldest a child can be', () => {
    for (const date of ['2026-12-06', '2016-02-29', '2001-12-06', '2024-02-29']) {
      expect(birthDateProblem(date, NOW)).toBeUndefined();
    }
  });

  it('refuses a date that is not on the calendar, or not written YYYY-MM-DD', () => {
    for (const date of [
      '2023-02-29',
      '2016-13-01',
      '2016-00-10',
      '2016-04-31',
      '2016-4-2',
      '02/04/2016',
      '2016-04-02x',
      '',
    ]) {
      expect(birthDateProblem(date, NOW)).toBe('must be a real calendar date (YYYY-MM-DD)');
    }
  });

  it('refuses a date after today', () => {
    expect(birthDateProblem('2026-12-07', NOW)).toBe('must not be in the future');
    expect(birthDateProblem('2031-01-01', NOW)).toBe('must not be in the future');
  });

  it(`refuses a date more than ${MAX_CHILD_AGE_YEARS} years ago, as a typo for a child's record`, () => {
    expect(birthDateProblem('2001-12-05', NOW)).toBe("must be within the last 25 years for a child's record");
    expect(birthDateProblem('1901-01-01', NOW)).toMatch(/within the last 25 years/);
    expect(birthDateProblem('2016-01-01', NOW, 5)).toBe(
      "must be within the last 5 years for a child's record",
    );
  });

  it('accepts exactly the days in the window, whatever the day (both directions)', () => {
    const DAY = 86_400_000;
    fc.assert(
      fc.property(fc.integer({ min: -40 * 366, max: 2 * 366 }), (offset) => {
        const date = new Date(NOW.getTime() - offset * DAY).toISOString().slice(0, 10);
        const oldest = new Date(NOW);
        oldest.setUTCFullYear(NOW.getUTCFullYear() - MAX_CHILD_AGE_YEARS);
        const inWindow = offset >= 0 && date >= oldest.toISOString().slice(0, 10);
        expect(birthDateProblem(date, NOW) === undefined).toBe(inWindow);
      }),
      { numRuns: 1_000 },
    );
  });
});
