import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { RecordedEvent } from '@jigsaw/envelope';
import { isControlEvent, relatedAccess, sharingArbitraries, type Viewer } from '@jigsaw/sharing';
import { chronologyFor, ledgerOf, visibleRecords, type ChronologyRow } from '@jigsaw/view-model';
import { rowOf } from '../openapi/example-history.js';
import { childViewFor } from './child-view.js';
import { VIEW_EVENT_TYPES } from './view-event-types.js';

const sa = sharingArbitraries(fc);
const CHILD = sa.childIds[0]!;
const DAY = 24 * 3600_000;

/** Dates from a small pool around `now`, so starts and ends meet and windows overlap. */
const when = fc
  .integer({ min: -420, max: 5 })
  .map((days) => new Date(sa.now.getTime() + days * DAY).toISOString());
const dayOf = when.map((iso) => iso.slice(0, 10));
const startDate = fc.constantFrom('2025-11-02', '2026-03-01', '2026-06-02', '2026-09-15');

/** Every field any view type reads, so whatever the type, its redaction has something to cut. */
const viewData = fc.record({
  startDate,
  endDate: dayOf,
  category: fc.constantFrom('NEG', 'PHY', 'EMO'),
  latestCategory: fc.constantFrom('NEG', 'MUL'),
  legalStatus: fc.constantFrom('C2', 'V2'),
  contact: fc.record({
    name: fc.constantFrom('A', 'B'),
    team: fc.constant('Team'),
    phone: fc.constant('0113 222 4403'),
  }),
  keyAdult: fc.record({
    name: fc.constant('DSL'),
    role: fc.constant('designated-safeguarding-lead'),
    phone: fc.constant('0113 496 0000'),
  }),
  dsl: fc.record({ name: fc.constant('Ms Example'), phone: fc.constant('0113 496 0000') }),
  name: fc.constantFrom('Sam', 'Jo'),
  phone: fc.constant('0113 222 4410'),
  assignedDate: dayOf,
  school: fc.record({ urn: fc.constantFrom('123456', '654321'), name: fc.constant('School') }),
  onRollFrom: dayOf,
  offRollOn: dayOf,
  notifiedOn: dayOf,
  effectiveDate: dayOf,
  occurredAt: when,
  missingSince: when,
  foundAt: when,
  arrivedAt: when,
  raisedAt: when,
  receivedAt: when,
  identifiedAt: when,
  riskLevel: fc.constantFrom('low', 'high'),
  episodeReference: fc.constantFrom('M-1', 'M-2'),
  setting: fc.constantFrom('emergency-department', 'maternity'),
  summary: fc.constantFrom('A summary.', 'Another.'),
  narrative: fc.constant('Police-only narrative.'),
});

const viewEvent: fc.Arbitrary<RecordedEvent> = fc
  .tuple(sa.recordedEvent({ type: fc.constantFrom(...Object.keys(VIEW_EVENT_TYPES)) }), viewData)
  .map(([event, data]) => ({ ...event, childid: CHILD, data }));

/** Merges two sequences at random, keeping each one's own order. */
const interleave = <T>(a: readonly T[], b: readonly T[]): fc.Arbitrary<T[]> =>
  fc.array(fc.boolean(), { minLength: a.length + b.length, maxLength: a.length + b.length }).map((picks) => {
    const merged: T[] = [];
    let i = 0;
    let j = 0;
    for (const pickA of picks) merged.push((pickA && i < a.length) || j >= b.length ? a[i++]! : b[j++]!);
    return merged;
  });

/** A child's history with unique record ids (as the store guarantees), controls aimed at them, and markers. */
const history: fc.Arbitrary<RecordedEvent[]> = fc
  .array(viewEvent, { minLength: 1, maxLength: 14 })
  .map((records) => records.map((r, i) => ({ ...r, id: `rec-${i}` })))
  .chain((records) =>
    sa.controlsFor(records).chain((controls) =>
      interleave(
        records,
        controls.map((c) => ({ ...c, childid: CHILD })),
      ),
    ),
  );

/** Viewers whose purpose and agency the history often names, so most cases show something. */
const viewer: fc.Arbitrary<Viewer> = sa.viewer;

const rowsOf = (events: readonly RecordedEvent[]): ChronologyRow[] => events.map(rowOf);

describe('the child view, for any history and any viewer', () => {
  it('is a function of the viewer’s own cut of each record: hidden records and hidden fields change nothing', () => {
    fc.assert(
      fc.property(history, viewer, (events, v) => {
        const rows = rowsOf(events);
        const visible = new Map(
          visibleRecords(v, rows, ledgerOf(rows), sa.now, relatedAccess(v)).map((r) => [
            `${r.cut.source}#${r.cut.id}`,
            r.cut,
          ]),
        );
        // Keep control events as they are; replace each record by what the viewer's cut kept of it.
        const reduced = rows.flatMap((row): ChronologyRow[] => {
          if (isControlEvent(row.event.type)) return [row];
          const cut = visible.get(`${row.event.source}#${row.event.id}`);
          if (!cut || cut.level !== 'full') return [];
          return [{ ...row, event: { ...row.event, data: cut.data ?? {} } }];
        });
        const whole = childViewFor(v, CHILD, rows, sa.now, relatedAccess(v));
        const cut = childViewFor(v, CHILD, reduced, sa.now, relatedAccess(v));
        // The one exception, by design: the CP-IS flag says a hidden plan exists (`not-visible`), or
        // gives unscheduled care its minimal flag; without the hidden records it is `not-flagged`.
        const flag = whole.view.cpis;
        if (flag && (flag.state === 'not-visible' || flag.rule !== undefined)) {
          expect(cut.view.cpis).toEqual({ state: 'not-flagged' });
          expect({ ...cut, view: { ...cut.view, cpis: flag } }).toEqual(whole);
        } else {
          expect(cut).toEqual(whole);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('rests only on records the viewer’s chronology shows, and counts no more than it shows', () => {
    fc.assert(
      fc.property(history, viewer, (events, v) => {
        const rows = rowsOf(events);
        const { view, shown } = childViewFor(v, CHILD, rows, sa.now, relatedAccess(v));
        const chronology = chronologyFor(v, rows, sa.now, relatedAccess(v));
        const entries = chronology.entries.filter((e) => e.level === 'full');
        expect(shown).toEqual(
          // The owner's retracted and withdrawn records show in its chronology, marked, and shape nothing.
          chronology.shown.filter((s, i) => {
            const entry = chronology.entries[i]!;
            return (
              s.level === 'full' &&
              entry.type in VIEW_EVENT_TYPES &&
              !entry.standing?.retracted &&
              !entry.standing?.withdrawn
            );
          }),
        );
        const ids = new Set(entries.map((e) => `${e.source}#${e.id}`));
        for (const evidence of view.signals.flatMap((s) => s.evidence)) {
          expect(ids).toContain(`${evidence.source}#${evidence.id}`);
        }
        const ofType = (...types: string[]): number => entries.filter((e) => types.includes(e.type)).length;
        expect(view.counts.emergencyAttendances).toBeLessThanOrEqual(
          ofType('health.unscheduled-care-attended'),
        );
        expect(view.counts.domesticAbuseIncidents).toBeLessThanOrEqual(
          ofType('police.domestic-abuse-incident-notified'),
        );
        expect(view.counts.missingEpisodes).toBeLessThanOrEqual(ofType('police.missing-episode-started'));
        expect(view.counts.exclusions).toBeLessThanOrEqual(
          ofType('education.suspension-recorded', 'education.permanent-exclusion-recorded'),
        );
        for (const status of Object.values(view.statuses)) {
          if (status.organisation) expect(entries.some((e) => e.source === status.organisation)).toBe(true);
        }
        expect(view.cpis !== undefined).toBe(v.agency === 'health');
      }),
      { numRuns: 200 },
    );
  });

  it('shows the same whatever order the rows arrive in (the log lists them in the order shown)', () => {
    fc.assert(
      fc.property(
        history.chain((events) =>
          fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
        ),
        viewer,
        ([events, shuffled], v) => {
          const a = childViewFor(v, CHILD, rowsOf(shuffled), sa.now, relatedAccess(v));
          const b = childViewFor(v, CHILD, rowsOf(events), sa.now, relatedAccess(v));
          expect(a.view).toEqual(b.view);
          const keys = (shown: typeof a.shown): string[] => shown.map((s) => s.event).sort();
          expect(keys(a.shown)).toEqual(keys(b.shown));
        },
      ),
      { numRuns: 100 },
    );
  });
});
