import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@jigsaw/errors';
import {
  decrypt,
  encrypt,
  masterKeyFrom,
  newDataKey,
  PersonalDataUnreadableError,
  unwrapDataKey,
  wrapDataKey,
} from './personal-data-crypto.js';

const flip = (buffer: Buffer, at: number): Buffer => {
  const copy = Buffer.from(buffer);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
};

describe('AES-256-GCM sealing', () => {
  const key = newDataKey();
  const aad = Buffer.from('event urn:jigsaw:org:police:met#oe-1');
  const plaintext = Buffer.from('{"subject":{"nhsNumber":"9434765919"}}');
  const sealed = encrypt(key, plaintext, aad);

  it('opens what it sealed, with a fresh nonce each time', () => {
    expect(decrypt(key, sealed, aad, 'it')).toEqual(plaintext);
    expect(encrypt(key, plaintext, aad).iv).not.toEqual(sealed.iv);
    expect(sealed.ciphertext.includes(plaintext)).toBe(false);
  });

  const unreadable = (attempt: () => unknown): void => {
    expect(attempt).toThrow(PersonalDataUnreadableError);
    expect(attempt).toThrow(
      'the personal data fails its authentication check: it was altered, or sealed for another event or under another key',
    );
    try {
      attempt();
    } catch (error) {
      expect((error as PersonalDataUnreadableError).code).toBe(ErrorCode.PersonalDataUnreadable);
    }
  };

  it('fails closed, with a clear error, on any change to the ciphertext, its tag, the nonce, the context or the key', () => {
    const what = 'the personal data';
    unreadable(() => decrypt(key, { ...sealed, ciphertext: flip(sealed.ciphertext, 0) }, aad, what));
    unreadable(() =>
      decrypt(
        key,
        { ...sealed, ciphertext: flip(sealed.ciphertext, sealed.ciphertext.length - 1) },
        aad,
        what,
      ),
    );
    unreadable(() => decrypt(key, { ...sealed, iv: flip(sealed.iv, 3) }, aad, what));
    unreadable(() => decrypt(key, sealed, Buffer.from('event urn:jigsaw:org:police:met#oe-2'), what));
    unreadable(() => decrypt(newDataKey(), sealed, aad, what));
  });

  it('refuses a value of the wrong shape rather than guessing', () => {
    expect(() => decrypt(key, { iv: Buffer.alloc(4), ciphertext: sealed.ciphertext }, aad, 'x')).toThrow(
      'x is not a sealed value: its nonce or tag is the wrong size',
    );
    expect(() => decrypt(key, { iv: sealed.iv, ciphertext: Buffer.alloc(8) }, aad, 'x')).toThrow(
      PersonalDataUnreadableError,
    );
  });
});

describe('data keys wrapped by the master key', () => {
  const master = masterKeyFrom(randomBytes(32).toString('base64'));
  const child = '3b7a1a9e-2f4c-4d0b-8f6e-5a9c1d2e3f40';
  const dataKey = newDataKey();
  const wrapped = wrapDataKey(master, dataKey, child, 1);

  it('unwraps for the same child and generation only', () => {
    expect(unwrapDataKey(master, wrapped, child, 1, master.id)).toEqual(dataKey);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(() => unwrapDataKey(master, wrapped, child, 2, master.id)).toThrow(PersonalDataUnreadableError);
    expect(() =>
      unwrapDataKey(master, wrapped, '00000000-0000-4000-8000-000000000000', 1, master.id),
    ).toThrow(PersonalDataUnreadableError);
    expect(() => unwrapDataKey(master, flip(wrapped, 20), child, 1, master.id)).toThrow(
      PersonalDataUnreadableError,
    );
  });

  it('names a wrong master key instead of failing obscurely', () => {
    const other = masterKeyFrom(randomBytes(32).toString('base64'));
    expect(() => unwrapDataKey(other, wrapped, child, 1, master.id)).toThrow(
      `was wrapped under master key ${master.id}, not the configured ${other.id}: check ENCRYPTION_MASTER_KEY`,
    );
  });

  it('takes only a 32-byte base64 master key', () => {
    expect(() => masterKeyFrom(randomBytes(16).toString('base64'))).toThrow(
      'ENCRYPTION_MASTER_KEY must be 32 bytes in base64',
    );
    expect(() => masterKeyFrom('not base64 at all, not at all, no, not at all!')).toThrow(
      'ENCRYPTION_MASTER_KEY must be 32 bytes in base64',
    );
    expect(masterKeyFrom(Buffer.alloc(32, 1).toString('base64')).id).toMatch(/^[0-9a-f]{16}$/);
  });
});
