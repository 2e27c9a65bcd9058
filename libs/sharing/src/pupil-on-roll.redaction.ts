import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const PUPIL_ON_ROLL = 'education.pupil-on-roll';

/**
 * Which school a child attends and whom to call there is what every partner needs to bring the school
 * in: police to send Operation Encompass notifications, the council to invite the school to
 * conferences, health (school nursing) to know the year group. Another school sees when the pupil
 * joined, for in-year transfers.
 */
export const PUPIL_ON_ROLL_FIELDS: FieldAllowList = {
  council: ['school', 'onRollFrom', 'yearGroup', 'dsl'],
  police: ['school', 'dsl'],
  health: ['school', 'yearGroup'],
  education: ['school', 'onRollFrom'],
};

export const pupilOnRollRedaction = allowFields(PUPIL_ON_ROLL_FIELDS);
registerRedaction(PUPIL_ON_ROLL, pupilOnRollRedaction);
