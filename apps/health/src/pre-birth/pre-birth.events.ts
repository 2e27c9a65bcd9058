import { BIRTH_LINKED, PRE_BIRTH_CONCERN_RAISED } from '@jigsaw/contracts';
import type { FieldProblem } from '@jigsaw/errors';
import { birthDateProblems, notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';
import { specialCategoryRequired } from '../special-category.rule.js';

/** A full-term pregnancy is at most 42 weeks; a delivery date further off than that is a typing error. */
const MAX_PREGNANCY_MS = 42 * 7 * 24 * 3600_000;

/**
 * The unborn child has no NHS number: the subject is the mother's, with the pregnancy as a local id so
 * that the birth can later be linked to this record (and only this pregnancy's records).
 */
export const preBirthConcernRaised: EventTypeDefinition<typeof PRE_BIRTH_CONCERN_RAISED> = {
  type: PRE_BIRTH_CONCERN_RAISED,
  version: 1,
  rules: (envelope, { now }) => {
    const { data, subject } = envelope;
    const problems: FieldProblem[] = [
      ...specialCategoryRequired(envelope),
      ...notInFuture('data.raisedAt', data.raisedAt, now),
    ];
    if (!subject.localIds?.length) {
      problems.push({
        field: 'subject.localIds',
        reason: 'must name the pregnancy, since an unborn child has no NHS number',
      });
    }
    if (Date.parse(data.expectedDeliveryDate) - Date.parse(data.raisedAt) > MAX_PREGNANCY_MS) {
      problems.push({
        field: 'data.expectedDeliveryDate',
        reason: 'must be within 42 weeks of data.raisedAt',
      });
    }
    return problems;
  },
};

export const birthLinked: EventTypeDefinition<typeof BIRTH_LINKED> = {
  type: BIRTH_LINKED,
  version: 1,
  rules: (envelope, { now }) => {
    const problems: FieldProblem[] = [
      ...specialCategoryRequired(envelope),
      ...birthDateProblems('data.birthDate', envelope.data.birthDate, now),
    ];
    if (!envelope.subject.nhsNumber) {
      problems.push({
        field: 'subject.nhsNumber',
        reason: 'is required: the subject is the baby, by its new NHS number',
      });
    }
    const ref = envelope.data.unbornRef;
    if (envelope.subject.localIds?.some((id) => id.system === ref.system && id.value === ref.value)) {
      // Linking a record to itself would merge the pregnancy into the baby without a link to follow.
      problems.push({ field: 'data.unbornRef', reason: "must not be one of the baby's own local ids" });
    }
    return problems;
  },
};
