import { describe, expect, it } from '@jest/globals';
import type { Contract } from './contract.js';
import { CONTRACTS } from './registry.js';

/**
 * The records the child view counts as an agency raising a concern about the child, written out here as
 * the independent statement a change to a contract's `view.concern` must also change (as
 * `libs/sharing/src/allow-lists.spec.ts` is for the audiences). Everything else an agency records is
 * context: a plan, a period of care, a referral's outcome, a school place.
 */
const CONCERNS = [
  // Somebody asked the council to act.
  'council.referral-received',
  // The police attended an incident, suspect exploitation, or a child went missing.
  'police.domestic-abuse-incident-notified',
  'police.exploitation-concern-raised',
  'police.missing-episode-started',
  // A practitioner's worry, before or after birth; appointments the child was not brought to.
  'health.practitioner-concern-raised',
  'health.pre-birth-concern-raised',
  'health.was-not-brought',
  // Attendance, a child missing from education, a school's own safeguarding concern.
  'education.attendance-concern-raised',
  'education.child-missing-education-reported',
  'education.safeguarding-concern-recorded',
].sort();

describe('view facts: which records are concerns', () => {
  const contracts: readonly Contract[] = Object.values<Contract>(CONTRACTS);

  it('counts exactly the records written out here as concerns, and every other agency record as context', () => {
    const withFacts = contracts.filter((c) => c.view !== null);
    expect(
      withFacts
        .filter((c) => c.view!.concern)
        .map((c) => c.type)
        .sort(),
    ).toEqual(CONCERNS);
    expect(withFacts.filter((c) => !c.view!.concern).length).toBe(withFacts.length - CONCERNS.length);
  });

  it('gives view facts to the agencies’ records only, never to the hub’s own events or control kinds', () => {
    for (const contract of contracts) {
      const agencyRecord = contract.source !== 'hub' && contract.source !== 'control';
      // A protective marker shapes what others see; it is not an entry of its own in the view.
      const marker = contract.type.startsWith('police.protective-marker-');
      expect({ type: contract.type, facts: contract.view !== null }).toEqual({
        type: contract.type,
        facts: agencyRecord && !marker,
      });
    }
  });
});
