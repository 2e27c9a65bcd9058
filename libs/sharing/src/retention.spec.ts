import { describe, expect, it } from '@jest/globals';
import { dataschemaFor, type RecordedEvent } from '@jigsaw/envelope';
import { episodeOf, sharingEndsAfter } from './retention.js';
import { decideRelated, redactRelated } from './testing/related.js';
import { eventKey, foldSharingLedger, sharingStateIn, type SharingState } from './sharing-state.js';
import { anIncidentNotified, aViewer, CHILD, LEEDS_COUNCIL, MET } from './testing/events.factory.js';

const OTHER_CHILD = '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const BRADFORD_COUNCIL = 'urn:jigsaw:org:council:bradford';

/** A council episode event (plan or care) as the hub records it, shared with health for health care. */
function aCouncilEvent(
  type: string,
  id: string,
  data: Record<string, unknown>,
  overrides: { source?: string; childid?: string } = {},
): RecordedEvent {
  const source = overrides.source ?? LEEDS_COUNCIL;
  return {
    specversion: '1.0',
    id,
    source,
    type,
    time: '2025-01-15T10:00:00Z',
    dataschema: dataschemaFor(type, 1),
    subject: { nhsNumber: '9434765919' },
    sharing: {
      basis: { lawfulBasis: 'public-task', regime: 'uk-gdpr', specialCategory: false },
      consent: { status: 'not-sought', reason: 'Child protection information sharing (CP-IS)' },
      purposes: ['health-care', 'safeguarding'],
      audience: [{ agency: 'health' }, { agency: 'education' }],
      sensitivity: 'standard',
      decidedBy: { role: 'team manager', organisation: source },
    },
    data,
    childid: overrides.childid ?? CHILD,
    recordedtime: '2025-01-15T10:00:01Z',
  };
}

const planStarted = (id: string, startDate: string, overrides?: { source?: string; childid?: string }) =>
  aCouncilEvent(
    'council.child-protection-plan-started',
    id,
    {
      startDate,
      category: 'NEG',
      contact: { team: 'Leeds CP team', phone: '0113 222 4403', outOfHoursPhone: '0113 535 0600' },
    },
    overrides,
  );
const planEnded = (
  id: string,
  startDate: string,
  endDate: string,
  overrides?: { source?: string; childid?: string },
) =>
  aCouncilEvent(
    'council.child-protection-plan-ended',
    id,
    { startDate, endDate, reason: 'Risk reduced' },
    overrides,
  );

const clinician = aViewer({
  agency: 'health',
  organisation: 'urn:jigsaw:org:health:leeds-teaching',
  role: 'clinician',
  purpose: 'health-care',
  userId: 'clinician-1',
});
const owner = aViewer({
  agency: 'council',
  organisation: LEEDS_COUNCIL,
  role: 'social-worker',
  purpose: 'health-care',
});
const auditor = aViewer({
  agency: 'health',
  organisation: clinician.organisation,
  role: 'auditor',
  purpose: 'audit',
});

function stateOf(history: RecordedEvent[], event: RecordedEvent): SharingState {
  return sharingStateIn(foldSharingLedger(history), eventKey(event.source, event.id))!;
}

describe('when sharing ends: 12 months after a child protection plan ends, as CP-IS does', () => {
  const started = planStarted('cpp-start-1', '2024-09-02');
  const ended = planEnded('cpp-end-1', '2024-09-02', '2025-01-15');
  const history = [started, ended];
  const lastMoment = new Date('2026-01-14T23:59:59.999Z');
  const anniversary = new Date('2026-01-15T00:00:00.000Z');

  it("shows a clinician the plan's start and end until the day 12 months after it ended", () => {
    for (const event of history) {
      expect(decideRelated(clinician, event, stateOf(history, event), lastMoment)).toEqual({
        visible: true,
        level: 'full',
        reason: 'shared',
      });
      expect(decideRelated(clinician, event, stateOf(history, event), anniversary)).toEqual({
        visible: false,
        reason: 'expired',
      });
    }
  });

  it('keeps the plan shared while it has not ended, however old it is', () => {
    expect(
      decideRelated(clinician, started, stateOf([started], started), new Date('2030-01-01T00:00:00Z')),
    ).toMatchObject({ visible: true, reason: 'shared' });
    expect(stateOf([started], started).sharingEndsAt).toBeUndefined();
  });

  it('still shows the council its own plan, as expired, and auditors its skeleton', () => {
    const state = stateOf(history, started);
    expect(state.sharingEndsAt).toBe('2026-01-15T00:00:00.000Z');
    expect(redactRelated(owner, started, state, anniversary)).toMatchObject({
      reason: 'owner',
      standing: { expired: true },
    });
    expect(redactRelated(owner, started, state, lastMoment)).toMatchObject({
      standing: { expired: false },
    });
    expect(decideRelated(auditor, started, state, anniversary)).toMatchObject({
      reason: 'audit-skeleton',
    });
  });

  it("ends only that plan: not another plan of the child's, nor another child's or another council's", () => {
    const later = planStarted('cpp-start-2', '2025-06-01');
    const otherChild = planStarted('cpp-start-3', '2024-09-02', { childid: OTHER_CHILD });
    const otherCouncil = planStarted('cpp-start-4', '2024-09-02', { source: BRADFORD_COUNCIL });
    const all = [started, later, otherChild, otherCouncil, ended];
    expect(decideRelated(clinician, started, stateOf(all, started), anniversary).reason).toBe('expired');
    for (const event of [later, otherChild, otherCouncil]) {
      expect(decideRelated(clinician, event, stateOf(all, event), anniversary).reason).toBe('shared');
    }
  });

  it('ends only an episode of its own type: a care episode that started the same day stays shared', () => {
    const care = aCouncilEvent('council.looked-after-started', 'lac-same-day', {
      startDate: '2024-09-02',
      legalStatus: 'C2',
    });
    const all = [started, care, ended];
    expect(stateOf(all, care).sharingEndsAt).toBeUndefined();
    expect(decideRelated(clinician, care, stateOf(all, care), anniversary).reason).toBe('shared');
    expect(decideRelated(clinician, started, stateOf(all, started), anniversary).reason).toBe('expired');
  });

  it('changes nothing when the end arrives twice', () => {
    expect(stateOf([started, ended, ended], started)).toEqual(stateOf(history, started));
  });

  it('applies the same rule to a care episode', () => {
    const care = aCouncilEvent('council.looked-after-started', 'lac-1', {
      startDate: '2023-05-10',
      legalStatus: 'C2',
    });
    const left = aCouncilEvent('council.looked-after-ended', 'lac-2', {
      startDate: '2023-05-10',
      endDate: '2024-11-30',
      reasonCode: 'E4A',
    });
    const state = stateOf([care, left], care);
    expect(state.sharingEndsAt).toBe('2025-11-30T00:00:00.000Z');
    expect(decideRelated(clinician, care, state, new Date('2025-11-29T12:00:00Z')).reason).toBe('shared');
    expect(decideRelated(clinician, care, state, new Date('2025-11-30T00:00:00Z')).reason).toBe('expired');
  });
});

describe('what an event says about its episode', () => {
  it('ties an end to its start by the start day, whatever the time given with it', () => {
    const started = planStarted('cpp-start-t', '2024-09-02T09:30:00+01:00');
    const ended = planEnded('cpp-end-t', '2024-09-02', '2025-01-15');
    expect(episodeOf(started)).toMatchObject({ startDate: '2024-09-02' });
    expect(episodeOf(started)).not.toHaveProperty('sharingEndsAt');
    expect(stateOf([started, ended], started).sharingEndsAt).toBe('2026-01-15T00:00:00.000Z');
  });

  it('ends sharing at once when an end gives no end date, so a mistake fails closed', () => {
    const started = planStarted('cpp-start-u', '2024-09-02');
    const ended = aCouncilEvent('council.child-protection-plan-ended', 'cpp-end-u', {
      startDate: '2024-09-02',
    });
    expect(episodeOf(ended)?.sharingEndsAt).toBe('1970-01-01T00:00:00.000Z');
    expect(stateOf([started, ended], started).sharingEndsAt).toBe('1970-01-01T00:00:00.000Z');
  });

  it('knows no episode for another type, data that is not an object, or no start date', () => {
    expect(
      episodeOf({ type: 'council.referral-received', data: { startDate: '2024-09-02' } }),
    ).toBeUndefined();
    expect(episodeOf({ type: 'council.child-protection-plan-started', data: '2024-09-02' })).toBeUndefined();
    expect(
      episodeOf({ type: 'council.child-protection-plan-ended', data: { endDate: '2025-01-15' } }),
    ).toBeUndefined();
    expect(
      episodeOf({
        type: 'council.looked-after-ended',
        data: { startDate: '2023-05-10', endDate: '2024-11-30' },
      }),
    ).toEqual({
      rule: { start: 'council.looked-after-started', end: 'council.looked-after-ended', months: 12 },
      startDate: '2023-05-10',
      sharingEndsAt: '2025-11-30T00:00:00.000Z',
    });
  });
});

describe('sharingEndsAfter', () => {
  it('is the start of the anniversary day in England, in winter and in summer time', () => {
    expect(sharingEndsAfter('2025-01-15', 12)).toBe('2026-01-15T00:00:00.000Z');
    // 30 June 2026 is in British Summer Time: midnight there is 23:00 UTC the day before.
    expect(sharingEndsAfter('2025-06-30', 12)).toBe('2026-06-29T23:00:00.000Z');
    // Clocks go forward on 29 March 2026, so 31 March is in summer time.
    expect(sharingEndsAfter('2025-03-31', 12)).toBe('2026-03-30T23:00:00.000Z');
  });

  it('lands a 29 February on the 28th, and crosses year ends', () => {
    expect(sharingEndsAfter('2024-02-29', 12)).toBe('2025-02-28T00:00:00.000Z');
    expect(sharingEndsAfter('2025-11-30', 3)).toBe('2026-02-28T00:00:00.000Z');
  });

  it('ends sharing at once for a date it cannot read', () => {
    expect(sharingEndsAfter('not a date', 12)).toBe('1970-01-01T00:00:00.000Z');
    expect(sharingEndsAfter('2025-02-30', 12)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('reads a date only at the start of the value, and refuses a month that is not one', () => {
    expect(sharingEndsAfter('ended 2025-01-15', 12)).toBe('1970-01-01T00:00:00.000Z');
    // 13 January would be 1 January of the next year, a real day: the month itself must be real.
    expect(sharingEndsAfter('2025-13-01', 12)).toBe('1970-01-01T00:00:00.000Z');
    expect(sharingEndsAfter('2025-01-15T09:30:00Z', 12)).toBe('2026-01-15T00:00:00.000Z');
  });
});

describe("when sharing ends: at the event's own `until`", () => {
  const ending = anIncidentNotified({ sharing: { until: '2026-05-01T00:00:00Z' } });
  const state = stateOf([ending], ending);
  const dsl = aViewer();
  const met = aViewer({ agency: 'police', organisation: MET, role: 'police-officer' });

  it('shares up to the instant before `until`, and from `until` only the owner and auditors see it', () => {
    expect(decideRelated(dsl, ending, state, new Date('2026-04-30T23:59:59.999Z')).reason).toBe('shared');
    expect(decideRelated(dsl, ending, state, new Date('2026-05-01T00:00:00Z'))).toEqual({
      visible: false,
      reason: 'expired',
    });
    expect(decideRelated(met, ending, state, new Date('2027-01-01T00:00:00Z')).reason).toBe('owner');
    const audit = aViewer({ role: 'auditor', purpose: 'audit' });
    expect(decideRelated(audit, ending, state, new Date('2027-01-01T00:00:00Z')).reason).toBe(
      'audit-skeleton',
    );
  });
});
