import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@jigsaw/envelope';
import { birthLinkOf } from './identity.consumers.js';

const CHILD = '6f1c1a52-8d3e-4a57-9a52-1b0c3f0d2a11';
const birth = (overrides: Partial<RecordedEvent> = {}): RecordedEvent =>
  ({
    id: 'birth-1',
    source: 'urn:jigsaw:org:health:rqm',
    type: 'health.birth-linked',
    childid: CHILD,
    data: { birthDate: '2026-03-01', unbornRef: { system: 'urn:trust:pregnancy', value: 'P-1' } },
    ...overrides,
  }) as RecordedEvent;

describe('the birth a health record links', () => {
  it('names the pregnancy and the baby', () => {
    expect(birthLinkOf(birth())).toEqual({
      unbornRef: { system: 'urn:trust:pregnancy', value: 'P-1' },
      childId: CHILD,
    });
  });

  it('is nothing for another type, even with the same data', () => {
    expect(birthLinkOf(birth({ type: 'health.pre-birth-concern-raised' }))).toBeUndefined();
    expect(birthLinkOf(birth({ type: 'education.birth-linked' }))).toBeUndefined();
  });

  it('is nothing when the message does not hold a whole reference or a child', () => {
    for (const data of [
      null,
      {},
      { unbornRef: 'P-1' },
      { unbornRef: { system: 'urn:trust:pregnancy' } },
      { unbornRef: { system: 7, value: 'P-1' } },
    ]) {
      expect(birthLinkOf(birth({ data }))).toBeUndefined();
    }
    expect(birthLinkOf(birth({ childid: undefined as unknown as string }))).toBeUndefined();
  });
});
