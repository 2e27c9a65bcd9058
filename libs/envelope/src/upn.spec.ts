import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isTemporaryUpn, isUnknownUpnCode, isValidUpn, upnCheckLetter, upnProblem } from './upn.js';

const body = fc.stringMatching(/^\d{11}[0-9A-HJ-NP-RT-Z]$/);

describe('UPN', () => {
  it('accepts the published example', () => {
    expect(isValidUpn('B801200005001')).toBe(true);
    expect(isTemporaryUpn('B801200005001')).toBe(false);
  });

  it.each([
    ['A801200005001', 'fails the UPN check letter'],
    ['B80120000500', 'must be a check letter, 11 digits, then a digit (permanent) or a letter (temporary)'],
    ['b801200005001', 'must be a check letter, 11 digits, then a digit (permanent) or a letter (temporary)'],
    ['UN2', 'is the unknown-UPN code UN2, not a UPN'],
  ])('refuses %s because it %s', (value, reason) => {
    expect(upnProblem(value)).toBe(reason);
  });

  it('recognises the unknown codes UN1 to UN5 and nothing else', () => {
    for (const code of ['UN1', 'UN2', 'UN3', 'UN4', 'UN5']) expect(isUnknownUpnCode(code)).toBe(true);
    expect(isUnknownUpnCode('UN6')).toBe(false);
  });

  it('accepts any body with its computed check letter, permanent or temporary', () => {
    fc.assert(
      fc.property(body, (b) => {
        const upn = `${upnCheckLetter(b)}${b}`;
        expect(isValidUpn(upn)).toBe(true);
        expect(isTemporaryUpn(upn)).toBe(/[A-Z]$/.test(b));
      }),
    );
  });

  it('refuses every other check letter', () => {
    fc.assert(
      fc.property(body, fc.constantFrom(...'ABCDEFGHJKLMNPQRTUVWXYZ'), (b, letter) => {
        fc.pre(letter !== upnCheckLetter(b));
        expect(isValidUpn(`${letter}${b}`)).toBe(false);
      }),
    );
  });

  it.each(['I', 'O', 'S'])(
    'refuses a temporary UPN ending in %s, a letter the check alphabet leaves out',
    (last) => {
      const temporaryBody = `80120000500${last}`;
      expect(upnCheckLetter(temporaryBody)).toBeUndefined();
      for (const check of 'ABCDEFGHJKLMNPQRTUVWXYZ') {
        expect(isValidUpn(`${check}${temporaryBody}`)).toBe(false);
        expect(upnProblem(`${check}${temporaryBody}`)).toBe('fails the UPN check letter');
      }
    },
  );

  it('refuses a valid UPN with anything after it, and tells temporary from permanent', () => {
    expect(isValidUpn('B801200005001 ')).toBe(false);
    expect(isValidUpn('B8012000050011')).toBe(false);
    expect(upnCheckLetter('80120000500')).toBeUndefined();
    expect(upnCheckLetter('8012000050011')).toBeUndefined();
    const temporary = `${upnCheckLetter('80120000500A')!}80120000500A`;
    expect(isTemporaryUpn(temporary)).toBe(true);
    expect(isTemporaryUpn(`A${temporary.slice(1)}`)).toBe(temporary.startsWith('A'));
    expect(isUnknownUpnCode('UN6')).toBe(false);
    expect(upnProblem(801200005001)).toBe('must be a string of 13 characters');
  });
});
