import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SENSITIVITIES, type RecordedEvent } from '@jigsaw/envelope';
import { CLEARANCE, sharingExpired } from './sharing-policy.js';
import { decideRelated } from './testing/related.js';
import {
  CONTROL_EVENT_TYPES,
  eventKey,
  foldSharingLedger,
  sharingStateIn,
  type SharingState,
} from './sharing-state.js';
import { sharingArbitraries } from './testing/arbitraries.js';
import {
  aControlEvent,
  anIncidentNotified,
  aViewer,
  KENT,
  LEEDS_COUNCIL,
  LEEDS_TEACHING,
  MET,
} from './testing/events.factory.js';
import { AUDIT_ROLES, isAuditViewer } from './viewer.js';

const arb = sharingArbitraries(fc);
const NOW = new Date('2026-11-21T08:00:00Z');
const IN_FORCE: SharingState = { corrections: {}, corrected: [], markers: [] };
const note = { eventId: 'ctl-1', time: '2026-11-21T07:00:00Z', reason: 'entered in error' };
const incident = anIncidentNotified();
const dsl = aViewer();
const teacher = aViewer({ role: 'teacher', userId: 'teacher-1' });
const socialWorker = aViewer({ agency: 'council', organisation: LEEDS_COUNCIL, role: 'social-worker' });
const metOfficer = aViewer({ agency: 'police', organisation: MET, role: 'police-officer' });
const auditor = aViewer({
  agency: 'council',
  organisation: LEEDS_COUNCIL,
  role: 'auditor',
  purpose: 'audit',
});

describe('who may see an Operation Encompass notification', () => {
  it('given the school is in the audience, when its DSL looks for safeguarding, then they see it', () => {
    expect(decideRelated(dsl, incident, IN_FORCE, NOW)).toEqual({
      visible: true,
      level: 'full',
      reason: 'shared',
    });
  });

  it('given it is sensitive, when a teacher looks, then they are not cleared', () => {
    expect(decideRelated(teacher, incident, IN_FORCE, NOW)).toEqual({
      visible: false,
      reason: 'role-not-cleared',
    });
  });

  it('given a teacher named in the audience, then a sensitive record is still beyond them', () => {
    const named = anIncidentNotified({
      sharing: { audience: [{ agency: 'education', roles: ['teacher'] }] },
    });
    expect(decideRelated(teacher, named, IN_FORCE, NOW).reason).toBe('role-not-cleared');
  });

  it("given the school's system is named, then it receives the sensitive record; unnamed, it does not", () => {
    const system = aViewer({ role: 'agency-system' });
    const named = anIncidentNotified({
      sharing: { audience: [{ agency: 'education', roles: ['agency-system'] }] },
    });
    expect(decideRelated(system, named, IN_FORCE, NOW).visible).toBe(true);
    expect(decideRelated(system, incident, IN_FORCE, NOW).reason).toBe('role-not-cleared');
  });

  it('given a restricted record, then only a role the audience names explicitly sees it', () => {
    const open = anIncidentNotified({ sharing: { sensitivity: 'restricted' } });
    const named = anIncidentNotified({
      sharing: { sensitivity: 'restricted', audience: [{ agency: 'council', roles: ['social-worker'] }] },
    });
    expect(decideRelated(socialWorker, open, IN_FORCE, NOW).reason).toBe('role-not-cleared');
    expect(decideRelated(socialWorker, named, IN_FORCE, NOW).visible).toBe(true);
  });

  it('given the audience lists roles, then other roles in the agency do not see it', () => {
    const managersOnly = anIncidentNotified({
      sharing: { audience: [{ agency: 'council', roles: ['team-manager'] }] },
    });
    expect(decideRelated(socialWorker, managersOnly, IN_FORCE, NOW).reason).toBe('role-not-in-audience');
  });

  it('given another purpose, then the viewer does not see it', () => {
    expect(decideRelated(aViewer({ purpose: 'education-welfare' }), incident, IN_FORCE, NOW).reason).toBe(
      'purpose-not-shared',
    );
  });

  it('given an agency outside the audience, then it does not see it', () => {
    const kentOfficer = aViewer({ agency: 'police', organisation: KENT, role: 'police-officer' });
    expect(decideRelated(kentOfficer, incident, IN_FORCE, NOW).reason).toBe('agency-not-in-audience');
  });

  it.each([
    ['retracted', { ...IN_FORCE, retracted: note }],
    ['consent-withdrawn', { ...IN_FORCE, withdrawn: note }],
    ['restricted', { ...IN_FORCE, restricted: note }],
  ] as const)('given it is %s, then only its owner sees it', (reason, state) => {
    expect(decideRelated(dsl, incident, state, NOW)).toEqual({ visible: false, reason });
    expect(decideRelated(metOfficer, incident, state, NOW)).toEqual({
      visible: true,
      level: 'full',
      reason: 'owner',
    });
  });

  it('given sharing ends at `until`, then from that instant only the owner sees it', () => {
    const ending = anIncidentNotified({ sharing: { until: NOW.toISOString() } });
    expect(decideRelated(dsl, ending, IN_FORCE, new Date(NOW.getTime() - 1)).visible).toBe(true);
    expect(decideRelated(dsl, ending, IN_FORCE, NOW).reason).toBe('expired');
    expect(decideRelated(metOfficer, ending, IN_FORCE, NOW).reason).toBe('owner');
  });

  it('fails closed on an unreadable date', () => {
    expect(sharingExpired('not a date', NOW)).toBe(true);
    expect(sharingExpired('2030-01-01T00:00:00Z', new Date(Number.NaN))).toBe(true);
    expect(sharingExpired(undefined, NOW)).toBe(false);
  });

  it("given the owner's organisation, then it sees its own record whatever the purpose, audience or state", () => {
    const closed = anIncidentNotified({
      sharing: { audience: [{ agency: 'health' }], until: '2020-01-01T00:00:00Z' },
    });
    const anyRole = aViewer({ agency: 'police', organisation: MET, role: 'teacher', purpose: 'early-help' });
    expect(decideRelated(anyRole, closed, { ...IN_FORCE, retracted: note }, NOW).reason).toBe('owner');
  });

  it('given a viewer whose agency is not its organisation’s, then it sees nothing, not even its “own”', () => {
    const broken = aViewer({ agency: 'education', organisation: MET });
    expect(decideRelated(broken, incident, IN_FORCE, NOW).reason).toBe('viewer-agency-mismatch');
  });
});

describe('auditors', () => {
  it('given the audit purpose, then they see the skeleton of anything, even retracted or out of audience', () => {
    const elsewhere = anIncidentNotified({ sharing: { audience: [{ agency: 'health' }] } });
    expect(decideRelated(auditor, elsewhere, { ...IN_FORCE, retracted: note }, NOW)).toEqual({
      visible: true,
      level: 'skeleton',
      reason: 'audit-skeleton',
    });
  });

  it('given another purpose, then an auditor is cleared for nothing, not even standard records', () => {
    const standard = anIncidentNotified({ sharing: { sensitivity: 'standard' } });
    expect(decideRelated({ ...auditor, purpose: 'safeguarding' }, standard, IN_FORCE, NOW).reason).toBe(
      'role-not-cleared',
    );
  });
});

describe('control events and decisions not to share', () => {
  it.each(CONTROL_EVENT_TYPES)('%s is seen by its owner and auditors only', (type) => {
    const control = aControlEvent(
      type,
      { targetEventId: 'x', reason: 'x', marker: 'adoption' },
      { source: LEEDS_TEACHING },
    );
    const everyone = aViewer({ agency: 'council', organisation: LEEDS_COUNCIL, role: 'social-worker' });
    expect(decideRelated(everyone, control, IN_FORCE, NOW).reason).toBe('owner-only-type');
    expect(
      decideRelated(
        aViewer({ agency: 'health', organisation: LEEDS_TEACHING, role: 'clinician' }),
        control,
        IN_FORCE,
        NOW,
      ).reason,
    ).toBe('owner');
    expect(decideRelated(auditor, control, IN_FORCE, NOW).reason).toBe('audit-skeleton');
  });
});

describe('the clearance table', () => {
  it('never lets a role see more by default than when named, nor a named role see less', () => {
    const rank = (c: string): number => ['none', ...SENSITIVITIES].indexOf(c);
    for (const { default: byDefault, named } of Object.values(CLEARANCE)) {
      expect(rank(byDefault)).toBeLessThanOrEqual(rank(named));
    }
    for (const [role, { default: byDefault }] of Object.entries(CLEARANCE)) {
      expect(byDefault === 'restricted').toBe(false);
      if ((AUDIT_ROLES as readonly string[]).includes(role)) expect(byDefault).toBe('none');
    }
  });
});

describe('visibility, for any viewer, event and state', () => {
  const inForce = (event: RecordedEvent, state: SharingState): boolean =>
    !state.retracted && !state.withdrawn && !state.restricted && !sharingExpired(event.sharing.until, NOW);

  it('shows a non-owner the full event only within its purpose, audience, clearance and while in force', () => {
    fc.assert(
      fc.property(arb.viewingCase(), ([viewer, event, state]) => {
        const decision = decideRelated(viewer, event, state, NOW);
        if (!decision.visible || decision.level !== 'full' || viewer.organisation === event.source) return;
        const entries = event.sharing.audience.filter((entry) => entry.agency === viewer.agency);
        expect(event.sharing.purposes).toContain(viewer.purpose);
        expect(entries.length).toBeGreaterThan(0);
        expect(entries.some((entry) => !entry.roles || entry.roles.includes(viewer.role))).toBe(true);
        expect(inForce(event, state)).toBe(true);
        expect(CLEARANCE[viewer.role].named).not.toBe('none');
      }),
      { numRuns: 2000 },
    );
  });

  it('hides withdrawn, restricted, retracted and expired sharing from all but the owner and auditors’ skeleton', () => {
    fc.assert(
      fc.property(arb.viewingCase(), ([viewer, event, state]) => {
        fc.pre(!inForce(event, state));
        const decision = decideRelated(viewer, event, state, NOW);
        if (viewer.organisation === event.source)
          expect(decision).toMatchObject({ visible: true, level: 'full' });
        else if (isAuditViewer(viewer)) expect(decision).toMatchObject({ visible: true, level: 'skeleton' });
        else expect(decision.visible).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('always shows the owner its own events in full', () => {
    fc.assert(
      fc.property(arb.viewingCase(), ([viewer, event, state]) => {
        const own = { ...event, source: viewer.organisation };
        expect(decideRelated(viewer, own, state, NOW)).toEqual({
          visible: true,
          level: 'full',
          reason: 'owner',
        });
      }),
    );
  });

  it('gives skeletons only to auditors with the audit purpose', () => {
    fc.assert(
      fc.property(arb.viewingCase(), ([viewer, event, state]) => {
        const decision = decideRelated(viewer, event, state, NOW);
        if (decision.visible && decision.level === 'skeleton') expect(isAuditViewer(viewer)).toBe(true);
      }),
    );
  });

  it('decides the same over states folded from random histories, which mostly include foreign controls', () => {
    fc.assert(
      fc.property(arb.viewer, arb.history, (viewer, history) => {
        const ledger = foldSharingLedger(history);
        for (const event of history) {
          const state = sharingStateIn(ledger, eventKey(event.source, event.id));
          if (!state) continue;
          const decision = decideRelated(viewer, event, state, NOW);
          if (decision.visible && decision.level === 'full' && viewer.organisation !== event.source) {
            expect(inForce(event, state)).toBe(true);
            expect(CONTROL_EVENT_TYPES).not.toContain(event.type);
          }
        }
      }),
    );
  });
});
