import type { Contract } from '../../contract.js';

export const SUSPENSION_RECORDED = 'education.suspension-recorded';

export const suspensionRecorded = {
  type: SUSPENSION_RECORDED,
  source: 'education',
  schema: 'schemas/education/suspension-recorded/v1.json',
  /**
   * A suspended child is out of school and more exposed (exploitation, harm at home), which police and
   * health need to know: when and for how long, not why. The council (and a receiving school) also get
   * the DfE reason; the narrative stays with the council.
   */
  audience: {
    council: ['school', 'startDate', 'days', 'reasonCode', 'summary'],
    police: ['school', 'startDate', 'days'],
    health: ['school', 'startDate', 'days'],
    education: ['school', 'startDate', 'days', 'reasonCode'],
  },
  personalData: ['summary'],
  kept: ['school.name'],
  label: 'Suspension',
  view: { at: ['startDate'], concern: false },
} satisfies Contract<typeof SUSPENSION_RECORDED>;
