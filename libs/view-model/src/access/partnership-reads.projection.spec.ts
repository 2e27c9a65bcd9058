import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@jigsaw/envelope';
import { aRecordedEvent } from '@jigsaw/testing';
import { isPartnershipRead } from './partnership-reads.projection.js';
import { recordAccessed } from './record-accessed.event.js';

const read = recordAccessed(
  {
    id: `access-${randomUUID()}`,
    now: new Date('2026-11-21T08:05:12Z'),
    viewer: {
      agency: 'council',
      organisation: 'urn:jigsaw:org:council:leeds',
      role: 'partnership-dpo',
      purpose: 'audit',
      userId: 'pdpo-1',
    },
    view: 'chronology',
    childId: randomUUID(),
  },
  [],
);
const withData = (data: Record<string, unknown>): RecordedEvent => ({
  ...read,
  data: { ...read.data, ...data },
});

describe('isPartnershipRead: what reaches the data protection officers as a partnership-wide read', () => {
  it('is a read reported to at least one organisation', () => {
    expect(isPartnershipRead(withData({ reportedTo: ['urn:jigsaw:org:police:met'] }))).toBe(true);
  });

  it('is not a read reported to nobody, or not reported at all', () => {
    expect(isPartnershipRead(withData({ reportedTo: [] }))).toBe(false);
    expect(isPartnershipRead(read)).toBe(false);
  });

  it('is not a refused read, which showed nothing', () => {
    const refused = withData({ reportedTo: ['urn:jigsaw:org:police:met'], refused: 'no-relationship' });
    expect(isPartnershipRead(refused)).toBe(false);
  });

  it('is not another type of event, even one carrying reportedTo', () => {
    const other = { ...aRecordedEvent(), data: { reportedTo: ['urn:jigsaw:org:police:met'] } };
    expect(isPartnershipRead(other)).toBe(false);
  });
});
