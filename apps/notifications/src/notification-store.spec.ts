import { describe, expect, it } from '@jest/globals';
import { nameBasedId } from './notification-store.js';

describe('notification ids', () => {
  it('are version 5 UUIDs, the same for the same name and different for another', () => {
    const id = nameBasedId('notification|operation-encompass|urn:jigsaw:org:police:met|oe-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(nameBasedId('notification|operation-encompass|urn:jigsaw:org:police:met|oe-1')).toBe(id);
    expect(nameBasedId('notification|operation-encompass|urn:jigsaw:org:police:met|oe-2')).not.toBe(id);
  });
});
