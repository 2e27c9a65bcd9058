/** The UPN check alphabet: 23 letters, without I, O and S. */
const CHECK_ALPHABET = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/** Codes a census return uses where a pupil's UPN is not known. */
export const UNKNOWN_UPN_CODES = ['UN1', 'UN2', 'UN3', 'UN4', 'UN5'] as const;
export type UnknownUpnCode = (typeof UNKNOWN_UPN_CODES)[number];

export function isUnknownUpnCode(value: string): value is UnknownUpnCode {
  return (UNKNOWN_UPN_CODES as readonly string[]).includes(value);
}

function charValue(ch: string): number | undefined {
  if (/^\d$/.test(ch)) return Number(ch);
  const index = CHECK_ALPHABET.indexOf(ch);
  return index >= 0 ? index : undefined;
}

/** The check letter for characters 2 to 13 of a UPN, or undefined if they are malformed. */
export function upnCheckLetter(body: string): string | undefined {
  if (body.length !== 12) return undefined;
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const value = charValue(body[i]!);
    if (value === undefined) return undefined;
    sum += value * (i + 2);
  }
  return CHECK_ALPHABET[sum % 23];
}

/** Why a value is not a valid UPN (permanent, or temporary ending in a letter), or undefined when it is one. */
export function upnProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string of 13 characters';
  if (isUnknownUpnCode(value)) return `is the unknown-UPN code ${value}, not a UPN`;
  if (!/^[A-Z]\d{11}[0-9A-Z]$/.test(value)) {
    return 'must be a check letter, 11 digits, then a digit (permanent) or a letter (temporary)';
  }
  if (upnCheckLetter(value.slice(1)) !== value[0]) return 'fails the UPN check letter';
  return undefined;
}

export function isValidUpn(value: string): boolean {
  return upnProblem(value) === undefined;
}

export function isTemporaryUpn(value: string): boolean {
  return isValidUpn(value) && /[A-Z]$/.test(value);
}
