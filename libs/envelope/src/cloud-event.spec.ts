import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { CloudEvent } from 'cloudevents';
import { repoRoot } from '@jigsaw/config';
import { cloudEventField, envelopeField, fromCloudEvent, toCloudEvent } from './cloud-event.js';
import type { RecordedEvent } from './envelope.js';
import { envelopeVersionOf, readStoredEvent, upcast } from './upcast.js';

const schemasDir = join(repoRoot(), 'schemas');

function validExamples(dir = schemasDir): [string, Record<string, unknown>][] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry): [string, Record<string, unknown>][] => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return validExamples(path);
    if (!path.includes('/examples/valid/') || !entry.name.endsWith('.json')) return [];
    return [
      [path.slice(schemasDir.length + 1), JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>],
    ];
  });
}

/** A police notification as envelope v1 stored it, sealed: the shape every store held before v2. */
const v1Stored = {
  specversion: '1.0',
  id: 'met-oe-2026-000123',
  source: 'urn:jigsaw:org:police:met',
  type: 'police.domestic-abuse-incident-notified',
  time: '2026-11-20T22:40:00Z',
  dataschema: 'urn:jigsaw:schema:police.domestic-abuse-incident-notified:v1',
  subject: {
    localIds: [{ system: 'urn:jigsaw:hub:child-id', value: '3b7a1a9e-2f4c-4d0b-8f6e-5a9c1d2e3f40' }],
  },
  sharing: {
    basis: { lawfulBasis: 'legal-obligation', regime: 'dpa-2018-part-3', specialCategory: false },
    consent: { status: 'not-sought', reason: 'Operation Encompass is a statutory duty' },
    purposes: ['safeguarding'],
    audience: [{ agency: 'education' }],
    sensitivity: 'sensitive',
    decidedBy: { role: 'Operation Encompass officer', organisation: 'urn:jigsaw:org:police:met' },
  },
  data: { incidentReference: 'CAD-1', summary: '[sealed]', childPresent: true },
  childid: '3b7a1a9e-2f4c-4d0b-8f6e-5a9c1d2e3f40',
  recordedtime: '2026-11-21T09:00:00.000Z',
  personaldata: {
    v: 1,
    alg: 'A256GCM',
    kid: '3b7a1a9e-2f4c-4d0b-8f6e-5a9c1d2e3f40/1',
    fields: ['subject', 'data.summary'],
    iv: 'aXY',
    ciphertext: 'Y2lwaGVy',
  },
};

describe('the CloudEvent of an event', () => {
  it('carries the child, the sharing decision, the record and the sealed data in data', () => {
    const { subject, sharing, data, personaldata, ...attributes } = v1Stored;
    expect(toCloudEvent(v1Stored as unknown as RecordedEvent)).toEqual({
      ...attributes,
      data: {
        child: subject,
        sharing,
        record: data,
        personaldata: { ...personaldata, fields: ['data.child', 'data.record.summary'] },
      },
    });
  });

  it('is read back as exactly the event it was made from', () => {
    const event = { ...(v1Stored as unknown as RecordedEvent), reference: 'CAD-1' };
    expect(toCloudEvent(event).subject).toBe('CAD-1');
    expect(fromCloudEvent(toCloudEvent(event))).toEqual(event);
  });

  it('names fields both ways, and each way undoes the other', () => {
    const pairs = [
      ['subject.nhsNumber', 'data.child.nhsNumber'],
      ['subject', 'data.child'],
      ['sharing.consent.reason', 'data.sharing.consent.reason'],
      ['data', 'data.record'],
      ['data.occurredAt', 'data.record.occurredAt'],
      ['reference', 'subject'],
      ['id', 'id'],
      ['dataschema', 'dataschema'],
    ];
    for (const [inHub, inCloudEvent] of pairs) {
      expect(cloudEventField(inHub!)).toBe(inCloudEvent);
      expect(envelopeField(inCloudEvent!)).toBe(inHub);
    }
  });
});

describe('upcasting stored events', () => {
  it('reads envelope v1 as v1 and v2 as v2', () => {
    expect(envelopeVersionOf(v1Stored)).toBe(1);
    expect(envelopeVersionOf(toCloudEvent(v1Stored as unknown as RecordedEvent) as never)).toBe(2);
  });

  it('turns a v1 event into its v2 CloudEvent, valid to the official SDK in strict mode', () => {
    const upcast_ = upcast(v1Stored);
    expect(upcast_).toEqual(toCloudEvent(v1Stored as unknown as RecordedEvent));
    expect(() => new CloudEvent(upcast_ as unknown as Record<string, unknown>, true)).not.toThrow();
  });

  it('leaves a v2 event as it is', () => {
    const v2 = toCloudEvent(v1Stored as unknown as RecordedEvent);
    expect(upcast(v2)).toBe(v2);
  });

  it('reads a v1 event and its v2 CloudEvent as the same event', () => {
    expect(readStoredEvent(v1Stored)).toEqual(v1Stored);
    expect(readStoredEvent(toCloudEvent(v1Stored as unknown as RecordedEvent))).toEqual(v1Stored);
  });
});

describe('every valid example under schemas/', () => {
  it.each(validExamples())('%s is a CloudEvent the official SDK accepts in strict mode', (_path, example) => {
    const event = new CloudEvent(example, true);
    expect(event.data).toEqual(example['data']);
    expect(typeof event.subject === 'string' || event.subject === undefined).toBe(true);
    // No attribute of the SDK's event holds an object: everything structured is in data.
    const { data: _data, ...attributes } = event.toJSON();
    for (const value of Object.values(attributes).filter((v) => v !== undefined))
      expect(typeof value).toBe('string');
  });
});
