import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  CHILD_IN_NEED_PLAN_ENDED,
  CHILD_IN_NEED_PLAN_STARTED,
  CHILD_PROTECTION_PLAN_ENDED,
  CHILD_PROTECTION_PLAN_STARTED,
  REFERRAL_DECIDED,
  REFERRAL_RECEIVED,
} from '@jigsaw/contracts';
import type { JigsawEnvelope, RecordedEvent } from '@jigsaw/envelope';
import { JigsawError } from '@jigsaw/errors';
import { agencyDecider, controlEventTypes, foldAgencyState, type EventTypeDefinition } from '@jigsaw/ingest';
import { eventKey, foldSharingLedger, sharingStateIn } from '@jigsaw/sharing';
import { deciderSpec } from '@jigsaw/testing';
import { councilCatalogue } from './council.catalogue.js';
import { openEpisodes } from './episode.rules.js';
import { aCouncilControl, aCouncilEvent, CHILD_ID, recorded } from './testing/council-events.factory.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const spec = deciderSpec(agencyDecider);
const definitions = new Map<string, EventTypeDefinition>(
  [...councilCatalogue.types, ...controlEventTypes('council')].map((t) => [t.type, t]),
);

const command = (envelope: JigsawEnvelope) => ({
  envelope,
  definition: definitions.get(envelope.type)!,
  childId: CHILD_ID,
  now: NOW,
});
const given = (...history: JigsawEnvelope[]) => spec.given(history.map(recorded));

const contact = { team: 'East', phone: '0113 222 4403', outOfHoursPhone: '0113 240 9536' };
const start = (startDate: string) =>
  aCouncilEvent(CHILD_PROTECTION_PLAN_STARTED, { startDate, category: 'NEG', contact });
const end = (startDate: string, endDate = '2026-06-30') =>
  aCouncilEvent(CHILD_PROTECTION_PLAN_ENDED, { startDate, endDate, reason: 'No longer at risk' });

const NOT_OPEN = {
  problems: [
    {
      field: 'data.startDate',
      reason: `must be the start date of an open child protection plan (${CHILD_PROTECTION_PLAN_STARTED}) in this child's history`,
    },
  ],
};
const ALREADY_OPEN = {
  problems: [
    {
      field: 'data.startDate',
      reason: 'a child protection plan is already open for this child; end it before starting another',
    },
  ],
};

describe('council episodes decide on the records as they stand', () => {
  it('given a retracted plan start, when a new plan starts, then it is recorded', () => {
    const first = start('2026-01-05');
    const second = start('2026-02-01');
    given(first, aCouncilControl('record-retracted', first))
      .when(command(second))
      .then(([event]) =>
        expect(event).toMatchObject({ id: second.id, childid: CHILD_ID, data: second.data }),
      );
  });

  it('given a retracted plan start, when that plan ends, then the end is refused', () => {
    const first = start('2026-01-05');
    given(first, aCouncilControl('record-retracted', first))
      .when(command(end('2026-01-05')))
      .thenRefused(NOT_OPEN);
  });

  it('given a plan start whose date was corrected, when the end names the corrected date, then it is recorded', () => {
    const first = start('2026-01-05');
    const corrected = [first, aCouncilControl('record-corrected', first, { startDate: '2026-01-06' })];
    given(...corrected)
      .when(command(end('2026-01-06')))
      .then((events) => expect(events).toHaveLength(1));
    given(...corrected)
      .when(command(end('2026-01-05')))
      .thenRefused(NOT_OPEN);
  });

  it('given a retracted end, when another plan starts, then it is refused: the plan is open again', () => {
    const first = start('2026-01-05');
    const ended = end('2026-01-05');
    given(first, ended, aCouncilControl('record-retracted', ended))
      .when(command(start('2026-07-01')))
      .thenRefused(ALREADY_OPEN);
    given(first, ended, aCouncilControl('record-retracted', ended))
      .when(command(end('2026-01-05', '2026-08-01')))
      .then((events) => expect(events).toHaveLength(1));
  });

  it('given a plan whose consent was withdrawn or which was restricted, then it still counts for the council', () => {
    for (const kind of ['consent-withdrawn', 'record-restricted'] as const) {
      const first = start('2026-01-05');
      given(first, aCouncilControl(kind, first))
        .when(command(start('2026-02-01')))
        .thenRefused(ALREADY_OPEN);
      given(first, aCouncilControl(kind, first))
        .when(command(end('2026-01-05')))
        .then((events) => expect(events).toHaveLength(1));
    }
  });

  it('given a control event, then it is no record: its data names no plan', () => {
    const referral = aCouncilEvent(REFERRAL_RECEIVED, {
      receivedAt: '2026-01-05T09:00:00Z',
      referralSource: '6',
      primaryNeedCode: 'N1',
      summary: 'Referral from the police.',
    });
    // A correction's own data carries the corrected fields; it is not a plan that started on that date.
    given(referral, aCouncilControl('record-corrected', referral, { startDate: '2026-01-05' }))
      .when(command(end('2026-01-05')))
      .thenRefused(NOT_OPEN);
  });
});

describe('council referrals decide on the records as they stand', () => {
  const received = (receivedAt: string) =>
    aCouncilEvent(REFERRAL_RECEIVED, {
      receivedAt,
      referralSource: '6',
      primaryNeedCode: 'N1',
      summary: 'Referral from the police.',
    });
  const decided = (receivedAt: string) =>
    aCouncilEvent(REFERRAL_DECIDED, {
      receivedAt,
      decidedAt: '2026-03-03T09:00:00Z',
      decision: 'section-47',
    });

  it('given a retracted referral, when it is decided, then the decision is refused', () => {
    const referral = received('2026-03-02T09:15:00Z');
    given(referral, aCouncilControl('record-retracted', referral))
      .when(command(decided('2026-03-02T09:15:00Z')))
      .thenRefused({
        problems: [
          {
            field: 'data.receivedAt',
            reason: `must be the receivedAt of a ${REFERRAL_RECEIVED} in this child's history`,
          },
        ],
      });
  });

  it('given a referral whose time was corrected, when the decision names the corrected time, then it is recorded', () => {
    const referral = received('2026-03-02T09:15:00Z');
    given(referral, aCouncilControl('record-corrected', referral, { receivedAt: '2026-03-02T08:15:00Z' }))
      .when(command(decided('2026-03-02T08:15:00Z')))
      .then((events) => expect(events).toHaveLength(1));
  });

  it('given a retracted decision, when the referral is decided again, then it is recorded', () => {
    const referral = received('2026-03-02T09:15:00Z');
    const first = decided('2026-03-02T09:15:00Z');
    given(referral, first, aCouncilControl('record-retracted', first))
      .when(command(decided('2026-03-02T09:15:00Z')))
      .then((events) => expect(events).toHaveLength(1));
  });
});

/**
 * The read side's answer, written as the child view pairs episodes (child-view.ts `episodesOf`): the
 * records the sharing ledger still stands by, with their corrections, paired by start date in order.
 */
function currentOnTheReadSide(
  stream: readonly RecordedEvent[],
  startType: string,
  endType: string,
): string[] {
  const ledger = foldSharingLedger(stream);
  const open = new Set<string>();
  for (const event of stream) {
    if (event.type !== startType && event.type !== endType) continue;
    const state = sharingStateIn(ledger, eventKey(event.source, event.id));
    if (!state || state.retracted) continue;
    const data = { ...(event.data as Record<string, unknown>), ...state.corrections };
    const startDate = data['startDate'] as string;
    if (event.type === startType) open.add(startDate);
    else open.delete(startDate);
  }
  return [...open].sort();
}

type Step =
  | { kind: 'start'; day: number }
  | { kind: 'end'; day: number }
  | { kind: 'retract'; pick: number }
  | { kind: 'correct'; pick: number; day: number };

const day = (n: number) => `2026-01-${String(n).padStart(2, '0')}`;
const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('start' as const), day: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('end' as const), day: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('retract' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('correct' as const), pick: fc.nat(), day: fc.integer({ min: 1, max: 4 }) }),
);

/** A stream as ingest builds it: each step decided on the state so far, kept only when accepted. */
function streamOf(steps: readonly Step[], startType: string, endType: string): RecordedEvent[] {
  const stream: RecordedEvent[] = [];
  let state = agencyDecider.initialState;
  for (const step of steps) {
    const records = stream.filter((e) => e.type === startType || e.type === endType);
    let envelope: JigsawEnvelope | undefined;
    if (step.kind === 'start' || step.kind === 'end') {
      envelope =
        step.kind === 'start'
          ? aCouncilEvent(startType, { startDate: day(step.day), category: 'NEG', contact })
          : aCouncilEvent(endType, { startDate: day(step.day), endDate: '2026-02-01', reason: 'x' });
    } else if (records.length > 0) {
      const target = records[step.pick % records.length]!;
      envelope =
        step.kind === 'retract'
          ? aCouncilControl('record-retracted', target)
          : aCouncilControl('record-corrected', target, { startDate: day(step.day) });
    }
    if (!envelope) continue;
    try {
      const decided = agencyDecider.decide(state, command(envelope)) as RecordedEvent[];
      stream.push(...decided);
      state = decided.reduce(agencyDecider.evolve, state);
    } catch (error) {
      if (!(error instanceof JigsawError)) throw error;
    }
  }
  return stream;
}

describe('the write side agrees with the read side', () => {
  for (const [startType, endType] of [
    [CHILD_PROTECTION_PLAN_STARTED, CHILD_PROTECTION_PLAN_ENDED],
    [CHILD_IN_NEED_PLAN_STARTED, CHILD_IN_NEED_PLAN_ENDED],
  ] as const) {
    it(`over random starts, ends, retractions and corrections of ${startType}, the open plans are the current ones`, () => {
      fc.assert(
        fc.property(fc.array(stepArbitrary, { maxLength: 25 }), (steps) => {
          const stream = streamOf(steps, startType, endType);
          const current = currentOnTheReadSide(stream, startType, endType);
          const state = foldAgencyState(stream);
          expect([...openEpisodes(state.records, startType, endType)].sort()).toEqual(current);
          // Soundness and completeness of the end rule: an end is accepted exactly for a current plan.
          for (let d = 1; d <= 4; d++) {
            const ending = aCouncilEvent(endType, { startDate: day(d), endDate: '2026-02-01', reason: 'x' });
            const accepted = (() => {
              try {
                agencyDecider.decide(state, command(ending));
                return true;
              } catch (error) {
                if (error instanceof JigsawError) return false;
                throw error;
              }
            })();
            expect(accepted).toBe(current.includes(day(d)));
          }
        }),
        { numRuns: 300 },
      );
    });
  }

  it('the decider folds events one at a time as the ingest paths fold them together', () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { maxLength: 20 }), (steps) => {
        const stream = streamOf(steps, CHILD_PROTECTION_PLAN_STARTED, CHILD_PROTECTION_PLAN_ENDED);
        expect(stream.reduce(agencyDecider.evolve, agencyDecider.initialState).records).toEqual(
          foldAgencyState(stream).records,
        );
      }),
      { numRuns: 100 },
    );
  });
});
