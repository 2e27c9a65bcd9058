import { Type } from 'class-transformer';
import {
  IsDateString,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { FieldProblem } from '@jigsaw/errors';
import { birthDateProblems, notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';
import { specialCategoryRequired } from '../special-category.rule.js';

export const PRE_BIRTH_CONCERN_RAISED = 'health.pre-birth-concern-raised';
export const BIRTH_LINKED = 'health.birth-linked';

/** A full-term pregnancy is at most 42 weeks; a delivery date further off than that is a typing error. */
const MAX_PREGNANCY_MS = 42 * 7 * 24 * 3600_000;

export class PreBirthConcernRaisedData {
  @IsISO8601({ strict: true }, { message: 'raisedAt must be a real date and time (RFC 3339)' })
  raisedAt!: string;
  @IsDateString({ strict: true }, { message: 'expectedDeliveryDate must be a real date (YYYY-MM-DD)' })
  expectedDeliveryDate!: string;
  @IsOptional() @IsIn(['midwife', 'health-visitor', 'gp', 'clinician']) role?: string;
  @IsString() @IsNotEmpty() @MaxLength(500) summary!: string;
}

export class UnbornRefDto {
  @IsString() @IsNotEmpty() @MaxLength(100) system!: string;
  @IsString() @IsNotEmpty() @MaxLength(100) value!: string;
}

/** The event's subject is the baby (new NHS number); `unbornRef` is the pregnancy's local id. */
export class BirthLinkedData {
  @IsDateString({ strict: true }, { message: 'birthDate must be a real date (YYYY-MM-DD)' })
  birthDate!: string;
  @ValidateNested() @Type(() => UnbornRefDto) unbornRef!: UnbornRefDto;
}

/**
 * The unborn child has no NHS number: the subject is the mother's, with the pregnancy as a local id so
 * that the birth can later be linked to this record (and only this pregnancy's records).
 */
export const preBirthConcernRaised: EventTypeDefinition<PreBirthConcernRaisedData> = {
  type: PRE_BIRTH_CONCERN_RAISED,
  version: 1,
  dataDto: PreBirthConcernRaisedData,
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

export const birthLinked: EventTypeDefinition<BirthLinkedData> = {
  type: BIRTH_LINKED,
  version: 1,
  dataDto: BirthLinkedData,
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
