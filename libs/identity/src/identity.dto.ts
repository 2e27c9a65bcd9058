import {
  IsNotEmpty,
  IsString,
  IsUUID,
  MaxLength,
  Validate,
  type ValidatorConstraintInterface,
  ValidatorConstraint,
} from 'class-validator';
import { IsNhsNumber } from './identifier.validators.js';

/** An NHS number (10 digits, spaced or not) or a UPN-shaped token: never to be stored in a reason. */
const IDENTIFIER_LIKE = /\d{3}[\s-]?\d{3}[\s-]?\d{4}|\b[A-Z]\d{11}[0-9A-Z]\b/i;

@ValidatorConstraint({ name: 'noIdentifiers' })
export class NoIdentifiers implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && !IDENTIFIER_LIKE.test(value);
  }
  defaultMessage(): string {
    return 'must not contain an NHS number or UPN: identity events carry hub child ids only';
  }
}

/** Why: every identity decision states it, in words that will be kept with the decision. */
export class ReasonDto {
  @IsString() @IsNotEmpty() @MaxLength(1000) @Validate(NoIdentifiers) reason!: string;
}

export class MergeDto extends ReasonDto {
  /** The record that stays. */
  @IsUUID() childId!: string;
  /** The record joined into it. */
  @IsUUID() mergedChildId!: string;
}

export class UnbornLinkDto extends ReasonDto {
  /** The baby. */
  @IsUUID() childId!: string;
  /** The unborn child's record (the pregnancy). */
  @IsUUID() unbornChildId!: string;
}

export class RenumberDto extends ReasonDto {
  @IsNhsNumber() previousNhsNumber!: string;
  @IsNhsNumber() nhsNumber!: string;
}
