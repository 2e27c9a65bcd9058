import type { Contract } from '../../contract.js';

export const UNSCHEDULED_CARE_ATTENDED = 'health.unscheduled-care-attended';

export const unscheduledCareAttended = {
  type: UNSCHEDULED_CARE_ATTENDED,
  source: 'health',
  schema: 'schemas/health/unscheduled-care-attended/v1.json',
  /**
   * CP-IS tells the council that a child on a plan or looked after attended, where and when. The council
   * here also gets the coded reason and the outcome: an injury type is what tells a social worker whether
   * to call the department now, and Sch 1 para 18 covers that. Another health professional caring for
   * the child sees everything. Schools and police get nothing: an attendance is clinical detail they do
   * not need; if it matters, the council's strategy discussion shares what is necessary.
   */
  audience: {
    council: ['setting', 'arrivedAt', 'reason', 'site', 'outcome'],
    health: ['setting', 'arrivedAt', 'reason', 'site', 'outcome'],
  },
  // Why the child came in, coded and in words; the code system is not about the child.
  personalData: ['reason.code', 'reason.display'],
  kept: ['site.name'],
  label: 'Unscheduled care attendance',
  view: { at: ['arrivedAt'], concern: false },
} satisfies Contract<typeof UNSCHEDULED_CARE_ATTENDED>;
