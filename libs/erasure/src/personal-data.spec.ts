import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { CloudEvent } from 'cloudevents';
import { SchemaRegistry, toCloudEvent, type RecordedEvent } from '@jigsaw/envelope';
import { newDataKey, PersonalDataUnreadableError } from './personal-data-crypto.js';
import { personalPathsOf } from './personal-data-fields.js';
import {
  ERASED_MARKER,
  erasePersonalData,
  HUB_CHILD_ID_SYSTEM,
  hubSubject,
  isErased,
  isSealed,
  keyIdOf,
  openWith,
  SEALED_MARKER,
  sealWith,
  type ProtectedEvent,
  type SealedPersonalData,
} from './personal-data.js';
import { recordedExamples } from './testing/schema-examples.js';

const registry = new SchemaRegistry();
const key = newDataKey();

function seal(event: RecordedEvent): RecordedEvent & { personaldata: SealedPersonalData } {
  const sealed = sealWith(event, event.childid, keyIdOf(event.childid, 1), key);
  if (!isSealed(sealed)) throw new Error('not sealed');
  return sealed;
}

/** Every string at the event's personal paths long enough to be told apart from anything else. */
function personalStrings(event: RecordedEvent): string[] {
  const found: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string' && value.length >= 6) found.push(value);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(collect);
  };
  for (const path of personalPathsOf(event)) {
    collect(path.split('.').reduce<unknown>((at, k) => (at as Record<string, unknown>)?.[k], event));
  }
  // A value also found in the skeleton (a practitioner's name in the contact, the hub id) is not the secret.
  const kept = JSON.stringify([skeleton(event), hubSubject(event.childid)]);
  return found.filter((value) => !kept.includes(value));
}

/** The event without its personal paths: the audit skeleton, which sealing and erasure must leave alone. */
function skeleton(event: ProtectedEvent): unknown {
  const copy = structuredClone(event) as unknown as Record<string, unknown>;
  delete copy['personaldata'];
  for (const path of personalPathsOf(event)) {
    const keys = path.split('.');
    const parent = keys.slice(0, -1).reduce<unknown>((at, k) => (at as Record<string, unknown>)?.[k], copy);
    if (typeof parent === 'object' && parent !== null)
      delete (parent as Record<string, unknown>)[keys.at(-1)!];
  }
  return copy;
}

const examples = recordedExamples();
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('sealing personal data, for every example event under schemas/', () => {
  it('has examples to test', () => expect(examples.length).toBeGreaterThan(30));

  it.each(examples)(
    '%s: sealed, it still meets its schema and holds none of the personal data',
    (_path, event) => {
      const sealed = seal(event);
      expect(registry.validateEnvelope(toCloudEvent(sealed))).toEqual([]);
      const text = JSON.stringify(sealed);
      for (const value of personalStrings(event)) expect(text).not.toContain(value);
      expect(sealed.subject).toEqual({ localIds: [{ system: HUB_CHILD_ID_SYSTEM, value: event.childid }] });
      expect(sealed.personaldata.fields).toEqual(personalPathsOf(event));
      expect(skeleton(sealed)).toEqual(skeleton(event));
    },
  );

  it.each(examples)(
    '%s: as published, a CloudEvent the official SDK accepts in strict mode, no attribute personal',
    (_path, event) => {
      const published = { ...toCloudEvent(seal(event)), traceparent: TRACEPARENT };
      const sdk = new CloudEvent(published, true);
      expect(sdk.data).toEqual(published.data);
      const { data: _data, ...attributes } = sdk.toJSON();
      const text = JSON.stringify(attributes);
      for (const value of personalStrings(event)) expect(text).not.toContain(value);
      for (const value of Object.values(attributes).filter((v) => v !== undefined))
        expect(typeof value).toBe('string');
      expect(attributes).toMatchObject({ childid: event.childid, traceparent: TRACEPARENT });
    },
  );

  it.each(examples)('%s: opened, it is exactly the event as received', (_path, event) => {
    expect(openWith(seal(event), key)).toEqual(event);
  });

  it.each(examples)('%s: erased, it meets its schema, says so, and keeps its skeleton', (_path, event) => {
    const erased = erasePersonalData(seal(event));
    expect(registry.validateEnvelope(toCloudEvent(erased))).toEqual([]);
    expect(isErased(erased)).toBe(true);
    const text = JSON.stringify(erased);
    for (const value of personalStrings(event)) expect(text).not.toContain(value);
    expect(skeleton(erased)).toEqual(skeleton(event));
    // A read model erasing the opened copy it holds gets the same answer as a reader of the sealed one.
    expect(erasePersonalData(event)).toEqual(erased);
    expect(erasePersonalData(erased)).toBe(erased);
  });
});

describe('sealed personal data fails closed', () => {
  const [, example] = examples.find(([path]) => path.startsWith('police/domestic-abuse-incident-notified'))!;
  const sealed = seal(example);
  const unreadable = (event: RecordedEvent & { personaldata: SealedPersonalData }): void => {
    expect(() => openWith(event, key)).toThrow(PersonalDataUnreadableError);
    expect(() => openWith(event, key)).toThrow(
      `the personal data of event ${event.source}#${event.id} fails its authentication check`,
    );
  };
  const withData = (change: Partial<SealedPersonalData>) => ({
    ...sealed,
    personaldata: { ...sealed.personaldata, ...change },
  });

  it('when a character of the ciphertext is changed', () => {
    const c = sealed.personaldata.ciphertext;
    unreadable(withData({ ciphertext: (c[0] === 'A' ? 'B' : 'A') + c.slice(1) }));
  });

  it('when the list of sealed fields is changed, so nothing can be made to land elsewhere', () => {
    unreadable(withData({ fields: sealed.personaldata.fields.slice(1) }));
  });

  it('when the sealed data is moved onto another event, or claims another key', () => {
    unreadable({ ...sealed, id: 'another-event' });
    unreadable(withData({ kid: keyIdOf(randomUUID(), 1) }));
    expect(() => openWith(sealed, newDataKey())).toThrow(PersonalDataUnreadableError);
  });

  it('marks the subject and each string erased, and names the fields', () => {
    const erased = erasePersonalData(sealed);
    expect(erased.subject).toEqual({ localIds: [{ system: HUB_CHILD_ID_SYSTEM, value: example.childid }] });
    expect(erased.data).toMatchObject({ summary: ERASED_MARKER, narrative: ERASED_MARKER });
    expect(sealed.data).toMatchObject({ summary: SEALED_MARKER, narrative: SEALED_MARKER });
    expect(erased.personaldata).toEqual({
      v: 1,
      fields: ['subject', 'data.summary', 'data.narrative'],
      erased: true,
    });
  });
});

describe('a correction carries personal data where the fields it replaces do', () => {
  it('seals corrected free text and keeps corrected codes readable', () => {
    const [, example] = examples.find(([path]) => path.startsWith('control/record-corrected'))!;
    const event = {
      ...example,
      type: 'police.record-corrected',
      data: {
        ...(example.data as object),
        corrections: { summary: 'Child was not present.', riskLevel: 'high' },
      },
    };
    const sealed = seal(event);
    expect(sealed.data).toMatchObject({
      reason: SEALED_MARKER,
      corrections: { summary: SEALED_MARKER, riskLevel: 'high' },
    });
    expect(openWith(sealed, key)).toEqual(event);
  });
});
