import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@jigsaw/envelope';
import { eventKeyOf } from '@jigsaw/projection';
import { careStatuses, ChildHistory, standingOn } from '@jigsaw/view-model';
import { decideCpIs } from './cp-is.rules.js';
import {
  aChild,
  anAttendance,
  aLookedAfterStarted,
  aPlanEnded,
  aPlanStarted,
  aRetraction,
  BRADFORD,
  LEEDS,
  recorded,
} from './testing/notification-events.factory.js';

const now = new Date('2026-11-21T09:00:00Z');
const notBefore = new Date('2026-10-01T00:00:00Z');
const child = aChild();
const at = (minutes: number): string =>
  new Date(Date.parse('2026-11-21T00:00:00Z') + minutes * 60_000).toISOString();

/** Given these events recorded in this order, the CP-IS notifications decided. */
const given = (...events: RecordedEvent[]) => decideCpIs(new ChildHistory(events), now, { notBefore });

describe('CP-IS', () => {
  const plan = recorded(aPlanStarted(child, { startDate: '2026-06-02' }), child, at(1));
  const attendance = recorded(anAttendance(child, { arrivedAt: '2026-11-21T01:20:00Z' }), child, at(2));

  it('notifies the council that recorded the plan when the child attends, with the plan and its contact', () => {
    expect(given(plan, attendance)).toEqual([
      {
        dedupeKey: `cp-is|${eventKeyOf(attendance)}|${LEEDS}`,
        kind: 'cp-is',
        childId: child.childid,
        triggerEventKey: eventKeyOf(attendance),
        recipient: { organisation: LEEDS, agency: 'council' },
        route: 'responsible-council',
        details: {
          careStatuses: [
            {
              kind: 'child-protection-plan',
              startDate: '2026-06-02',
              inForce: true,
              contact: (plan.data as { contact: unknown }).contact,
            },
          ],
          statusEvents: [eventKeyOf(plan)],
        },
      },
    ]);
  });

  it('decides the same whichever the hub heard of first', () => {
    const attendanceFirst = recorded(
      anAttendance(child, { arrivedAt: '2026-11-21T01:20:00Z' }),
      child,
      at(1),
    );
    const planLater = { ...plan, recordedtime: at(5) };
    const [decided] = given(attendanceFirst, planLater);
    expect(decided).toMatchObject({
      triggerEventKey: eventKeyOf(attendanceFirst),
      recipient: { organisation: LEEDS },
    });
  });

  it('says nothing of a child on no plan, or an attendance before the plan started', () => {
    expect(given(attendance)).toEqual([]);
    const later = recorded(aPlanStarted(child, { startDate: '2026-11-22' }), child, at(1));
    expect(given(later, attendance)).toEqual([]);
  });

  it('keeps notifying for 12 months after a plan ends, saying it has ended, and not after', () => {
    const started = recorded(aPlanStarted(child, { startDate: '2025-06-02' }), child, at(0));
    const ended = recorded(
      aPlanEnded(child, { startDate: '2025-06-02', endDate: '2025-12-01' }),
      child,
      at(1),
    );
    const [decided] = given(started, ended, attendance);
    expect(decided?.details.careStatuses).toEqual([
      expect.objectContaining({ startDate: '2025-06-02', endDate: '2025-12-01', inForce: false }),
    ]);
    // Ended on 20 November 2025: the attendance on 21 November 2026 is a year and a day later.
    const endedEarlier = recorded(
      aPlanEnded(child, { startDate: '2025-06-02', endDate: '2025-11-20' }),
      child,
      at(1),
    );
    expect(given(started, endedEarlier, attendance)).toEqual([]);
  });

  it('reads the attendance day in London: 23:30Z on 1 June in summer is 2 June', () => {
    const status = { kind: 'looked-after' as const, council: LEEDS, startDate: '2026-06-02', events: [] };
    expect(standingOn(status, '2026-06-01')).toBeUndefined();
    const lateArrival = recorded(anAttendance(child, { arrivedAt: '2026-06-01T23:30:00Z' }), child, at(2));
    const lac = recorded(aLookedAfterStarted(child, { startDate: '2026-06-02' }), child, at(1));
    const [decided] = decideCpIs(new ChildHistory([lac, lateArrival]), now, { notBefore: new Date(0) });
    expect(decided?.details.careStatuses).toEqual([
      { kind: 'looked-after', startDate: '2026-06-02', inForce: true },
    ]);
  });

  it('notifies each council with a status, once each, listing all of that council’s statuses', () => {
    const lac = recorded(aLookedAfterStarted(child, { startDate: '2026-07-14' }), child, at(1));
    const bradford = recorded(
      aLookedAfterStarted(child, { startDate: '2026-08-01', source: BRADFORD }),
      child,
      at(1),
    );
    const decided = given(plan, lac, bradford, attendance);
    expect(decided.map((n) => n.recipient.organisation)).toEqual([BRADFORD, LEEDS]);
    expect(decided[1]?.details.careStatuses?.map((s) => s.kind)).toEqual([
      'child-protection-plan',
      'looked-after',
    ]);
  });

  it('does not notify a council the trust did not share the attendance with', () => {
    const healthOnly = recorded(
      anAttendance(child, { arrivedAt: '2026-11-21T01:20:00Z', audience: [{ agency: 'health' }] }),
      child,
      at(2),
    );
    expect(given(plan, healthOnly)).toEqual([]);
  });

  it('acts on neither a retracted plan nor a retracted attendance', () => {
    const planEnvelope = aPlanStarted(child, { startDate: '2026-06-02' });
    const attendanceEnvelope = anAttendance(child, { arrivedAt: '2026-11-21T01:20:00Z' });
    const p = recorded(planEnvelope, child, at(1));
    const a = recorded(attendanceEnvelope, child, at(2));
    expect(given(p, a, recorded(aRetraction(planEnvelope, child), child, at(3)))).toEqual([]);
    expect(given(p, a, recorded(aRetraction(attendanceEnvelope, child), child, at(3)))).toEqual([]);
    expect(
      careStatuses(new ChildHistory([p, recorded(aRetraction(planEnvelope, child), child, at(3))])),
    ).toEqual([]);
  });

  it('raises nothing for an attendance recorded before the horizon, so replaying history floods no inbox', () => {
    const old = recorded(
      anAttendance(child, { arrivedAt: '2026-09-01T10:00:00Z' }),
      child,
      '2026-09-01T11:00:00Z',
    );
    expect(given(plan, old)).toEqual([]);
  });

  it('counts the horizon from when the hub recorded the attendance, so a late report still notifies', () => {
    const late = recorded(anAttendance(child, { arrivedAt: '2026-09-20T10:00:00Z' }), child, at(2));
    expect(given(plan, late)).toEqual([
      expect.objectContaining({ kind: 'cp-is', route: 'responsible-council' }),
    ]);
  });
});
