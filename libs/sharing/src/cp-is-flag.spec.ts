import { describe, expect, it } from '@jest/globals';
import { ROLES, PURPOSES, type Agency } from '@jigsaw/envelope';
import { decideCpisFlag, readsMinimalFlag, shownOn, type HeldCareStatus } from './cp-is-flag.js';
import { aViewer, LEEDS_COUNCIL, LEEDS_TEACHING } from './testing/events.factory.js';

const YORK = 'urn:jigsaw:org:council:york';
const CONTACT = { team: 'Leeds MASH', phone: '0113 222 3333', outOfHoursPhone: '0113 240 9536' };
const TODAY = '2026-12-01';
const clinician = aViewer({
  agency: 'health',
  organisation: LEEDS_TEACHING,
  role: 'clinician',
  purpose: 'health-care',
});
const plan = (overrides: Partial<HeldCareStatus> = {}): HeldCareStatus => ({
  kind: 'child-protection-plan',
  council: LEEDS_COUNCIL,
  startDate: '2026-06-02',
  contact: CONTACT,
  visible: false,
  ...overrides,
});

describe('the CP-IS minimal-flag rule: who may read it', () => {
  it('is a clinician, in health, reading for health care, and nobody else', () => {
    const agencies: Agency[] = ['council', 'police', 'health', 'education'];
    for (const agency of agencies) {
      for (const role of ROLES) {
        for (const purpose of PURPOSES) {
          const expected = agency === 'health' && role === 'clinician' && purpose === 'health-care';
          expect(readsMinimalFlag(aViewer({ agency, role, purpose }))).toBe(expected);
        }
      }
    }
  });
});

describe('the CP-IS flag has three states', () => {
  it('answers not-flagged when the hub holds no plan or care shown today', () => {
    expect(decideCpisFlag(clinician, [], TODAY)).toEqual({ state: 'not-flagged' });
    const longEnded = plan({ endDate: '2025-11-30', visible: true });
    expect(decideCpisFlag(clinician, [longEnded], TODAY)).toEqual({ state: 'not-flagged' });
    const notYet = plan({ startDate: '2026-12-02', visible: true });
    expect(decideCpisFlag(clinician, [notYet], TODAY)).toEqual({ state: 'not-flagged' });
  });

  it('answers not-visible, never not-flagged, when a plan exists that the viewer may not see', () => {
    const socialCare = aViewer({ agency: 'health', role: 'clinician', purpose: 'safeguarding' });
    expect(decideCpisFlag(socialCare, [plan()], TODAY)).toEqual({ state: 'not-visible' });
    const school = aViewer({
      agency: 'education',
      role: 'designated-safeguarding-lead',
      purpose: 'health-care',
    });
    expect(decideCpisFlag(school, [plan()], TODAY)).toEqual({ state: 'not-visible' });
  });

  it('answers flagged with what the viewer may see, by the sharing policy, first', () => {
    const seen = plan({ visible: true });
    const unseen = plan({ kind: 'looked-after', council: YORK, visible: false });
    expect(decideCpisFlag(clinician, [seen, unseen], TODAY)).toEqual({
      state: 'flagged',
      rule: 'shared',
      statuses: [seen],
    });
  });

  it('gives unscheduled care the minimal flag: status, since when, and the council to call, nothing more', () => {
    const held = plan({ endDate: '2026-03-01' });
    const care = plan({ kind: 'looked-after', council: YORK, startDate: '2026-04-01', contact: undefined });
    expect(decideCpisFlag(clinician, [held, care], TODAY)).toEqual({
      state: 'flagged',
      rule: 'cp-is-minimal-flag',
      statuses: [
        { kind: 'child-protection-plan', since: '2026-06-02', ended: '2026-03-01', current: false },
        { kind: 'looked-after', since: '2026-04-01', current: true },
      ],
      // York's care is in force: York is the council to call, and it gave no contact.
      council: { organisation: YORK },
    });
  });

  it('names the council whose status ended last when none is in force, with its contact', () => {
    const older = plan({ council: YORK, startDate: '2025-01-01', endDate: '2026-01-10', contact: undefined });
    const later = plan({ startDate: '2026-02-01', endDate: '2026-11-30' });
    const answer = decideCpisFlag(clinician, [older, later], TODAY);
    expect(answer).toMatchObject({ council: { organisation: LEEDS_COUNCIL, contact: CONTACT } });
    expect(decideCpisFlag(clinician, [later, older], TODAY)).toMatchObject({
      council: { organisation: LEEDS_COUNCIL, contact: CONTACT },
    });
    expect(answer).toMatchObject({ statuses: [{ current: false }, { current: false }] });
  });

  it('counts a plan ending today as in force, and one ending yesterday as ended', () => {
    expect(decideCpisFlag(clinician, [plan({ endDate: TODAY })], TODAY)).toMatchObject({
      statuses: [{ current: true }],
    });
    expect(decideCpisFlag(clinician, [plan({ endDate: '2026-11-30' })], TODAY)).toMatchObject({
      statuses: [{ current: false }],
    });
  });
});

describe('how long CP-IS shows a status', () => {
  it('from its start, until twelve months after its end, the last day included', () => {
    const ended = plan({ startDate: '2025-01-01', endDate: '2025-12-01' });
    expect(shownOn(ended, '2024-12-31')).toBe(false);
    expect(shownOn(ended, '2025-01-01')).toBe(true);
    expect(shownOn(ended, '2026-12-01')).toBe(true);
    expect(shownOn(ended, '2026-12-02')).toBe(false);
    expect(shownOn(plan(), '2099-01-01')).toBe(true);
  });
});
