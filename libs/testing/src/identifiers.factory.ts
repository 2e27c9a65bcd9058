import { randomInt } from 'node:crypto';
import { nhsNumberCheckDigit, upnCheckLetter } from '@jigsaw/envelope';

/** A random valid NHS number; the 999 range is never issued to real patients. */
export function aNhsNumber(): string {
  for (;;) {
    const firstNine = `999${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
    const check = nhsNumberCheckDigit(firstNine);
    if (check !== undefined) return `${firstNine}${check}`;
  }
}

/** A random valid permanent UPN (or temporary, ending in a letter). */
export function aUpn(options: { temporary?: boolean } = {}): string {
  const council = String(randomInt(800, 940));
  const school = String(randomInt(1000, 8000));
  const year = String(randomInt(10, 26));
  let serial = String(randomInt(0, 1000)).padStart(3, '0');
  if (options.temporary) serial = `${serial.slice(0, 2)}${'ABCDEFGHJKLMNPQRTUVWXYZ'[randomInt(0, 23)]}`;
  const body = `${council}${school}${year}${serial}`;
  return `${upnCheckLetter(body)}${body}`;
}
