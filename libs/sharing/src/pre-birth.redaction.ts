import { allowFields, type FieldAllowList } from './field-allow-list.js';
import { registerRedaction } from './redaction.js';

export const PRE_BIRTH_CONCERN_RAISED = 'health.pre-birth-concern-raised';
export const BIRTH_LINKED = 'health.birth-linked';

/**
 * A pre-birth concern is about the mother's health as much as the baby's: only the council (which holds
 * the pre-birth assessment) and health see it. The birth link tells the council the baby is born and
 * when; the pregnancy's local id means nothing outside health, and the hub follows the link itself.
 */
export const PRE_BIRTH_CONCERN_FIELDS: FieldAllowList = {
  council: ['raisedAt', 'expectedDeliveryDate', 'role', 'summary'],
  health: ['raisedAt', 'expectedDeliveryDate', 'role', 'summary'],
};

export const BIRTH_LINKED_FIELDS: FieldAllowList = {
  council: ['birthDate'],
  health: ['birthDate', 'unbornRef'],
};

export const preBirthConcernRedaction = allowFields(PRE_BIRTH_CONCERN_FIELDS);
export const birthLinkedRedaction = allowFields(BIRTH_LINKED_FIELDS);
registerRedaction(PRE_BIRTH_CONCERN_RAISED, preBirthConcernRedaction);
registerRedaction(BIRTH_LINKED, birthLinkedRedaction);
