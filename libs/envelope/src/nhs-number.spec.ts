import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isValidNhsNumber, nhsNumberCheckDigit, nhsNumberProblem } from './nhs-number.js';

const nineDigits = fc.stringMatching(/^\d{9}$/);

describe('NHS number', () => {
  it.each(['9434765919', '9434765870'])('accepts the published example %s', (value) => {
    expect(isValidNhsNumber(value)).toBe(true);
    expect(nhsNumberProblem(value)).toBeUndefined();
  });

  it.each([
    ['9434765918', 'fails the NHS number check digit'],
    ['943476591', 'must be exactly 10 digits with no spaces'],
    ['943 476 5919', 'must be exactly 10 digits with no spaces'],
    ['94347659l9', 'must be exactly 10 digits with no spaces'],
  ])('refuses %s because it %s', (value, reason) => {
    expect(isValidNhsNumber(value)).toBe(false);
    expect(nhsNumberProblem(value)).toBe(reason);
  });

  it('refuses a non-string', () => {
    expect(nhsNumberProblem(9434765919)).toBe('must be a string of 10 digits');
  });

  it('refuses numbers whose first nine digits give a remainder of 10', () => {
    // 10·1 + 9·0 + ... = 10 → 11 − 10 = 1; find one that gives 10 by search so the case stays honest.
    const impossible = Array.from({ length: 2000 }, (_, i) => String(100_000_000 + i)).find(
      (nine) => nhsNumberCheckDigit(nine) === undefined,
    );
    expect(impossible).toBeDefined();
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`${impossible}${d}`)).toBe(false);
  });

  it('has exactly one valid check digit, or none, for any nine digits', () => {
    fc.assert(
      fc.property(nineDigits, (nine) => {
        const valid = [...'0123456789'].filter((d) => isValidNhsNumber(nine + d));
        const expected = nhsNumberCheckDigit(nine);
        expect(valid).toEqual(expected === undefined ? [] : [String(expected)]);
      }),
    );
  });

  it('catches every single-digit substitution in a valid number', () => {
    fc.assert(
      fc.property(
        nineDigits.filter((n) => nhsNumberCheckDigit(n) !== undefined),
        fc.nat(9),
        fc.integer({ min: 1, max: 9 }),
        (nine, position, delta) => {
          const valid = `${nine}${nhsNumberCheckDigit(nine)}`;
          const digits = [...valid];
          digits[position] = String((Number(digits[position]) + delta) % 10);
          expect(isValidNhsNumber(digits.join(''))).toBe(false);
        },
      ),
    );
  });

  it.each(['94347659190', '9434765919x', '9434765919 ', '9434765919\n', 'x9434765919'])(
    'refuses a valid number with anything before or after it: %j',
    (value) => {
      expect(isValidNhsNumber(value)).toBe(false);
      expect(nhsNumberProblem(value)).toBe('must be exactly 10 digits with no spaces');
    },
  );

  it('gives no check digit for anything but nine digits', () => {
    expect(nhsNumberCheckDigit('943476591')).toBe(9);
    for (const bad of ['9434765910', '94347659', '94347659x', '943476591 ', ' 943476591']) {
      expect(nhsNumberCheckDigit(bad)).toBeUndefined();
    }
  });
});
