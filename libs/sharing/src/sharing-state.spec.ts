import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { RecordedEvent } from '@jigsaw/envelope';
import {
  CONTROL_EVENT_TYPES,
  EMPTY_SHARING_LEDGER,
  eventKey,
  evolveSharingState,
  foldSharingLedger,
  isControlEvent,
  sharingStateIn,
  sharingStateOf,
  type SharingState,
} from './sharing-state.js';
import { sharingArbitraries } from './testing/arbitraries.js';
import { aControlEvent, anIncidentNotified, KENT, LEEDS_COUNCIL, MET } from './testing/events.factory.js';

const arb = sharingArbitraries(fc);
const incident = anIncidentNotified({ id: 'oe-1' });
const key = eventKey(MET, 'oe-1');
const retract = (source = MET, id = 'ctl-retract'): RecordedEvent =>
  aControlEvent(
    `${source.split(':')[3]}.record-retracted`,
    { targetEventId: 'oe-1', reason: 'wrong child' },
    { source, id },
  );

function stateAfter(...history: RecordedEvent[]): SharingState | undefined {
  return sharingStateOf(history, key);
}

describe('control event types', () => {
  it('lists five record controls per agency, two police marker controls and one decline per agency', () => {
    expect(CONTROL_EVENT_TYPES).toHaveLength(4 * 5 + 2 + 4);
    expect(isControlEvent('education.record-retracted')).toBe(true);
    expect(isControlEvent('police.protective-marker-set')).toBe(true);
    expect(isControlEvent('health.sharing-declined')).toBe(true);
    expect(isControlEvent('council.protective-marker-set')).toBe(false);
    expect(isControlEvent('police.domestic-abuse-incident-notified')).toBe(false);
  });
});

describe('sharing state', () => {
  it('given a recorded event and nothing else, then its sharing is in force', () => {
    expect(stateAfter(incident)).toEqual({ corrections: {}, corrected: [], markers: [] });
  });

  it('given no such event, then there is no state to assume', () => {
    expect(stateAfter()).toBeUndefined();
    expect(sharingStateOf([incident], eventKey(KENT, 'oe-1'))).toBeUndefined();
  });

  it('given an incident, when its force retracts it, then it is retracted with the reason', () => {
    expect(stateAfter(incident, retract())?.retracted).toEqual({
      eventId: 'ctl-retract',
      time: '2026-11-21T09:00:00Z',
      reason: 'wrong child',
    });
  });

  it('given an incident, when another force or the council retracts it, then nothing changes', () => {
    expect(stateAfter(incident, retract(KENT), retract(LEEDS_COUNCIL))).toEqual(stateAfter(incident));
  });

  it('given a control typed for another agency than its source, then it has no effect', () => {
    const forged = aControlEvent(
      'council.record-retracted',
      { targetEventId: 'oe-1', reason: 'x' },
      { source: MET },
    );
    expect(stateAfter(incident, forged)?.retracted).toBeUndefined();
  });

  it('given a retraction before the event it names, then it has no effect', () => {
    expect(stateAfter(retract(), incident)?.retracted).toBeUndefined();
  });

  it('given a malformed control, then it has no effect', () => {
    const noReason = aControlEvent('police.record-retracted', { targetEventId: 'oe-1' }, { id: 'c1' });
    const noCorrections = aControlEvent(
      'police.record-corrected',
      { targetEventId: 'oe-1', reason: 'x' },
      { id: 'c2' },
    );
    expect(stateAfter(incident, noReason, noCorrections)).toEqual(stateAfter(incident));
  });

  describe('refuses a control event with an empty reason, target or marker', () => {
    const restrict = aControlEvent(
      'police.record-restricted',
      { targetEventId: 'oe-1', reason: 'disputed' },
      { id: 'r1' },
    );

    it('given a restriction-lifted with an empty reason, then the restriction stays', () => {
      const lift = aControlEvent('police.restriction-lifted', { targetEventId: 'oe-1', reason: '' });
      expect(stateAfter(incident, restrict, lift)?.restricted?.reason).toBe('disputed');
    });

    it.each(['record-retracted', 'consent-withdrawn', 'record-restricted'] as const)(
      'given a %s with an empty reason, then the record is unchanged',
      (action) => {
        const control = aControlEvent(`police.${action}`, { targetEventId: 'oe-1', reason: '' });
        expect(stateAfter(incident, control)).toEqual(stateAfter(incident));
      },
    );

    it('given a correction with an empty reason, then nothing is corrected', () => {
      const control = aControlEvent('police.record-corrected', {
        targetEventId: 'oe-1',
        reason: '',
        corrections: { summary: 'Changed.' },
      });
      expect(stateAfter(incident, control)).toEqual(stateAfter(incident));
    });

    it('given an empty target, then it reaches no record, not even one stored with an empty id', () => {
      const blank = anIncidentNotified({ id: '' });
      for (const action of ['record-retracted', 'consent-withdrawn', 'record-restricted'] as const) {
        const control = aControlEvent(`police.${action}`, { targetEventId: '', reason: 'x' });
        expect(sharingStateOf([blank, control], eventKey(MET, ''))).toEqual(
          sharingStateOf([blank], eventKey(MET, '')),
        );
      }
      const restrictBlank = aControlEvent(
        'police.record-restricted',
        { targetEventId: '', reason: 'x' },
        { id: 'r0' },
      );
      const liftBlank = aControlEvent(
        'police.restriction-lifted',
        { targetEventId: '', reason: 'x' },
        { id: 'l0' },
      );
      const corrected = aControlEvent(
        'police.record-corrected',
        { targetEventId: '', reason: 'x', corrections: { summary: 'Changed.' } },
        { id: 'c0' },
      );
      expect(sharingStateOf([blank, corrected], eventKey(MET, ''))?.corrected).toEqual([]);
      expect(
        sharingStateOf([blank, restrictBlank, liftBlank], eventKey(MET, ''))?.restricted,
      ).toBeUndefined();
    });

    it('given a protective marker with an empty name or reason, then no marker is set or lifted', () => {
      const blankName = aControlEvent(
        'police.protective-marker-set',
        { marker: '', reason: 'fled' },
        { id: 'm1' },
      );
      const blankReason = aControlEvent(
        'police.protective-marker-set',
        { marker: 'adoption', reason: '' },
        { id: 'm2' },
      );
      expect(stateAfter(incident, blankName, blankReason)?.markers).toEqual([]);
      const set = aControlEvent(
        'police.protective-marker-set',
        { marker: 'adoption', reason: 'x' },
        { id: 'm3' },
      );
      const liftBlank = aControlEvent(
        'police.protective-marker-lifted',
        { marker: 'adoption', reason: '' },
        { id: 'm4' },
      );
      expect(stateAfter(incident, set, liftBlank)?.markers).toEqual(['adoption']);
    });

    it('given a control whose data is not an object, then it has no effect', () => {
      const control = { ...aControlEvent('police.record-retracted', {}), data: 'oe-1' };
      expect(stateAfter(incident, control)).toEqual(stateAfter(incident));
    });
  });

  it('given a restriction, when it is lifted, then the record is no longer restricted', () => {
    const restrict = aControlEvent('police.record-restricted', { targetEventId: 'oe-1', reason: 'disputed' });
    const lift = aControlEvent('police.restriction-lifted', { targetEventId: 'oe-1', reason: 'resolved' });
    expect(stateAfter(incident, restrict)?.restricted?.reason).toBe('disputed');
    expect(stateAfter(incident, restrict, lift)?.restricted).toBeUndefined();
  });

  it('given consent withdrawn, then it stays withdrawn and keeps the first withdrawal', () => {
    const first = aControlEvent(
      'police.consent-withdrawn',
      { targetEventId: 'oe-1', reason: 'first' },
      { id: 'w1' },
    );
    const second = aControlEvent(
      'police.consent-withdrawn',
      { targetEventId: 'oe-1', reason: 'second' },
      { id: 'w2' },
    );
    expect(stateAfter(incident, first, second)?.withdrawn?.reason).toBe('first');
  });

  it('given two corrections, then later values win field by field', () => {
    const c1 = aControlEvent(
      'police.record-corrected',
      { targetEventId: 'oe-1', reason: 'typo', corrections: { summary: 'A', childPresent: false } },
      { id: 'c1' },
    );
    const c2 = aControlEvent(
      'police.record-corrected',
      { targetEventId: 'oe-1', reason: 'typo', corrections: { summary: 'B' } },
      { id: 'c2' },
    );
    const state = stateAfter(incident, c1, c2);
    expect(state?.corrections).toEqual({ summary: 'B', childPresent: false });
    expect(state?.corrected.map((note) => note.eventId)).toEqual(['c1', 'c2']);
  });

  it('given a protective marker on the child, then it covers every event about them, earlier or later', () => {
    const set = aControlEvent('police.protective-marker-set', {
      marker: 'concealed-address',
      reason: 'fled',
    });
    const later = anIncidentNotified({ id: 'oe-2', source: KENT });
    const otherChild = anIncidentNotified({ id: 'oe-3', childid: 'c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8' });
    const ledger = foldSharingLedger([incident, set, later, otherChild]);
    expect(sharingStateIn(ledger, key)?.markers).toEqual(['concealed-address']);
    expect(sharingStateIn(ledger, eventKey(KENT, 'oe-2'))?.markers).toEqual(['concealed-address']);
    expect(sharingStateIn(ledger, eventKey(MET, 'oe-3'))?.markers).toEqual([]);
  });

  it('given a marker set by one force, when another force lifts it, then it stays; when the setter lifts it, it goes', () => {
    const set = aControlEvent('police.protective-marker-set', {
      marker: 'concealed-address',
      reason: 'fled',
    });
    const liftBy = (source: string): RecordedEvent =>
      aControlEvent(
        'police.protective-marker-lifted',
        { marker: 'concealed-address', reason: 'safe' },
        { source, id: `lift-${source}` },
      );
    expect(stateAfter(incident, set, liftBy(KENT))?.markers).toEqual(['concealed-address']);
    expect(stateAfter(incident, set, liftBy(MET))?.markers).toEqual([]);
  });

  it('given a retraction twice, then it keeps the first', () => {
    const again = aControlEvent(
      'police.record-retracted',
      { targetEventId: 'oe-1', reason: 'second' },
      { id: 'ctl-again' },
    );
    expect(stateAfter(incident, retract(), again)?.retracted?.eventId).toBe('ctl-retract');
  });

  it('given the last marker on a child lifted, then the ledger holds no markers for the child', () => {
    const set = aControlEvent('police.protective-marker-set', { marker: 'adoption', reason: 'x' });
    const lift = aControlEvent('police.protective-marker-lifted', { marker: 'adoption', reason: 'y' });
    const ledger = foldSharingLedger([incident, set, lift]);
    expect(ledger.markers.has(incident.childid)).toBe(false);
  });

  it("lists the event's own markers and the child's once each, sorted", () => {
    const shielded = anIncidentNotified({
      id: 'oe-1',
      sharing: { markers: ['concealed-address', 'adoption'] },
    });
    const set = aControlEvent('police.protective-marker-set', { marker: 'adoption', reason: 'x' });
    const other = aControlEvent(
      'police.protective-marker-set',
      { marker: 'anonymity', reason: 'x' },
      { id: 'm-2' },
    );
    expect(stateAfter(shielded, set, other)?.markers).toEqual(['adoption', 'anonymity', 'concealed-address']);
  });

  it("keeps the event's own recorded markers", () => {
    const shielded = anIncidentNotified({ id: 'oe-1', sharing: { markers: ['adoption'] } });
    expect(stateAfter(shielded)?.markers).toEqual(['adoption']);
  });

  it('given the same event twice, then the second changes nothing', () => {
    const once = foldSharingLedger([incident, retract()]);
    expect(evolveSharingState(once, retract())).toEqual(once);
    // A redelivered target must not undo what was done to it.
    expect(sharingStateIn(evolveSharingState(once, incident), key)?.retracted).toBeDefined();
  });

  it('leaves the ledger it was given as it was', () => {
    const before = foldSharingLedger([incident]);
    const snapshot = structuredClone(before);
    evolveSharingState(before, retract());
    evolveSharingState(
      before,
      aControlEvent('police.protective-marker-set', { marker: 'adoption', reason: 'x' }),
    );
    expect(before).toEqual(snapshot);
    expect(EMPTY_SHARING_LEDGER.events.size).toBe(0);
  });

  it('given a control aimed at a control event, then it has no effect', () => {
    const restrict = aControlEvent(
      'police.record-restricted',
      { targetEventId: 'oe-1', reason: 'x' },
      { id: 'r1' },
    );
    const retractRestriction = aControlEvent(
      'police.record-retracted',
      { targetEventId: 'r1', reason: 'x' },
      { id: 'r2' },
    );
    const ledger = foldSharingLedger([incident, restrict, retractRestriction]);
    expect(sharingStateIn(ledger, eventKey(MET, 'r1'))?.retracted).toBeUndefined();
    expect(sharingStateIn(ledger, key)?.restricted).toBeDefined();
  });
});

describe('sharing state, for any history', () => {
  /** What a record's own owner did to it, leaving aside the child's markers. */
  const recordPart = (state: SharingState | undefined): Omit<SharingState, 'markers'> | undefined => {
    if (!state) return undefined;
    const { markers: _markers, ...rest } = state;
    return rest;
  };

  it("depends only on the owner's own events: control events from another source change nothing", () => {
    fc.assert(
      fc.property(arb.history, (history) => {
        const ledger = foldSharingLedger(history);
        for (const event of history) {
          if (isControlEvent(event.type)) continue;
          const k = eventKey(event.source, event.id);
          const ownOnly = foldSharingLedger(history.filter((e) => e.source === event.source));
          expect(recordPart(sharingStateIn(ledger, k))).toEqual(recordPart(sharingStateIn(ownOnly, k)));
        }
      }),
    );
  });

  it('keeps every marker set by a force until that same force lifts it', () => {
    fc.assert(
      fc.property(arb.history, fc.constantFrom(...arb.organisations.police), (history, force) => {
        const before = foldSharingLedger(history);
        // Lifting by a force that never set the marker changes nothing.
        for (const childid of arb.childIds) {
          for (const marker of arb.markers) {
            if (before.markers.get(childid)?.get(marker)?.has(force)) continue;
            const lift = aControlEvent(
              'police.protective-marker-lifted',
              { marker, reason: 'x' },
              { source: force, childid },
            );
            const after = evolveSharingState(before, lift);
            expect(after.markers).toEqual(before.markers);
          }
        }
      }),
    );
  });

  it('is the same whether folded at once or evolved one event at a time, and replaying changes nothing', () => {
    fc.assert(
      fc.property(arb.history, (history) => {
        const folded = foldSharingLedger(history);
        const stepped = history.reduce(evolveSharingState, EMPTY_SHARING_LEDGER);
        expect(stepped).toEqual(folded);
        expect(foldSharingLedger(history, folded)).toEqual(folded);
      }),
    );
  });
});
