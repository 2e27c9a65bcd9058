import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@jigsaw/envelope';
import type { StoredEvent } from '@jigsaw/event-store';
import { auditAccessed } from '../access/audit-accessed.event.js';
import { accessLogOf } from './access-log.js';

const childId = '6f1c1a52-8d3e-4a57-9a52-1b0c3f0d2a11';
const caller = {
  sub: 'dpo-1',
  agency: 'council',
  organisation: 'urn:jigsaw:org:council:leeds',
  role: 'data-protection-officer',
} as const;
const recordedAt = new Date('2026-11-23T10:00:01Z');
const stored = (event: RecordedEvent): StoredEvent =>
  ({ streamId: `access-${childId}`, streamPosition: 1, event, recordedAt }) as StoredEvent;

describe('the access log of a child', () => {
  it('has one entry per access record, with what it says, and nothing for other events', () => {
    const asKnownAt = {
      at: '2026-11-21T08:00:00.000Z',
      viewer: {
        organisation: 'urn:jigsaw:org:education:school-100001',
        agency: 'education',
        role: 'designated-safeguarding-lead',
        purpose: 'safeguarding',
      },
    } as const;
    const read = auditAccessed(
      {
        id: 'audit-1',
        now: new Date('2026-11-23T10:00:00Z'),
        caller,
        view: 'as-known-at',
        childId,
        lookup: 'nhs-number',
        asKnownAt,
      },
      [],
    );
    const refused = auditAccessed(
      {
        id: 'audit-2',
        now: new Date('2026-11-23T11:00:00Z'),
        caller,
        view: 'access-log',
        childId,
        lookup: 'hub-child-id',
        refused: 'no-relationship',
      },
      [],
    );
    const other = { ...read, id: 'other-1', type: 'hub.access-claimed' } as RecordedEvent;

    expect(accessLogOf([stored(read), stored(other), stored(refused)])).toEqual([
      {
        event: 'urn:jigsaw:org:hub:audit#audit-1',
        at: '2026-11-23T10:00:00.000Z',
        recordedAt: recordedAt.toISOString(),
        service: 'audit',
        view: 'as-known-at',
        purpose: 'audit',
        lookup: 'nhs-number',
        viewer: {
          sub: 'dpo-1',
          organisation: 'urn:jigsaw:org:council:leeds',
          agency: 'council',
          role: 'data-protection-officer',
        },
        shown: [],
        asKnownAt,
      },
      expect.objectContaining({ event: 'urn:jigsaw:org:hub:audit#audit-2', refused: 'no-relationship' }),
    ]);
  });
});
