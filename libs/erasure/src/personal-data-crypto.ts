import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ErrorCode, JigsawError } from '@jigsaw/errors';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Personal data that cannot be read: altered, sealed under another key, or its key is missing. Fails closed. */
export class PersonalDataUnreadableError extends JigsawError {
  constructor(message: string) {
    super(ErrorCode.PersonalDataUnreadable, message);
  }
}

/** The configured master key: 32 bytes, base64. */
export interface MasterKey {
  key: Buffer;
  /** A short fingerprint stored with each wrapped key, so a wrong master key is named, not guessed at. */
  id: string;
}

export function masterKeyFrom(base64: string): MasterKey {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== base64) {
    throw new Error('ENCRYPTION_MASTER_KEY must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)');
  }
  return { key, id: createHash('sha256').update(key).digest('hex').slice(0, 16) };
}

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export interface Sealed {
  iv: Buffer;
  /** The ciphertext with the GCM tag appended. */
  ciphertext: Buffer;
}

/** AES-256-GCM with a fresh random nonce; `aad` is authenticated, not encrypted. */
export function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext: Buffer.concat([body, cipher.getAuthTag()]) };
}

/** Throws PersonalDataUnreadableError (`what` names it) unless the ciphertext, nonce and aad are as sealed. */
export function decrypt(key: Buffer, sealed: Sealed, aad: Buffer, what: string): Buffer {
  if (sealed.iv.length !== IV_BYTES || sealed.ciphertext.length < TAG_BYTES) {
    throw new PersonalDataUnreadableError(
      `${what} is not a sealed value: its nonce or tag is the wrong size`,
    );
  }
  const body = sealed.ciphertext.subarray(0, sealed.ciphertext.length - TAG_BYTES);
  const tag = sealed.ciphertext.subarray(sealed.ciphertext.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new PersonalDataUnreadableError(
      `${what} fails its authentication check: it was altered, or sealed for another event or under another key`,
    );
  }
}

const wrapAad = (childId: string, generation: number): Buffer =>
  Buffer.from(`jigsaw.data-key.v1\n${childId}\n${generation}`);

/** A child's data key as stored: nonce, wrapped key and tag, bound to the child and generation. */
export function wrapDataKey(master: MasterKey, dataKey: Buffer, childId: string, generation: number): Buffer {
  const { iv, ciphertext } = encrypt(master.key, dataKey, wrapAad(childId, generation));
  return Buffer.concat([iv, ciphertext]);
}

export function unwrapDataKey(
  master: MasterKey,
  wrapped: Buffer,
  childId: string,
  generation: number,
  wrappedUnder: string,
): Buffer {
  const what = `the data key of child ${childId} (generation ${generation})`;
  if (wrappedUnder !== master.id) {
    throw new PersonalDataUnreadableError(
      `${what} was wrapped under master key ${wrappedUnder}, not the configured ${master.id}: check ENCRYPTION_MASTER_KEY`,
    );
  }
  const sealed = { iv: wrapped.subarray(0, IV_BYTES), ciphertext: wrapped.subarray(IV_BYTES) };
  return decrypt(master.key, sealed, wrapAad(childId, generation), what);
}
