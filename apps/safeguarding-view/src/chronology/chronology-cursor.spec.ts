import { describe, expect, it } from '@jest/globals';
import { JigsawError } from '@jigsaw/errors';
import type { Viewer } from '@jigsaw/sharing';
import { ChronologyCursors, type CursorBinding } from './chronology-cursor.js';

const auditor: Viewer = {
  agency: 'council',
  organisation: 'urn:jigsaw:org:council:leeds',
  role: 'auditor',
  purpose: 'audit',
  userId: 'auditor-1',
};
const binding: CursorBinding = {
  childId: '0b6f4f0e-8d53-4a43-9a5c-3c1f0d5a7e21',
  viewer: auditor,
  filters: { agencies: ['police'], from: '2026-01-01T00:00:00Z' },
};
const position = { at: '2026-09-12T17:30:00.123456Z', key: 'urn:jigsaw:org:police:met|oe-1' };
const cursors = new ChronologyCursors('test-secret');

const refusal = (open: () => unknown): unknown => {
  try {
    open();
    return 'accepted';
  } catch (error) {
    return error instanceof JigsawError ? error.problems : error;
  }
};
const REFUSED = [
  {
    field: 'cursor',
    reason: 'is not a cursor this service gave out for this page; start again without one',
  },
];

describe('ChronologyCursors', () => {
  it('gives back the position it sealed, for the same child, viewer and filters', () => {
    expect(cursors.open(cursors.seal(position, binding), binding)).toEqual(position);
  });

  it('holds nothing readable: not the time the entry happened, nor its key', () => {
    const cursor = cursors.seal(position, binding);
    const bytes = Buffer.from(cursor, 'base64url').toString('latin1');
    expect(bytes).not.toContain('2026');
    expect(bytes).not.toContain('oe-1');
    expect(cursor).not.toBe(cursors.seal(position, binding));
  });

  it('refuses a cursor replayed for another child, viewer or filters', () => {
    const cursor = cursors.seal(position, binding);
    for (const elsewhere of [
      { ...binding, childId: 'c7a0d6f2-1f0b-4b8e-9d7e-2a6c5b4d3e1f' },
      { ...binding, viewer: { ...auditor, userId: 'auditor-2' } },
      { ...binding, viewer: { ...auditor, purpose: 'safeguarding' as const } },
      { ...binding, filters: { agencies: ['police', 'health'] as const } },
      { ...binding, filters: { ...binding.filters, from: '2025-01-01T00:00:00Z' } },
    ] as CursorBinding[]) {
      expect(refusal(() => cursors.open(cursor, elsewhere))).toEqual(REFUSED);
    }
  });

  it('refuses a forged or altered cursor, and one sealed with another secret', () => {
    const cursor = cursors.seal(position, binding);
    const bytes = Buffer.from(cursor, 'base64url');
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 1]! ^= 1;
    for (const bad of [
      '',
      'not-a-cursor',
      Buffer.from(JSON.stringify(position)).toString('base64url'),
      flipped.toString('base64url'),
      bytes.subarray(0, 20).toString('base64url'),
      `${cursor}A`,
      new ChronologyCursors('another-secret').seal(position, binding),
    ]) {
      expect(refusal(() => cursors.open(bad, binding))).toEqual(REFUSED);
    }
  });
});
