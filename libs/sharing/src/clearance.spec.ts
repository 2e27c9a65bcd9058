import { describe, expect, it } from '@jest/globals';
import { ROLES, SENSITIVITIES, type Role, type Sensitivity } from '@jigsaw/envelope';
import type { SharingState } from './sharing-state.js';
import { anIncidentNotified, aViewer } from './testing/events.factory.js';
import { decideRelated } from './testing/related.js';

const NOW = new Date('2026-11-21T08:00:00Z');
const IN_FORCE: SharingState = { corrections: {}, corrected: [], markers: [] };

/**
 * The intended clearance table, written out here rather than read from `CLEARANCE`, so that a changed
 * table fails: the highest sensitivity each role sees when the audience only names its agency, and
 * when the audience names the role itself.
 */
const INTENDED: Readonly<Record<Role, { open: Sensitivity | 'none'; named: Sensitivity | 'none' }>> = {
  // Trained safeguarding practitioners: sensitive by default, restricted only when the sharer names them.
  'social-worker': { open: 'sensitive', named: 'restricted' },
  'team-manager': { open: 'sensitive', named: 'restricted' },
  'mash-officer': { open: 'sensitive', named: 'restricted' },
  'designated-safeguarding-lead': { open: 'sensitive', named: 'restricted' },
  clinician: { open: 'sensitive', named: 'restricted' },
  'health-visitor': { open: 'sensitive', named: 'restricted' },
  'school-nurse': { open: 'sensitive', named: 'restricted' },
  'police-officer': { open: 'sensitive', named: 'restricted' },
  // Not safeguarding-trained: standard records only, named or not.
  teacher: { open: 'standard', named: 'standard' },
  // No professional judgement of its own: sensitive only when named, restricted never.
  'agency-system': { open: 'standard', named: 'sensitive' },
  // Audit roles read through the audit purpose (skeletons) and see no data through any other.
  auditor: { open: 'none', named: 'none' },
  'data-protection-officer': { open: 'none', named: 'none' },
  'review-panel': { open: 'none', named: 'none' },
};

const RANK = ['none', ...SENSITIVITIES];
const cleared = (highest: Sensitivity | 'none', sensitivity: Sensitivity): boolean =>
  RANK.indexOf(highest) >= RANK.indexOf(sensitivity);

const cases = ROLES.flatMap((role) =>
  SENSITIVITIES.flatMap((sensitivity) =>
    (['open', 'named'] as const).map((how) => [role, sensitivity, how] as const),
  ),
);

describe('the clearance table, role by role, for each sensitivity', () => {
  it('covers every role', () => {
    expect(Object.keys(INTENDED).sort()).toEqual([...ROLES].sort());
  });

  it.each(cases)('%s, %s record, audience %s', (role, sensitivity, how) => {
    const viewer = aViewer({ role });
    const event = anIncidentNotified({
      sharing: {
        sensitivity,
        audience: [how === 'named' ? { agency: 'education', roles: [role] } : { agency: 'education' }],
      },
    });
    const decision = decideRelated(viewer, event, IN_FORCE, NOW);
    if (cleared(INTENDED[role][how], sensitivity)) {
      expect(decision).toEqual({ visible: true, level: 'full', reason: 'shared' });
    } else {
      expect(decision).toEqual({ visible: false, reason: 'role-not-cleared' });
    }
  });

  it('never clears an agency system for a restricted record, even when the sharer names it', () => {
    const system = aViewer({ role: 'agency-system' });
    const named = anIncidentNotified({
      sharing: { sensitivity: 'restricted', audience: [{ agency: 'education', roles: ['agency-system'] }] },
    });
    expect(decideRelated(system, named, IN_FORCE, NOW).reason).toBe('role-not-cleared');
  });

  it('never clears a data protection officer for a sensitive record outside the audit purpose', () => {
    const dpo = aViewer({ role: 'data-protection-officer', purpose: 'safeguarding' });
    for (const audience of [
      [{ agency: 'education' as const }],
      [{ agency: 'education' as const, roles: ['data-protection-officer' as const] }],
    ]) {
      const event = anIncidentNotified({ sharing: { sensitivity: 'sensitive', audience } });
      expect(decideRelated(dpo, event, IN_FORCE, NOW).reason).toBe('role-not-cleared');
    }
  });
});

describe('an audience that lists the same agency twice', () => {
  it('gives a role named in one entry its named clearance, though another entry is open to the agency', () => {
    const restricted = anIncidentNotified({
      sharing: {
        sensitivity: 'restricted',
        audience: [{ agency: 'education' }, { agency: 'education', roles: ['designated-safeguarding-lead'] }],
      },
    });
    expect(decideRelated(aViewer(), restricted, IN_FORCE, NOW)).toEqual({
      visible: true,
      level: 'full',
      reason: 'shared',
    });
  });

  it('gives a role named in the second entry its named clearance, though the first names only others', () => {
    const restricted = anIncidentNotified({
      sharing: {
        sensitivity: 'restricted',
        audience: [
          { agency: 'education', roles: ['teacher'] },
          { agency: 'education', roles: ['designated-safeguarding-lead'] },
        ],
      },
    });
    expect(decideRelated(aViewer(), restricted, IN_FORCE, NOW).visible).toBe(true);
  });

  it('lets in a role that an open entry admits, though another entry names only other roles', () => {
    const sensitive = anIncidentNotified({
      sharing: { audience: [{ agency: 'education', roles: ['teacher'] }, { agency: 'education' }] },
    });
    expect(decideRelated(aViewer(), sensitive, IN_FORCE, NOW)).toEqual({
      visible: true,
      level: 'full',
      reason: 'shared',
    });
  });

  it('keeps out a role that no entry for the agency admits', () => {
    const sensitive = anIncidentNotified({
      sharing: {
        audience: [
          { agency: 'education', roles: ['teacher'] },
          { agency: 'education', roles: ['school-nurse'] },
          { agency: 'council' },
        ],
      },
    });
    expect(decideRelated(aViewer(), sensitive, IN_FORCE, NOW).reason).toBe('role-not-in-audience');
  });
});
