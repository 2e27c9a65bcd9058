const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/** Modulus 11 check digit of the first nine digits, or undefined where none exists (remainder gives 10). */
export function nhsNumberCheckDigit(firstNine: string): number | undefined {
  if (!/^\d{9}$/.test(firstNine)) return undefined;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * WEIGHTS[i]!;
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return undefined;
  return check;
}

export function isValidNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  return nhsNumberCheckDigit(value.slice(0, 9)) === Number(value[9]);
}

/** Why a value is not a valid NHS number, or undefined when it is one. */
export function nhsNumberProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string of 10 digits';
  if (!/^\d{10}$/.test(value)) return 'must be exactly 10 digits with no spaces';
  const expected = nhsNumberCheckDigit(value.slice(0, 9));
  if (expected === undefined)
    return 'is not a valid NHS number: no check digit exists for its first nine digits';
  if (expected !== Number(value[9])) return 'fails the NHS number check digit';
  return undefined;
}
