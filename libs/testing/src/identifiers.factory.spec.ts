import { describe, expect, it } from '@jest/globals';
import { isTemporaryUpn, isValidNhsNumber, isValidUpn } from '@jigsaw/identity';
import { aNhsNumber, aUpn } from './identifiers.factory.js';

describe('identifier factories', () => {
  it('make valid NHS numbers and UPNs', () => {
    for (let i = 0; i < 200; i++) {
      expect(isValidNhsNumber(aNhsNumber())).toBe(true);
      expect(isValidUpn(aUpn())).toBe(true);
      expect(isTemporaryUpn(aUpn({ temporary: true }))).toBe(true);
    }
  });
});
