import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CONTRACTS } from '@jigsaw/contracts';
import { ROLES, type RecordedEvent } from '@jigsaw/envelope';
import {
  decideChildAccess,
  foldRelationships,
  relatedOrganisations,
  spanHolds,
  type ChildAccess,
  type Review,
} from './legitimate-relationship.js';
import { redactForViewer } from './redaction.js';
import { CLEARANCE, decideVisibility, sharingExpired } from './sharing-policy.js';
import {
  eventKey,
  foldSharingLedger,
  isControlEvent,
  sharingStateIn,
  type SharingState,
} from './sharing-state.js';
import { ALL_ORGANISATIONS, NOW, sharingArbitraries } from './testing/arbitraries.js';
import { isAuditViewer, type Viewer } from './viewer.js';

const arb = sharingArbitraries(fc);

const CHILD = '0b7c6f1e-3c1a-4f55-9a55-1f3a2b4c5d6e';
const SCHOOL = 'urn:jigsaw:org:education:school-100234';
const OTHER_SCHOOL = 'urn:jigsaw:org:education:school-100777';
const MET = 'urn:jigsaw:org:police:met';
const LEEDS = 'urn:jigsaw:org:council:leeds';

let n = 0;
function record(source: string, type: string, recordedtime: string, data: object = {}): RecordedEvent {
  n += 1;
  return {
    specversion: '1.0',
    id: `ev-${n}`,
    source,
    type,
    time: recordedtime,
    dataschema: `urn:jigsaw:schema:${type}:v1`,
    subject: { localIds: [{ system: 'hub', value: CHILD }] },
    sharing: {
      basis: { lawfulBasis: 'public-task', regime: 'uk-gdpr', specialCategory: false },
      consent: { status: 'not-sought', reason: 'statutory duty' },
      purposes: ['safeguarding'],
      audience: [{ agency: 'education' }, { agency: 'council' }, { agency: 'health' }, { agency: 'police' }],
      sensitivity: 'standard',
      decidedBy: { role: 'officer', organisation: source },
    },
    data,
    childid: CHILD,
    recordedtime,
  };
}

const viewerAt = (organisation: string, overrides: Partial<Viewer> = {}): Viewer => ({
  agency: organisation.split(':')[3] as Viewer['agency'],
  organisation,
  role: 'designated-safeguarding-lead',
  purpose: 'safeguarding',
  userId: 'user-1',
  ...overrides,
});
const accessAt = (history: RecordedEvent[], viewer: Viewer, at: string, options = {}): ChildAccess =>
  decideChildAccess(viewer, { relationships: foldRelationships(history, options) }, new Date(at));

describe('legitimate relationship: who has one', () => {
  it('gives the owner of a record a relationship from when the hub recorded it, and keeps it', () => {
    const history = [record(MET, 'police.missing-episode-started', '2026-01-10T10:00:00Z')];
    expect(accessAt(history, viewerAt(MET), '2026-01-10T09:59:59Z')).toBe('none');
    expect(accessAt(history, viewerAt(MET), '2026-01-10T10:00:00Z')).toBe('legitimate-relationship');
    expect(accessAt(history, viewerAt(MET), '2036-01-10T10:00:00Z')).toBe('legitimate-relationship');
    expect(accessAt(history, viewerAt(LEEDS), '2026-06-01T00:00:00Z')).toBe('none');
  });

  it('gives a school its relationship while the child is on its roll and for 12 months after the roll ends', () => {
    const history = [
      record(SCHOOL, 'education.pupil-on-roll', '2025-09-01T08:00:00Z'),
      record(SCHOOL, 'education.elective-home-education-notified', '2026-03-01T08:00:00Z', {
        offRollOn: '2026-02-27',
      }),
    ];
    const dsl = viewerAt(SCHOOL);
    expect(accessAt(history, dsl, '2026-01-01T00:00:00Z')).toBe('legitimate-relationship');
    expect(accessAt(history, dsl, '2027-02-26T23:59:59Z')).toBe('legitimate-relationship');
    expect(accessAt(history, dsl, '2027-02-27T00:00:00Z')).toBe('none');
    const relationships = foldRelationships(history);
    expect(decideChildAccess(dsl, { relationships, graceMonths: 1 }, new Date('2026-03-27T00:00:00Z'))).toBe(
      'none',
    );
  });

  it('keeps a school that recorded a concern of its own, after the roll ends', () => {
    const history = [
      record(SCHOOL, 'education.pupil-on-roll', '2025-09-01T08:00:00Z'),
      record(SCHOOL, 'education.safeguarding-concern-recorded', '2025-10-01T08:00:00Z'),
      record(SCHOOL, 'education.child-missing-education-reported', '2026-03-01T08:00:00Z', {
        reportedOn: '2026-03-01',
      }),
    ];
    expect(accessAt(history, viewerAt(SCHOOL), '2030-01-01T00:00:00Z')).toBe('legitimate-relationship');
  });

  it('gives the school named in a police incident a relationship for 12 months, unless the incident is retracted', () => {
    const incident = record(MET, 'police.domestic-abuse-incident-notified', '2026-02-01T07:00:00Z', {
      schoolUrn: '100234',
    });
    const schoolByUrn = (urn: string): string | undefined => (urn === '100234' ? SCHOOL : undefined);
    const dsl = viewerAt(SCHOOL);
    expect(accessAt([incident], dsl, '2026-02-01T07:00:00Z', { schoolByUrn })).toBe(
      'legitimate-relationship',
    );
    expect(accessAt([incident], dsl, '2027-01-31T23:59:59Z', { schoolByUrn })).toBe(
      'legitimate-relationship',
    );
    expect(accessAt([incident], dsl, '2027-02-01T00:00:00Z', { schoolByUrn })).toBe('none');
    expect(accessAt([incident], dsl, '2026-02-02T00:00:00Z')).toBe('none');
    expect(accessAt([incident], viewerAt(OTHER_SCHOOL), '2026-02-02T00:00:00Z', { schoolByUrn })).toBe(
      'none',
    );
    const retraction = record(MET, 'police.record-retracted', '2026-02-01T09:00:00Z', {
      targetEventId: incident.id,
      reason: 'wrong child',
    });
    expect(accessAt([incident, retraction], dsl, '2026-02-02T00:00:00Z', { schoolByUrn })).toBe('none');
  });

  it('ends the roll on a permanent exclusion, yet keeps the school as the owner of the exclusion', () => {
    const history = [
      record(SCHOOL, 'education.pupil-on-roll', '2025-09-01T08:00:00Z'),
      record(SCHOOL, 'education.permanent-exclusion-recorded', '2026-03-02T08:00:00Z', {
        effectiveDate: '2026-02-27',
      }),
    ];
    const [roll] = foldRelationships(history).get(SCHOOL) ?? [];
    expect(roll).toEqual({ basis: 'on-roll', from: '2025-09-01T08:00:00Z', endedAt: '2026-02-27' });
    expect(accessAt(history, viewerAt(SCHOOL), '2030-01-01T00:00:00Z')).toBe('legitimate-relationship');
  });

  it('ends the roll when the school says the child left, on the date it gives or else when it happened', () => {
    const joined = record(SCHOOL, 'education.pupil-on-roll', '2025-09-01T08:00:00Z');
    const undated = record(SCHOOL, 'education.child-missing-education-reported', '2026-03-01T08:00:00Z');
    const later = record(SCHOOL, 'education.elective-home-education-notified', '2026-06-01T08:00:00Z', {
      offRollOn: '2026-06-01',
    });
    expect(foldRelationships([joined, undated, later]).get(SCHOOL)).toEqual([
      { basis: 'on-roll', from: '2025-09-01T08:00:00Z', endedAt: '2026-03-01T08:00:00Z' },
    ]);
    expect(accessAt([joined, undated, later], viewerAt(SCHOOL), '2027-03-01T00:00:00Z')).toBe('none');
  });

  it('reads each leaving record’s own date, and an empty one as none given', () => {
    const joined = record(SCHOOL, 'education.pupil-on-roll', '2025-09-01T08:00:00Z');
    const missing = record(SCHOOL, 'education.child-missing-education-reported', '2026-03-09T08:00:00Z', {
      reportedOn: '2026-03-02',
    });
    expect(foldRelationships([joined, missing]).get(SCHOOL)?.[0]?.endedAt).toBe('2026-03-02');
    const blank = record(SCHOOL, 'education.elective-home-education-notified', '2026-03-09T08:00:00Z', {
      offRollOn: '',
    });
    expect(foldRelationships([joined, blank]).get(SCHOOL)?.[0]?.endedAt).toBe('2026-03-09T08:00:00Z');
  });

  it('keeps the roll open when the school records anything else about the child', () => {
    const history = [
      record(SCHOOL, 'education.pupil-on-roll', '2025-09-01T08:00:00Z'),
      record(SCHOOL, 'education.safeguarding-concern-recorded', '2025-10-01T08:00:00Z'),
      record(MET, 'police.missing-episode-started', '2025-10-02T08:00:00Z'),
    ];
    expect(foldRelationships(history).get(SCHOOL)).toEqual([
      { basis: 'on-roll', from: '2025-09-01T08:00:00Z' },
      { basis: 'owner', from: '2025-10-01T08:00:00Z' },
    ]);
  });

  it('holds while any one of an organisation’s relationships holds, though others have lapsed', () => {
    const history = [record(LEEDS, 'council.referral-received', '2026-06-01T00:00:00Z')];
    const addressed = [{ organisation: LEEDS, at: '2025-01-01T00:00:00Z' }];
    const relationships = foldRelationships(history, { addressed });
    const at = new Date('2026-07-01T00:00:00Z');
    expect(relatedOrganisations(relationships, at)).toEqual([LEEDS]);
    expect(decideChildAccess(viewerAt(LEEDS, { role: 'social-worker' }), { relationships }, at)).toBe(
      'legitimate-relationship',
    );
  });

  it('gives the named school no relationship through an incident withdrawn or restricted', () => {
    const schoolByUrn = (): string => SCHOOL;
    for (const action of ['consent-withdrawn', 'record-restricted'] as const) {
      const incident = record(MET, 'police.domestic-abuse-incident-notified', '2026-02-01T07:00:00Z', {
        schoolUrn: '100234',
      });
      const control = record(MET, `police.${action}`, '2026-02-01T09:00:00Z', {
        targetEventId: incident.id,
        reason: 'disputed',
      });
      expect(accessAt([incident], viewerAt(SCHOOL), '2026-02-02T00:00:00Z', { schoolByUrn })).toBe(
        'legitimate-relationship',
      );
      expect(accessAt([incident, control], viewerAt(SCHOOL), '2026-02-02T00:00:00Z', { schoolByUrn })).toBe(
        'none',
      );
    }
  });

  it('gives an organisation a notification was addressed to a relationship for 12 months', () => {
    const addressed = [{ organisation: LEEDS, at: '2026-05-05T10:00:00Z' }];
    const history = [record(MET, 'police.missing-episode-started', '2026-05-05T09:00:00Z')];
    const sw = viewerAt(LEEDS, { role: 'social-worker' });
    expect(accessAt(history, sw, '2026-05-05T09:30:00Z', { addressed })).toBe('none');
    expect(accessAt(history, sw, '2027-05-04T12:00:00Z', { addressed })).toBe('legitimate-relationship');
    expect(accessAt(history, sw, '2027-05-05T00:00:00Z', { addressed })).toBe('none');
  });

  it('ignores the hub’s own events and control events: neither is a record about the child', () => {
    const history = [
      record('urn:jigsaw:org:hub:safeguarding-view', 'hub.record-accessed', '2026-01-01T00:00:00Z'),
      record(MET, 'police.protective-marker-set', '2026-01-01T00:00:00Z', {
        marker: 'adoption',
        reason: 'x',
      }),
    ];
    expect(relatedOrganisations(foldRelationships(history), new Date('2026-02-01T00:00:00Z'))).toEqual([]);
  });

  it('lists the related organisations at a moment, sorted', () => {
    const history = [
      record(MET, 'police.missing-episode-started', '2026-01-01T00:00:00Z'),
      record(LEEDS, 'council.referral-received', '2026-01-02T00:00:00Z'),
    ];
    expect(relatedOrganisations(foldRelationships(history), new Date('2026-01-01T12:00:00Z'))).toEqual([MET]);
    expect(relatedOrganisations(foldRelationships(history), new Date('2026-01-03T00:00:00Z'))).toEqual([
      LEEDS,
      MET,
    ]);
  });

  it('counts an unreadable end date as ended long ago, so a mistake fails closed', () => {
    const span = { basis: 'notified' as const, from: '2026-01-01T00:00:00Z', endedAt: 'soon' };
    expect(spanHolds(span, new Date('2026-01-02T00:00:00Z'), 12)).toBe(false);
  });
});

describe('self-claimed access and review panels', () => {
  const relationships = foldRelationships([
    record(MET, 'police.missing-episode-started', '2026-01-01T00:00:00Z'),
  ]);
  const clinician = viewerAt('urn:jigsaw:org:health:barts', { role: 'clinician', userId: 'clin-1' });
  const claim = {
    organisation: clinician.organisation,
    userId: 'clin-1',
    claimedAt: '2026-03-01T10:00:00Z',
    until: '2026-03-02T10:00:00Z',
  };

  it('gives the claimant, and only them, access until the claim runs out', () => {
    const at = (iso: string, viewer = clinician): ChildAccess =>
      decideChildAccess(viewer, { relationships, claims: [claim] }, new Date(iso));
    expect(at('2026-03-01T09:59:59Z')).toBe('none');
    expect(at('2026-03-01T10:00:00Z')).toBe('self-claimed');
    expect(at('2026-03-02T09:59:59Z')).toBe('self-claimed');
    expect(at('2026-03-02T10:00:00Z')).toBe('none');
    expect(at('2026-03-01T12:00:00Z', { ...clinician, userId: 'clin-2' })).toBe('none');
    expect(at('2026-03-01T12:00:00Z', viewerAt('urn:jigsaw:org:health:leeds-teaching'))).toBe('none');
    // The same user id at another organisation is another person.
    const namesake = viewerAt('urn:jigsaw:org:health:leeds-teaching', {
      role: 'clinician',
      userId: 'clin-1',
    });
    expect(at('2026-03-01T12:00:00Z', namesake)).toBe('none');
  });

  const review: Review = {
    reference: 'RR-2026-04',
    panelOrganisation: LEEDS,
    openedAt: '2026-04-01T00:00:00Z',
    until: '2026-10-01T00:00:00Z',
  };
  const panel = viewerAt(LEEDS, { role: 'review-panel', purpose: 'audit' });

  it('lets a review panel read only the child of a review opened for it, while the review is open', () => {
    const at = (iso: string, reviews: Review[] = [review], viewer = panel): ChildAccess =>
      decideChildAccess(viewer, { relationships, reviews }, new Date(iso));
    expect(at('2026-03-31T23:59:59Z')).toBe('none');
    expect(at('2026-04-01T00:00:00Z')).toBe('review');
    expect(at('2026-10-01T00:00:00Z')).toBe('none');
    expect(at('2026-05-01T00:00:00Z', [{ ...review, closedAt: '2026-05-01T00:00:00Z' }])).toBe('none');
    expect(at('2026-04-30T00:00:00Z', [{ ...review, closedAt: '2026-05-01T00:00:00Z' }])).toBe('review');
    expect(at('2026-05-01T00:00:00Z', [{ ...review, panelOrganisation: MET }])).toBe('none');
    expect(at('2026-05-01T00:00:00Z', [])).toBe('none');
    // A panel's organisation holding a relationship does not open the child to the panel.
    const policePanel = viewerAt(MET, { role: 'review-panel', purpose: 'audit' });
    expect(at('2026-05-01T00:00:00Z', [], policePanel)).toBe('none');
    // And a review opens nothing to anyone but the panel.
    expect(at('2026-05-01T00:00:00Z', [review], viewerAt(LEEDS, { role: 'social-worker' }))).toBe('none');
  });
});

describe('the policy with the relationship as one more input', () => {
  const event = record(MET, 'police.missing-episode-started', '2026-01-01T00:00:00Z');
  const state: SharingState = { corrections: {}, corrected: [], markers: [] };
  const now = new Date('2026-06-01T00:00:00Z');

  it('hides every record, the viewer’s own included, from a viewer with no relationship', () => {
    expect(decideVisibility(viewerAt(MET, { role: 'police-officer' }), event, state, now, 'none')).toEqual({
      visible: false,
      reason: 'no-relationship',
    });
    expect(decideVisibility(viewerAt(SCHOOL), event, state, now, 'none').reason).toBe('no-relationship');
  });

  it('shows through a self-claim exactly what a relationship would', () => {
    const dsl = viewerAt(SCHOOL);
    expect(decideVisibility(dsl, event, state, now, 'self-claimed')).toEqual(
      decideVisibility(dsl, event, state, now, 'legitimate-relationship'),
    );
    expect(decideVisibility(dsl, event, state, now, 'self-claimed')).toMatchObject({ visible: true });
  });

  it('lets a review panel in only through a review, and nobody else through one', () => {
    const panel = viewerAt(LEEDS, { role: 'review-panel', purpose: 'audit' });
    expect(decideVisibility(panel, event, state, now, 'review')).toMatchObject({
      visible: true,
      level: 'skeleton',
    });
    expect(decideVisibility(panel, event, state, now, 'legitimate-relationship').reason).toBe(
      'no-relationship',
    );
    expect(decideVisibility(viewerAt(SCHOOL), event, state, now, 'review').reason).toBe('no-relationship');
  });
});

describe('relationship properties, both ways', () => {
  const inForce = (event: RecordedEvent, state: SharingState): boolean =>
    !state.retracted && !state.withdrawn && !state.restricted && !sharingExpired(event.sharing.until, NOW);
  const accessOf = (viewer: Viewer, history: RecordedEvent[]): ChildAccess =>
    decideChildAccess(viewer, { relationships: foldRelationships(history) }, NOW);
  const nonPanel = arb.viewer.filter((viewer) => viewer.role !== 'review-panel');

  it('soundness: a viewer sees something of a child only if its organisation holds a relationship', () => {
    fc.assert(
      fc.property(nonPanel, arb.history, (viewer, history) => {
        const ledger = foldSharingLedger(history);
        const access = accessOf(viewer, history);
        const related = relatedOrganisations(foldRelationships(history), NOW);
        for (const event of history) {
          const state = sharingStateIn(ledger, eventKey(event.source, event.id));
          if (!state) continue;
          if (decideVisibility(viewer, event, state, NOW, access).visible) {
            expect(related).toContain(viewer.organisation);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('completeness: an organisation that recorded a record reaches the child and sees its record in full', () => {
    fc.assert(
      fc.property(arb.viewingCase(), ([viewer, event, state]) => {
        fc.pre(viewer.role !== 'review-panel');
        const own = { ...event, source: viewer.organisation, recordedtime: NOW.toISOString() };
        fc.pre(!isControlEvent(own.type));
        const access = accessOf(viewer, [own]);
        expect(access).toBe('legitimate-relationship');
        expect(decideVisibility(viewer, own, state, NOW, access)).toEqual({
          visible: true,
          level: 'full',
          reason: 'owner',
        });
      }),
      { numRuns: 500 },
    );
  });

  it('completeness: every organisation that recorded something at or before now reaches the child', () => {
    fc.assert(
      fc.property(arb.history, (history) => {
        const related = relatedOrganisations(foldRelationships(history), NOW);
        for (const event of history) {
          if (!isControlEvent(event.type) && Date.parse(event.recordedtime) <= NOW.getTime())
            expect(related).toContain(event.source);
        }
        for (const organisation of related) expect(ALL_ORGANISATIONS).toContain(organisation);
      }),
      { numRuns: 500 },
    );
  });

  it('completeness: a related non-owner in the audience, purpose and clearance, in force, sees the record in full with every field its redaction allows', () => {
    fc.assert(
      fc.property(arb.viewingCase(), ([viewer, event, state]) => {
        fc.pre(viewer.organisation !== event.source && !isAuditViewer(viewer) && inForce(event, state));
        fc.pre(event.sharing.purposes.includes(viewer.purpose));
        const entries = event.sharing.audience.filter((entry) => entry.agency === viewer.agency);
        const named = entries.some((entry) => entry.roles?.includes(viewer.role) ?? false);
        const open = entries.some((entry) => entry.roles === undefined);
        fc.pre(named || open);
        const clearance = CLEARANCE[viewer.role][named ? 'named' : 'default'];
        const rank = ['none', 'standard', 'sensitive', 'restricted'];
        fc.pre(rank.indexOf(clearance) >= rank.indexOf(event.sharing.sensitivity));
        fc.pre(viewer.role !== 'review-panel');
        const cut = redactForViewer(viewer, event, state, NOW, 'legitimate-relationship');
        expect(cut).toMatchObject({ level: 'full', reason: 'shared' });
        const markers = [...state.markers, ...(event.sharing.markers ?? [])];
        if (event.type !== 'police.domestic-abuse-incident-notified' || markers.length > 0) return;
        const data = { ...(event.data as Record<string, unknown>), ...state.corrections };
        // The declared allow-list is the rule: every top-level field it names reaches the viewer.
        const allowed = (
          CONTRACTS['police.domestic-abuse-incident-notified'].audience[viewer.agency] ?? []
        ).map((path) => path.split('.')[0]!);
        for (const field of allowed) {
          if (data[field] === undefined || ['nhsNumber', 'postcode'].includes(field)) continue;
          expect(cut?.data).toHaveProperty(field);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('hides everything from any role, for any record and state, without a relationship', () => {
    fc.assert(
      fc.property(arb.viewingCase(), fc.constantFrom(...ROLES), ([viewer, event, state], role) => {
        expect(decideVisibility({ ...viewer, role }, event, state, NOW, 'none').visible).toBe(false);
      }),
    );
  });
});
