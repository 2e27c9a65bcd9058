import type { Contract } from '../../contract.js';

export const WAS_NOT_BROUGHT = 'health.was-not-brought';

export const wasNotBrought = {
  type: WAS_NOT_BROUGHT,
  source: 'health',
  schema: 'schemas/health/was-not-brought/v1.json',
  /**
   * Repeated missed appointments are a sign of neglect the council should see, with the kind of appointment
   * and service (a missed dental check is not a missed oncology review). Schools and police: nothing.
   */
  audience: {
    council: ['appointmentAt', 'appointmentType', 'service'],
    health: ['appointmentAt', 'appointmentType', 'service'],
  },
  personalData: ['appointmentType'],
  kept: ['service'],
  label: 'Not brought to an appointment',
  view: { at: ['appointmentAt'], concern: true },
} satisfies Contract<typeof WAS_NOT_BROUGHT>;
