import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@jigsaw/envelope';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import type { Viewer } from '@jigsaw/sharing';
import { deciderSpec } from '@jigsaw/testing';
import { REVIEW_CLOSED, REVIEW_OPENED } from '@jigsaw/view-model';
import { reviewsDecider, type ReviewCommand } from './reviews.decider.js';

const lead: Viewer = {
  agency: 'council',
  organisation: 'urn:jigsaw:org:council:leeds',
  role: 'partnership-lead',
  purpose: 'audit',
  userId: 'lead-1',
};
const CHILD = randomUUID();
const now = new Date('2026-11-23T09:00:00Z');
const open = (reference: string): ReviewCommand => ({
  type: 'open',
  id: `review-${randomUUID()}`,
  now,
  viewer: lead,
  childId: CHILD,
  reference,
  panelOrganisation: 'urn:jigsaw:org:council:leeds-partnership',
  period: { from: '2026-01-01', to: '2026-06-30' },
  until: '2027-01-01T00:00:00.000Z',
});
const close = (reference: string): ReviewCommand => ({
  type: 'close',
  id: `review-closed-${randomUUID()}`,
  now,
  viewer: lead,
  childId: CHILD,
  reference,
});

const spec = deciderSpec(reviewsDecider);
const historyAfter = (...commands: ReviewCommand[]): RecordedEvent[] =>
  commands.reduce<RecordedEvent[]>(
    (history, command) => [
      ...history,
      ...reviewsDecider.decide(history.reduce(reviewsDecider.evolve, reviewsDecider.initialState), command),
    ],
    [],
  );
const refusalOf = (commands: ReviewCommand[]): unknown => {
  try {
    historyAfter(...commands);
  } catch (error) {
    return error instanceof JigsawError ? error.code : error;
  }
  return 'not refused';
};

describe('reviewsDecider', () => {
  it('opens a reference once for the child, and refuses it again, open or closed', () => {
    spec
      .given([])
      .when(open('CSPR-1'))
      .then((events) => expect(events.map((e) => e.type)).toEqual([REVIEW_OPENED]));
    spec
      .given(historyAfter(open('CSPR-1')))
      .when(open('CSPR-2'))
      .then((events) => expect(events.map((e) => e.type)).toEqual([REVIEW_OPENED]));
    expect(refusalOf([open('CSPR-1'), open('CSPR-1')])).toBe(ErrorCode.DuplicateEventConflict);
    expect(refusalOf([open('CSPR-1'), close('CSPR-1'), open('CSPR-1')])).toBe(
      ErrorCode.DuplicateEventConflict,
    );
  });

  it('closes an open review once, at the time given, and refuses a review never opened', () => {
    spec
      .given(historyAfter(open('CSPR-1')))
      .when(close('CSPR-1'))
      .then((events) =>
        expect(events.map((e) => [e.type, (e.data as { closedAt: string }).closedAt])).toEqual([
          [REVIEW_CLOSED, now.toISOString()],
        ]),
      );
    expect(refusalOf([open('CSPR-1'), close('CSPR-1'), close('CSPR-1')])).toBe(
      ErrorCode.DuplicateEventConflict,
    );
    expect(refusalOf([open('CSPR-1'), close('CSPR-2')])).toBe(ErrorCode.NotFound);
  });
});
