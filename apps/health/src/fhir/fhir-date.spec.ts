import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { fhirInstant } from './fhir-date.js';

describe('FHIR dates and dateTimes', () => {
  it.each([
    ['2019-12-10T13:00:00+00:00', '2019-12-10T13:00:00+00:00'],
    ['2026-07-01T09:30:00.250+01:00', '2026-07-01T09:30:00.250+01:00'],
    // A date alone is that day in England: GMT in winter, BST in summer.
    ['2026-01-15', '2026-01-15T00:00:00.000Z'],
    ['2026-07-15', '2026-07-14T23:00:00.000Z'],
    ['2026-03-29', '2026-03-29T00:00:00.000Z'],
    ['2026-10-25', '2026-10-24T23:00:00.000Z'],
    ['2026-07', '2026-06-30T23:00:00.000Z'],
    ['2026', '2026-01-01T00:00:00.000Z'],
  ])('reads %s as %s', (value, instant) => {
    expect(fhirInstant(value)).toBe(instant);
  });

  it.each(['2026-02-30', '2026-13-01', '2026-11-21T01:20:00', '21/11/2026', '', 20261121, undefined])(
    'refuses %p',
    (value) => {
      expect(fhirInstant(value)).toBeUndefined();
    },
  );

  it('a date starts at midnight on the clock in London, never the day before (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (d) => {
          const date = d.toISOString().slice(0, 10);
          const instant = new Date(fhirInstant(date)!);
          const london = new Intl.DateTimeFormat('en-CA', {
            timeZone: 'Europe/London',
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
          }).format(instant);
          expect(london).toBe(`${date}, 00:00`);
        },
      ),
    );
  });
});
