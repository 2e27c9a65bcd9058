import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { SchemaRegistry, toCloudEvent } from '@jigsaw/envelope';
import { accessStreamOf, recordAccessed } from './record-accessed.event.js';

const registry = new SchemaRegistry();

describe('recordAccessed', () => {
  const childId = randomUUID();
  const event = recordAccessed(
    {
      id: `access-${randomUUID()}`,
      now: new Date('2026-11-21T08:05:12Z'),
      viewer: {
        agency: 'health',
        organisation: 'urn:jigsaw:org:health:rj1',
        role: 'clinician',
        purpose: 'health-care',
        userId: 'clin-7',
      },
      view: 'chronology',
      childId,
      lookup: 'nhs-number',
    },
    [
      {
        event: 'urn:jigsaw:org:police:met#oe-1',
        level: 'full',
        reason: 'shared',
        lawfulBasis: 'legal-obligation',
        regime: 'dpa-2018-part-3',
      },
    ],
  );

  it('is a valid CloudEvent of its own schema', () => {
    const { childid: _childid, recordedtime: _recordedtime, ...envelope } = event;
    expect(registry.validateEnvelope(toCloudEvent(envelope))).toEqual([]);
    expect(registry.validateEnvelope(toCloudEvent(event))).toEqual([]);
  });

  it('names the child only by hub child id, in its own stream', () => {
    expect(event.subject).toEqual({ localIds: [{ system: 'urn:jigsaw:hub:child-id', value: childId }] });
    expect(event.childid).toBe(childId);
    expect(accessStreamOf(childId)).toBe(`access-${childId}`);
  });

  it("is shared with the viewer agency's auditors, for audit only", () => {
    expect(event.sharing).toMatchObject({
      purposes: ['audit'],
      audience: [{ agency: 'health', roles: ['auditor', 'data-protection-officer'] }],
      sensitivity: 'restricted',
    });
  });
});
