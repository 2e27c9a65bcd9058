import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SENSITIVITIES, type RecordedEvent } from '@jigsaw/envelope';
import type { ChildAccess } from './legitimate-relationship.js';
import { redactForViewer, redactionFor, SHIELDED_FIELDS } from './redaction.js';
import { CLEARANCE, decideVisibility } from './sharing-policy.js';
import {
  eventKey,
  foldSharingLedger,
  isControlEvent,
  sharingStateIn,
  type SharingState,
} from './sharing-state.js';
import { NOW, sharingArbitraries } from './testing/arbitraries.js';
import type { Viewer } from './viewer.js';

const arb = sharingArbitraries(fc);
const ACCESSES: ChildAccess[] = ['legitimate-relationship', 'self-claimed', 'review', 'none'];
const AUDITING = ['auditor', 'data-protection-officer', 'partnership-dpo', 'review-panel'];

/** Ended at `now`, or unreadable. */
const ended = (at: string | undefined): boolean => {
  if (at === undefined) return false;
  const end = Date.parse(at);
  return !(end > NOW.getTime());
};

/**
 * The rules as the README states them, written out in order: what this viewer should get of the
 * record. The policy must agree both ways: nothing more, and nothing less.
 */
function allowed(
  viewer: Viewer,
  event: RecordedEvent,
  state: SharingState,
  access: ChildAccess,
): 'full' | 'skeleton' | 'hidden' {
  if (access === 'none') return 'hidden';
  if (viewer.role === 'review-panel' ? access !== 'review' : access === 'review') return 'hidden';
  if (event.source === viewer.organisation) return 'full';
  if (viewer.purpose === 'audit' && AUDITING.includes(viewer.role)) return 'skeleton';
  if (isControlEvent(event.type)) return 'hidden';
  const { purposes, audience, sensitivity, until } = event.sharing;
  if (!purposes.includes(viewer.purpose)) return 'hidden';
  const entries = audience.filter((entry) => entry.agency === viewer.agency);
  const named = entries.some((entry) => entry.roles?.includes(viewer.role));
  if (!named && !entries.some((entry) => entry.roles === undefined)) return 'hidden';
  const highest = CLEARANCE[viewer.role][named ? 'named' : 'default'];
  if (['none', ...SENSITIVITIES].indexOf(highest) < ['none', ...SENSITIVITIES].indexOf(sensitivity))
    return 'hidden';
  if (state.retracted || state.withdrawn || state.restricted) return 'hidden';
  if (ended(until) || ended(state.sharingEndsAt)) return 'hidden';
  return 'full';
}

/** The redaction's own output, less what markers in force shield and the child's identifiers. */
function expectedData(rule: unknown, event: RecordedEvent, state: SharingState): unknown {
  const markers = [...state.markers, ...(event.sharing.markers ?? [])];
  const shields = markers.flatMap((marker) =>
    SHIELDED_FIELDS[marker] ? [SHIELDED_FIELDS[marker]] : Object.values(SHIELDED_FIELDS),
  );
  const ids = [event.subject.nhsNumber, event.subject.upn].filter((id): id is string => !!id);
  const locals = (event.subject.localIds ?? []).map((id) => id.value);
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string')
      return locals.includes(value) || ids.some((id) => value.includes(id)) ? undefined : value;
    if (Array.isArray(value)) return value.map(clean).filter((item) => item !== undefined);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !/^(nhsNumber|upn|localIds)$/i.test(key) && !shields.some((s) => s.test(key)))
        .map(([key, item]) => [key, clean(item)])
        .filter(([, item]) => item !== undefined),
    );
  };
  return clean(rule);
}

/**
 * A viewer, and a child's history in which about half the records are shared with the viewer's
 * purpose, agency and role, so that most cases reach the clearance, state and redaction rules.
 */
const viewerAndHistory = fc.tuple(arb.viewer, arb.history).chain(([viewer, history]) =>
  fc
    .tuple(
      ...history.map((event) =>
        isControlEvent(event.type)
          ? fc.constant(event)
          : fc.oneof(
              fc.constant(event),
              arb.sharingFor(viewer).map((sharing): RecordedEvent => ({ ...event, sharing })),
            ),
      ),
    )
    .map((events) => [viewer, events] as const),
);

/** A panel reads through its review; everyone else through a legitimate relationship. */
const accessOf = (viewer: Viewer): ChildAccess =>
  viewer.role === 'review-panel' ? 'review' : 'legitimate-relationship';

/** Each record of the history with where its sharing stands, as the ledger folds it. */
function* withStates(
  history: readonly RecordedEvent[],
): Generator<[RecordedEvent, SharingState | undefined]> {
  const ledger = foldSharingLedger(history);
  for (const event of history) yield [event, sharingStateIn(ledger, eventKey(event.source, event.id))];
}

describe('visibility over random histories, both ways', () => {
  it('shows each record exactly when the rules allow it, at the level they allow', () => {
    let shown = 0;
    fc.assert(
      fc.property(viewerAndHistory, fc.constantFrom(...ACCESSES), ([viewer, history], access) => {
        for (const [event, state] of withStates(history)) {
          if (!state) continue;
          const decision = decideVisibility(viewer, event, state, NOW, access);
          const expected = allowed(viewer, event, state, access);
          expect(decision.visible ? decision.level : 'hidden').toBe(expected);
          if (expected === 'full' && viewer.organisation !== event.source) shown += 1;
        }
      }),
      { numRuns: 200 },
    );
    // The generator must reach the interesting cases, or the property proves little.
    expect(shown).toBeGreaterThan(50);
  });

  it('gives a non-owner every field its redaction allows, and only those', () => {
    fc.assert(
      fc.property(viewerAndHistory, ([viewer, history]) => {
        const access = accessOf(viewer);
        for (const [event, state] of withStates(history)) {
          if (!state || event.source === viewer.organisation) continue;
          if (allowed(viewer, event, state, access) !== 'full') continue;
          const view = redactForViewer(viewer, event, state, NOW, access);
          expect(view).toMatchObject({ level: 'full', reason: 'shared' });
          expect(view?.subject).toBeUndefined();
          expect(view?.standing).toBeUndefined();
          const rule = redactionFor(event.type);
          const data = { ...(event.data as Record<string, unknown>), ...state.corrections };
          if (!rule) expect(view?.data).toBeUndefined();
          else expect(view?.data).toEqual(expectedData(rule(data, viewer), event, state));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives the owner all its data, corrected, and auditors the skeleton, each with where sharing stands', () => {
    fc.assert(
      fc.property(viewerAndHistory, ([viewer, history]) => {
        const access = accessOf(viewer);
        for (const [event, state] of withStates(history)) {
          const level = state && allowed(viewer, event, state, access);
          if (!state || (level !== 'skeleton' && event.source !== viewer.organisation)) continue;
          const view = redactForViewer(viewer, event, state, NOW, access);
          expect(view?.standing).toEqual({
            withdrawn: !!state.withdrawn,
            restricted: !!state.restricted,
            retracted: !!state.retracted,
            expired: ended(event.sharing.until) || ended(state.sharingEndsAt),
          });
          expect(view?.sharing).toEqual(event.sharing);
          expect(view?.corrected).toBe(state.corrected.length > 0);
          expect(view?.markers).toEqual(
            [...new Set([...(event.sharing.markers ?? []), ...state.markers])].sort(),
          );
          if (level === 'skeleton') {
            expect(view?.data).toBeUndefined();
            expect(view?.subject).toBeUndefined();
          } else {
            expect(view?.subject).toEqual(event.subject);
            expect(view?.data).toEqual({ ...(event.data as object), ...state.corrections });
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
