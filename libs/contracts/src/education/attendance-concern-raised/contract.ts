import type { Contract } from '../../contract.js';

export const ATTENDANCE_CONCERN_RAISED = 'education.attendance-concern-raised';

export const attendanceConcernRaised = {
  type: ATTENDANCE_CONCERN_RAISED,
  source: 'education',
  schema: 'schemas/education/attendance-concern-raised/v1.json',
  /**
   * Absence is a risk indicator for everyone; the council's attendance and social care teams also need
   * the school's account of it. Others see the figure and the period, not the narrative about the family.
   */
  audience: {
    council: ['school', 'attendancePercent', 'period', 'summary'],
    police: ['school', 'attendancePercent', 'period'],
    health: ['school', 'attendancePercent', 'period'],
    education: ['school', 'attendancePercent', 'period', 'summary'],
  },
  personalData: ['summary'],
  kept: ['school.name'],
  label: 'Attendance concern',
  view: { at: ['period.to'], concern: true },
} satisfies Contract<typeof ATTENDANCE_CONCERN_RAISED>;
