import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { SchemaRegistry, toCloudEvent } from '@jigsaw/envelope';
import { cpIsFlagLookedUp } from './cp-is-flag-looked-up.event.js';

const registry = new SchemaRegistry();
const LEEDS = 'urn:jigsaw:org:council:leeds';

describe('cpIsFlagLookedUp', () => {
  const childId = randomUUID();
  const accessId = `access-${randomUUID()}`;
  const event = cpIsFlagLookedUp({
    accessId,
    now: new Date('2026-11-20T22:10:00Z'),
    viewer: {
      agency: 'health',
      organisation: 'urn:jigsaw:org:health:york-hospital',
      role: 'clinician',
      purpose: 'health-care',
      userId: 'clin-york',
    },
    childId,
    council: LEEDS,
    statuses: [
      {
        kind: 'child-protection-plan',
        council: LEEDS,
        startDate: '2025-06-02',
        endDate: '2026-10-01',
        contact: { team: 'Leeds North CP team', phone: '0113 222 4403', outOfHoursPhone: '0113 240 9536' },
        events: [`${LEEDS}|cpp-1`, `${LEEDS}|cpp-1-ended`],
      },
      { kind: 'looked-after', council: LEEDS, startDate: '2026-10-02', events: [`${LEEDS}|lac-1`] },
    ],
    triggerEventKey: `${LEEDS}|cpp-1`,
  });

  it('is a valid CloudEvent of its own schema, as stored and as published', () => {
    const { childid: _childid, recordedtime: _recordedtime, ...envelope } = event;
    expect(registry.validateEnvelope(toCloudEvent(envelope))).toEqual([]);
    expect(registry.validateEnvelope(toCloudEvent(event))).toEqual([]);
  });

  it('carries what the council is told: statuses in force or not, their records, when and by whom', () => {
    expect(event.data).toEqual({
      accessId,
      childId,
      lookedUpAt: '2026-11-20T22:10:00.000Z',
      lookedUpBy: 'urn:jigsaw:org:health:york-hospital',
      council: LEEDS,
      careStatuses: [
        {
          kind: 'child-protection-plan',
          startDate: '2025-06-02',
          endDate: '2026-10-01',
          inForce: false,
          contact: { team: 'Leeds North CP team', phone: '0113 222 4403', outOfHoursPhone: '0113 240 9536' },
        },
        { kind: 'looked-after', startDate: '2026-10-02', inForce: true },
      ],
      statusEvents: [`${LEEDS}|cpp-1`, `${LEEDS}|cpp-1-ended`, `${LEEDS}|lac-1`],
      triggerEventKey: `${LEEDS}|cpp-1`,
    });
  });

  it("names the child only by hub child id, and is shared with the looking-up agency's auditors", () => {
    expect(event.subject).toEqual({ localIds: [{ system: 'urn:jigsaw:hub:child-id', value: childId }] });
    expect(event.id).toBe(`cp-is-${accessId}`);
    expect(event.sharing).toMatchObject({
      purposes: ['audit'],
      audience: [{ agency: 'health', roles: ['auditor', 'data-protection-officer'] }],
    });
  });
});
