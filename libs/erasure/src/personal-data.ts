import { canonicalJson, type ChildSubject, type RecordedEvent } from '@jigsaw/envelope';
import { decrypt, encrypt, PersonalDataUnreadableError } from './personal-data-crypto.js';
import { personalPathsOf } from './personal-data-fields.js';

/** How hub events name a child: by the pseudonymous hub child id, never an identifier an agency holds. */
export const HUB_CHILD_ID_SYSTEM = 'urn:jigsaw:hub:child-id';
/** Stands in for each sealed string while the personal data travels encrypted. */
export const SEALED_MARKER = '[sealed]';
/** Stands in for each string whose key was destroyed. */
export const ERASED_MARKER = '[erased]';

/** The `personaldata` extension attribute of an event whose personal fields travel encrypted. */
export interface SealedPersonalData {
  v: 1;
  alg: 'A256GCM';
  /** `<hub child id>/<key generation>`: the child's data key that sealed it. */
  kid: string;
  /** Where the personal data was, as paths from the envelope: `subject`, `data.summary`, ... */
  fields: string[];
  iv: string;
  /** base64url of the ciphertext with the GCM tag appended. */
  ciphertext: string;
}

/**
 * The marker left once the key is gone: which fields were erased; the rest of the event stands. The same
 * whether a reader erased a sealed copy or a read model its opened one, so a rebuild matches the live model.
 */
export interface ErasedPersonalData {
  v: 1;
  fields: string[];
  erased: true;
}

export type PersonalDataAttribute = SealedPersonalData | ErasedPersonalData;

export type ProtectedEvent = RecordedEvent & { personaldata?: PersonalDataAttribute };

export function keyIdOf(childId: string, generation: number): string {
  return `${childId}/${generation}`;
}

const KEY_ID = /^([0-9a-f-]{36})\/([1-9][0-9]{0,8})$/;

export function parseKeyId(kid: string): { childId: string; generation: number } | undefined {
  const match = KEY_ID.exec(kid);
  return match ? { childId: match[1]!, generation: Number(match[2]) } : undefined;
}

export function isSealed(
  event: ProtectedEvent,
): event is RecordedEvent & { personaldata: SealedPersonalData } {
  return event.personaldata !== undefined && !('erased' in event.personaldata);
}

/** Whether the event's personal data was erased (its key destroyed). */
export function isErased(event: ProtectedEvent): boolean {
  return event.personaldata !== undefined && 'erased' in event.personaldata;
}

export function hubSubject(childId: string): ChildSubject {
  return { localIds: [{ system: HUB_CHILD_ID_SYSTEM, value: childId }] };
}

function aadOf(event: RecordedEvent, kid: string, fields: readonly string[]): Buffer {
  return Buffer.from(
    ['jigsaw.personal-data.v1', event.source, event.id, event.type, kid, ...fields].join('\n'),
  );
}

type Json = Record<string, unknown>;

function getPath(root: object, path: string): unknown {
  let at: unknown = root;
  for (const key of path.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Json)[key];
  }
  return at;
}

function setPath(root: object, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = root as Json;
  for (const key of keys.slice(0, -1)) {
    const next = at[key];
    if (typeof next !== 'object' || next === null) return;
    at = next as Json;
  }
  at[keys[keys.length - 1]!] = value;
}

/** The same shape with every string replaced by the marker, so schemas still hold. */
function mask(value: unknown, marker: string): unknown {
  if (typeof value === 'string') return marker;
  if (Array.isArray(value)) return value.map((item) => mask(item, marker));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v, marker)]));
  }
  return value;
}

function withoutAttribute(event: ProtectedEvent): RecordedEvent {
  const { personaldata: _attribute, ...rest } = structuredClone(event);
  return rest;
}

/**
 * The event with its personal fields encrypted under `key` into `personaldata`, and replaced in place by
 * markers (the subject by the hub child id), so it still meets its schema. Pure but for the random nonce.
 */
export function sealWith(event: RecordedEvent, childId: string, kid: string, key: Buffer): ProtectedEvent {
  const fields = personalPathsOf(event);
  const sealed = withoutAttribute(event);
  const values = Object.fromEntries(fields.map((field) => [field, getPath(sealed, field)]));
  const { iv, ciphertext } = encrypt(key, Buffer.from(canonicalJson(values)), aadOf(event, kid, fields));
  for (const field of fields) {
    setPath(sealed, field, field === 'subject' ? hubSubject(childId) : mask(values[field], SEALED_MARKER));
  }
  const personaldata: SealedPersonalData = {
    v: 1,
    alg: 'A256GCM',
    kid,
    fields,
    iv: iv.toString('base64url'),
    ciphertext: ciphertext.toString('base64url'),
  };
  return { ...sealed, personaldata };
}

/** The event as it was before sealing. Throws PersonalDataUnreadableError if anything was altered. */
export function openWith(
  event: RecordedEvent & { personaldata: SealedPersonalData },
  key: Buffer,
): RecordedEvent {
  const { kid, fields, iv, ciphertext } = event.personaldata;
  const what = `the personal data of event ${event.source}#${event.id}`;
  const plaintext = decrypt(
    key,
    { iv: Buffer.from(iv, 'base64url'), ciphertext: Buffer.from(ciphertext, 'base64url') },
    aadOf(event, kid, fields),
    what,
  );
  const values = JSON.parse(plaintext.toString('utf8')) as Json;
  const opened = withoutAttribute(event);
  for (const field of fields) {
    if (!(field in values)) throw new PersonalDataUnreadableError(`${what} does not hold its field ${field}`);
    setPath(opened, field, values[field]);
  }
  return opened;
}

/**
 * The event with its personal fields replaced by ERASED_MARKER and the subject by the hub child id, and a
 * `personaldata` marker naming what went. Works on a sealed event (its key destroyed) and on one already
 * opened into a read model; an erased event comes back as it is.
 */
export function erasePersonalData(event: ProtectedEvent): ProtectedEvent {
  if (isErased(event)) return event;
  const sealed = isSealed(event);
  const fields = sealed ? event.personaldata.fields : personalPathsOf(event);
  const childId = (sealed && parseKeyId(event.personaldata.kid)?.childId) || event.childid;
  const erased = withoutAttribute(event);
  for (const field of fields) {
    const value = getPath(erased, field);
    if (value === undefined) continue;
    setPath(erased, field, field === 'subject' ? hubSubject(childId) : mask(value, ERASED_MARKER));
  }
  const personaldata: ErasedPersonalData = { v: 1, fields, erased: true };
  return { ...erased, personaldata };
}
