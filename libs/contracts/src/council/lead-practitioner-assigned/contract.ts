import type { Contract } from '../../contract.js';

export const LEAD_PRACTITIONER_ASSIGNED = 'council.lead-practitioner-assigned';

/** The whole point of this event is that partners can reach the practitioner: everyone gets all of it. */
const ALL = ['assignedDate', 'name', 'role', 'team', 'phone', 'secureEmail'];

export const leadPractitionerAssigned = {
  type: LEAD_PRACTITIONER_ASSIGNED,
  source: 'council',
  schema: 'schemas/council/lead-practitioner-assigned/v1.json',
  audience: {
    council: ALL,
    police: ALL,
    health: ALL,
    education: ALL,
  },
  personalData: [],
  kept: ['name', 'role', 'team'],
  label: 'Lead practitioner assigned',
  view: { at: ['assignedDate'], concern: false },
} satisfies Contract<typeof LEAD_PRACTITIONER_ASSIGNED>;
