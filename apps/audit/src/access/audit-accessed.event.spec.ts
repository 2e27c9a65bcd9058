import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { SchemaRegistry, toCloudEvent } from '@jigsaw/envelope';
import { auditAccessed, AUDIT_SOURCE } from './audit-accessed.event.js';

const registry = new SchemaRegistry();
const childId = randomUUID();
const caller = {
  sub: 'panel-2',
  agency: 'council',
  organisation: 'urn:jigsaw:org:council:leeds',
  role: 'review-panel',
} as const;

describe('auditAccessed', () => {
  it.each(['as-known-at', 'access-log', 'subject-access-export'] as const)(
    'records a %s read as a valid hub.record-accessed event',
    (view) => {
      const event = auditAccessed(
        {
          id: `audit-${randomUUID()}`,
          now: new Date('2026-11-23T10:00:00Z'),
          caller,
          view,
          childId,
          lookup: 'hub-child-id',
          ...(view === 'as-known-at'
            ? {
                asKnownAt: {
                  at: '2026-11-21T08:00:00.000Z',
                  viewer: {
                    organisation: 'urn:jigsaw:org:education:school-100001',
                    agency: 'education',
                    role: 'designated-safeguarding-lead',
                    purpose: 'safeguarding',
                  },
                },
              }
            : {}),
        },
        [
          {
            event: 'urn:jigsaw:org:police:met#oe-1',
            level: 'full',
            reason: 'audit',
            lawfulBasis: 'legal-obligation',
            regime: 'dpa-2018-part-3',
          },
        ],
      );
      expect(registry.validateEnvelope(toCloudEvent(event))).toEqual([]);
      expect(event).toMatchObject({
        source: AUDIT_SOURCE,
        childid: childId,
        data: { view, purpose: 'audit' },
      });
      expect(event.sharing.audience).toEqual([
        {
          agency: 'council',
          roles: ['auditor', 'data-protection-officer', 'review-panel', 'partnership-dpo'],
        },
      ]);
    },
  );

  it("shares a partnership-wide read with the data protection officers it is reported to, and a refusal's reason", () => {
    const event = auditAccessed(
      {
        id: `audit-${randomUUID()}`,
        now: new Date('2026-11-23T10:00:00Z'),
        caller: { ...caller, role: 'partnership-dpo' },
        view: 'subject-access-export',
        childId,
        lookup: 'nhs-number',
        reportedTo: [
          'urn:jigsaw:org:police:met',
          'urn:jigsaw:org:education:school-100001',
          caller.organisation,
        ],
      },
      [],
    );
    expect(registry.validateEnvelope(toCloudEvent(event))).toEqual([]);
    expect(event.data.reportedTo).toEqual([
      'urn:jigsaw:org:police:met',
      'urn:jigsaw:org:education:school-100001',
      caller.organisation,
    ]);
    expect(event.sharing.audience.slice(1)).toEqual([
      { agency: 'police', roles: ['data-protection-officer'] },
      { agency: 'education', roles: ['data-protection-officer'] },
    ]);
    const refused = auditAccessed(
      {
        id: 'audit-refused',
        now: new Date(),
        caller,
        view: 'access-log',
        childId,
        lookup: 'nhs-number',
        refused: 'no-relationship',
      },
      [],
    );
    expect(registry.validateEnvelope(toCloudEvent(refused))).toEqual([]);
    expect(refused.data).toMatchObject({ refused: 'no-relationship', shown: [] });
  });
});
