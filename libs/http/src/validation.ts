import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ErrorCode, JigsawError, type FieldProblem } from '@jigsaw/errors';

/** Flattens class-validator's tree into one problem per field, named by its dotted path. */
export function fieldProblems(errors: readonly ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      // class-validator starts each message with the property name; the field is named already.
      reason: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

export function validationFailed(problems: readonly FieldProblem[]): JigsawError {
  const fields = [...new Set(problems.map((p) => p.field))];
  return new JigsawError(ErrorCode.ValidationFailed, `invalid input: ${fields.join(', ')}`, problems);
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => validationFailed(fieldProblems(errors)),
  });
}

/** Validates a plain value against a DTO class, with the same rules as the global pipe. */
export async function validateDto<T extends object>(
  dtoClass: new () => T,
  value: unknown,
  prefix = '',
): Promise<FieldProblem[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ field: prefix || '(body)', reason: 'must be an object' }];
  }
  const instance = plainToInstance(dtoClass, value);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  return fieldProblems(errors, prefix);
}

/** Keeps the first reason given for each field: JSON Schema and class-validator often agree. */
export function mergeProblems(...lists: readonly (readonly FieldProblem[])[]): FieldProblem[] {
  const byField = new Map<string, FieldProblem>();
  for (const problem of lists.flat()) if (!byField.has(problem.field)) byField.set(problem.field, problem);
  return [...byField.values()];
}
