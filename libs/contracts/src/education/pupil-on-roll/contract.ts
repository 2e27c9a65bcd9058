import type { Contract } from '../../contract.js';

export const PUPIL_ON_ROLL = 'education.pupil-on-roll';

export const pupilOnRoll = {
  type: PUPIL_ON_ROLL,
  source: 'education',
  schema: 'schemas/education/pupil-on-roll/v1.json',
  /**
   * Which school a child attends and whom to call there is what every partner needs to bring the school
   * in: police to send Operation Encompass notifications, the council to invite the school to
   * conferences, health (school nursing) to know the year group. Another school sees when the pupil
   * joined, for in-year transfers.
   */
  audience: {
    council: ['school', 'onRollFrom', 'yearGroup', 'dsl'],
    police: ['school', 'dsl'],
    health: ['school', 'yearGroup'],
    education: ['school', 'onRollFrom'],
  },
  personalData: [],
  kept: ['school.name', 'dsl.name'],
  label: 'On a school roll',
  view: { at: ['onRollFrom'], concern: false },
} satisfies Contract<typeof PUPIL_ON_ROLL>;
